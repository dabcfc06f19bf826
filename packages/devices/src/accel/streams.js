// Counter-based direction streams for zeroth-order estimates (plain JavaScript, no imports, so
// that worker threads can load it without a build step; types in streams.d.ts).
//
// Direction i of a ZO estimate is drawn from its own xoshiro128** generator, seeded by hashing
// (key, i). The stream is split by index, not by arrival, so a direction is the same numbers
// whichever thread draws it and in whatever order: the estimate is bit-identical for 1, 2 or N
// threads. xoshiro128** (Blackman & Vigna 2018) works on native 32-bit integers, ~3× cheaper in
// JavaScript than the 64-bit xoshiro256** of @tenzo/core, whose words must be emulated in halves.

// Ziggurat tables for the standard normal (Marsaglia & Tsang 2000, 128 layers), for a signed
// 32-bit hz: layer i accepts |hz| < KN[i] with x = hz·WN[i] (~98.8% of draws).
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const KN = new Float64Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
{
  const m1 = 2147483648;
  let dn = ZIG_R;
  let tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}

// murmur3's 32-bit finaliser: a bijection with full avalanche
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Seeds `state` (Int32Array(4)) for stream `index` of the key (key0, key1): each word hashes
 * the key, the index and the word number, so neighbouring indices give unrelated states.
 */
export function seedStream(state, key0, key1, index) {
  let any = 0;
  for (let k = 0; k < 4; k++) {
    const a = fmix32((key0 ^ Math.imul(index + 1, 0x9e3779b9)) + Math.imul(k + 1, 0x632be5ab));
    const w = fmix32(a ^ key1 ^ Math.imul(index, 0x85ebca77) ^ Math.imul(k, 0x27d4eb2f));
    state[k] = w;
    any |= w;
  }
  // xoshiro's one forbidden state
  if (any === 0) state[0] = 1;
}

/** Next 32-bit output (signed) of xoshiro128** on `state`, advancing it. */
export function nextInt32(state) {
  const s1 = state[1];
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const t = s1 << 9;
  state[2] ^= state[0];
  state[3] ^= s1;
  state[1] = s1 ^ state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 11);
  return r;
}

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

/** Uniform in (0, 1) from one 32-bit output (never 0, so its logarithm is finite). */
function uniformOpen(state) {
  return ((nextInt32(state) >>> 0) + 0.5) / 4294967296;
}

// The rest of a ziggurat draw whose (hz, iz) fell outside the layer's rectangle (~1.2% of
// draws): the tail beyond R (Marsaglia's exponential method), the wedge, or a fresh draw.
function normalSlow(state, hz, iz) {
  for (;;) {
    if (iz === 0) {
      let x;
      let y;
      do {
        x = -Math.log(uniformOpen(state)) / ZIG_R;
        y = -Math.log(uniformOpen(state));
      } while (y + y < x * x);
      return hz > 0 ? ZIG_R + x : -ZIG_R - x;
    }
    const x = hz * WN[iz];
    if (FN[iz] + uniformOpen(state) * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
    hz = nextInt32(state);
    iz = nextInt32(state) & 127;
    if ((hz < 0 ? -hz : hz) < KN[iz]) return hz * WN[iz];
  }
}

/**
 * Fills out[0..n) with standard normals from stream `index` of (key0, key1) and returns
 * max |out[j]| (the projected queries use it to skip the bound checks). One 32-bit output gives
 * hz; the layer indices come 4 at a time from a separate output (7 bits each), so value and
 * layer are independent (Doornik 2005's remedy for the original's shared bits).
 */
export function fillGaussian(out, n, key0, key1, index, state) {
  seedStream(state, key0, key1, index);
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  let bits = 0;
  let left = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    if (left === 0) {
      bits = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      left = 4;
    }
    const hz = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const iz = bits & 127;
    bits >>>= 7;
    left--;
    let x;
    if ((hz < 0 ? -hz : hz) < KN[iz]) x = hz * WN[iz];
    else {
      state[0] = s0;
      state[1] = s1;
      state[2] = s2;
      state[3] = s3;
      x = normalSlow(state, hz, iz);
      s0 = state[0];
      s1 = state[1];
      s2 = state[2];
      s3 = state[3];
    }
    out[i] = x;
    const ax = x < 0 ? -x : x;
    if (ax > maxAbs) maxAbs = ax;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  return maxAbs;
}

/**
 * Fills bits[0..⌈n/32⌉) with n random signs of stream `index` (bit j of word w is the sign of
 * entry 32w + j: set means +1). One generator output per 32 entries: Rademacher directions
 * cost almost nothing to draw.
 */
export function fillSignBits(bits, n, key0, key1, index, state) {
  seedStream(state, key0, key1, index);
  const words = (n + 31) >>> 5;
  for (let w = 0; w < words; w++) bits[w] = nextInt32(state);
  const tail = n & 31;
  if (tail !== 0) bits[words - 1] &= (1 << tail) - 1;
}
