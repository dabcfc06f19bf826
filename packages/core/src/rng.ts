import { checkInt, checkNumber } from './checks.js';
import { describeValue } from './describe.js';
import { ArgumentError, FormatError } from './errors.js';

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea, Flood 2014): expands one seed into well-mixed 64-bit words. */
function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

// xoshiro256** jump polynomial: advances 2^128 steps, giving non-overlapping substreams.
const JUMP = [0x180ec6d33cfd0aban, 0xd5a61266f0c9392cn, 0xa9582618e03fc9aan, 0x39abdc4529b1661cn];

/**
 * A seed for `Rng`: a non-negative safe integer or a non-negative bigint (its low 64 bits are used); the
 * same seed gives the same stream on every platform.
 */
export type Seed = number | bigint;

// Ziggurat tables for the standard normal (Marsaglia & Tsang 2000, 128 layers): layer i covers
// |x| < wn[i]·2³¹; a draw inside the layer's core rectangle (|hz| < kn[i]) is accepted with one
// multiply — about 98.8% of draws — so normals cost little more than a uniform.
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

/** Serializable generator state (for checkpoints): 8 uint32 words plus the cached normal. */
// a type, not an interface, so that it is a StateValue (checkpoints nest it in state records)
export type RngState = {
  readonly algorithm: 'xoshiro256**';
  readonly words: number[];
  readonly spareNormal: number | null;
};

/**
 * xoshiro256** (Blackman & Vigna 2018), the generator behind numpy's and Julia's defaults'
 * relatives: 256-bit state, period 2^256 − 1, seeded through SplitMix64 exactly as the
 * reference C code recommends, so streams match other implementations bit for bit.
 *
 * 64-bit words are kept as (hi, lo) uint32 pairs: BigInt arithmetic would be ~50× slower.
 */
export class Rng {
  // s[2k] = high half of word k, s[2k+1] = low half
  private readonly s = new Uint32Array(8);
  // kept in the state format for compatibility; the ziggurat caches nothing (always null)
  private spare: number | null = null;

  constructor(seed: Seed) {
    if (typeof seed === 'number')
      checkNumber('seed', seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
    else if (typeof seed !== 'bigint' || seed < 0n)
      throw new ArgumentError(`seed: expected a non-negative integer or bigint, got ${String(seed)}`);
    let st = BigInt(seed) & MASK64;
    for (let k = 0; k < 4; k++) {
      const [next, z] = splitmix64(st);
      st = next;
      this.s[2 * k] = Number(z >> 32n);
      this.s[2 * k + 1] = Number(z & 0xffffffffn);
    }
  }

  /** Restores a generator from `getState()`. */
  static fromState(state: RngState): Rng {
    if (state?.algorithm !== 'xoshiro256**' || !Array.isArray(state.words) || state.words.length !== 8) {
      throw new FormatError('state: expected an xoshiro256** RngState with 8 words');
    }
    // a word that is not a uint32 would silently become 0 below; an all-zero state is the one
    // state xoshiro never leaves (it would emit zeros forever)
    const bad = state.words.findIndex((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff);
    if (bad >= 0)
      throw new FormatError(
        `Rng.fromState: state.words[${bad}] expected an integer in [0, 2^32), got ${describeValue(state.words[bad])}`,
      );
    if (state.words.every((w) => w === 0))
      throw new FormatError('Rng.fromState: state.words are all zero, which is not a state of xoshiro256**');
    if (state.spareNormal !== null && !Number.isFinite(state.spareNormal))
      throw new FormatError(
        `Rng.fromState: state.spareNormal expected null or a finite number, got ${describeValue(state.spareNormal)}`,
      );
    const r = new Rng(0);
    for (let i = 0; i < 8; i++) r.s[i] = state.words[i]! >>> 0;
    r.spare = state.spareNormal;
    return r;
  }

  /**
   * Restores `getState()` into this generator in place (for a generator that other objects hold
   * by reference, e.g. a dropout layer's).
   */
  setState(state: RngState): void {
    const r = Rng.fromState(state);
    this.s.set(r.s);
    this.spare = r.spare;
  }

  /**
   * The generator's full state (four 64-bit words as uint32 halves), to checkpoint; `Rng.fromState`
   * resumes the exact stream.
   */
  getState(): RngState {
    return { algorithm: 'xoshiro256**', words: Array.from(this.s), spareNormal: this.spare };
  }

  /** Advances the state and returns the 64-bit output as [hi, lo] uint32 halves. */
  private step(out: Uint32Array): void {
    const s = this.s;
    const s1h = s[2]!;
    const s1l = s[3]!;
    // r = rotl(s1 * 5, 7) * 9, with x*5 = (x << 2) + x and x*9 = (x << 3) + x
    let lo = ((s1l << 2) >>> 0) + s1l;
    let hi = (((s1h << 2) | (s1l >>> 30)) + s1h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    lo >>>= 0;
    const rh = ((hi << 7) | (lo >>> 25)) >>> 0;
    const rl = ((lo << 7) | (hi >>> 25)) >>> 0;
    lo = ((rl << 3) >>> 0) + rl;
    hi = (((rh << 3) | (rl >>> 29)) + rh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    out[0] = hi;
    out[1] = lo >>> 0;
    // t = s1 << 17
    const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
    const tl = (s1l << 17) >>> 0;
    s[4]! ^= s[0]!;
    s[5]! ^= s[1]!;
    s[6]! ^= s[2]!;
    s[7]! ^= s[3]!;
    s[2]! ^= s[4]!;
    s[3]! ^= s[5]!;
    s[0]! ^= s[6]!;
    s[1]! ^= s[7]!;
    s[4]! ^= th;
    s[5]! ^= tl;
    // s3 = rotl(s3, 45) = rotl(swap halves, 13)
    const h3 = s[7]!;
    const l3 = s[6]!;
    s[6] = ((h3 << 13) | (l3 >>> 19)) >>> 0;
    s[7] = ((l3 << 13) | (h3 >>> 19)) >>> 0;
  }

  private readonly buf = new Uint32Array(2);

  /** Next raw 64-bit output as a bigint (for tests and interop; slow). */
  nextBigUint64(): bigint {
    this.step(this.buf);
    return (BigInt(this.buf[0]!) << 32n) | BigInt(this.buf[1]!);
  }

  /** Next 32 random bits (the high half of the 64-bit output, the better-mixed one). */
  nextUint32(): number {
    this.step(this.buf);
    return this.buf[0]!;
  }

  /** Uniform double in [0, 1) from the top 53 bits. */
  uniform(): number {
    this.step(this.buf);
    return (this.buf[0]! * 2097152 + (this.buf[1]! >>> 11)) / 9007199254740992;
  }

  /** Uniform double in [low, high). */
  uniformIn(low: number, high: number): number {
    checkRange('Rng.uniformIn', low, high);
    return low + (high - low) * this.uniform();
  }

  /**
   * Standard normal by the ziggurat method (Marsaglia & Tsang 2000). Unlike their 32-bit
   * original, the layer index comes from the low bits of the 64-bit output and the value from
   * the high 32 bits, so the two are independent (Doornik 2005's remedy).
   */
  normal(): number {
    const buf = this.buf;
    this.step(buf);
    const hz = buf[0]! | 0;
    const iz = buf[1]! & 127;
    if (Math.abs(hz) < KN[iz]!) return hz * WN[iz]!;
    return this.normalRejected(hz, iz);
  }

  /**
   * The rest of one ziggurat draw whose first 64-bit output (hz, iz) fell outside its layer's
   * rectangle (~1% of draws): the tail, the wedge, or a fresh draw.
   */
  private normalRejected(hz: number, iz: number): number {
    if (iz === 0) {
      // the tail beyond R, by Marsaglia's exponential method
      let t: number;
      let y: number;
      do {
        t = -Math.log(1 - this.uniform()) / ZIG_R;
        y = -Math.log(1 - this.uniform());
      } while (y + y < t * t);
      return hz > 0 ? ZIG_R + t : -ZIG_R - t;
    }
    // the wedge between the layer's rectangle and the density
    const x = hz * WN[iz]!;
    if (FN[iz]! + this.uniform() * (FN[iz - 1]! - FN[iz]!) < Math.exp(-0.5 * x * x)) return x;
    return this.normal();
  }

  /** ±1 with equal probability. */
  rademacher(): number {
    return this.nextUint32() & 0x80000000 ? 1 : -1;
  }

  /** Uniform integer in [0, n) without modulo bias (Lemire's rejection). */
  int(n: number): number {
    checkInt('n', n, { positive: true, max: 2 ** 32 });
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(array: T[] | Int32Array | Uint32Array | Float64Array | Float32Array): typeof array {
    if (!Array.isArray(array) && !(ArrayBuffer.isView(array) && !(array instanceof DataView)))
      throw new ArgumentError(
        `Rng.shuffle: array: expected an array or a typed array, got ${describeValue(array)}`,
      );
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i]!;
      array[i] = array[j]!;
      array[j] = t as never;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    checkInt('Rng.permutation: n', n, { max: 2 ** 31 - 1 });
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /**
   * Fills `out` with normals — the same numbers as `out.length` calls of `normal()`, ~3× faster:
   * the generator state lives in locals and the accepted ziggurat rectangles (~99% of draws) are
   * handled inline (the ZO estimators draw ~10⁷ of these per training step).
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): typeof out {
    checkFloatOut('Rng.fillNormal', out);
    checkNumber('Rng.fillNormal: mean', mean);
    checkNumber('Rng.fillNormal: std', std, { min: 0 });
    const s = this.s;
    let s0h = s[0]!;
    let s0l = s[1]!;
    let s1h = s[2]!;
    let s1l = s[3]!;
    let s2h = s[4]!;
    let s2l = s[5]!;
    let s3h = s[6]!;
    let s3l = s[7]!;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      // one xoshiro256** step, as in step()
      let lo = ((s1l << 2) >>> 0) + s1l;
      let hi = (((s1h << 2) | (s1l >>> 30)) + s1h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
      lo >>>= 0;
      const rh = ((hi << 7) | (lo >>> 25)) >>> 0;
      const rl = ((lo << 7) | (hi >>> 25)) >>> 0;
      lo = ((rl << 3) >>> 0) + rl;
      hi = (((rh << 3) | (rl >>> 29)) + rh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
      const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
      const tl = (s1l << 17) >>> 0;
      s2h = (s2h ^ s0h) >>> 0;
      s2l = (s2l ^ s0l) >>> 0;
      s3h = (s3h ^ s1h) >>> 0;
      s3l = (s3l ^ s1l) >>> 0;
      s1h = (s1h ^ s2h) >>> 0;
      s1l = (s1l ^ s2l) >>> 0;
      s0h = (s0h ^ s3h) >>> 0;
      s0l = (s0l ^ s3l) >>> 0;
      s2h = (s2h ^ th) >>> 0;
      s2l = (s2l ^ tl) >>> 0;
      const h3 = s3l;
      const l3 = s3h;
      s3h = ((h3 << 13) | (l3 >>> 19)) >>> 0;
      s3l = ((l3 << 13) | (h3 >>> 19)) >>> 0;
      const hz = hi | 0;
      const iz = (lo >>> 0) & 127;
      if (Math.abs(hz) < KN[iz]!) {
        out[i] = mean + std * (hz * WN[iz]!);
        continue;
      }
      s[0] = s0h;
      s[1] = s0l;
      s[2] = s1h;
      s[3] = s1l;
      s[4] = s2h;
      s[5] = s2l;
      s[6] = s3h;
      s[7] = s3l;
      out[i] = mean + std * this.normalRejected(hz, iz);
      s0h = s[0]!;
      s0l = s[1]!;
      s1h = s[2]!;
      s1l = s[3]!;
      s2h = s[4]!;
      s2l = s[5]!;
      s3h = s[6]!;
      s3l = s[7]!;
    }
    s[0] = s0h;
    s[1] = s0l;
    s[2] = s1h;
    s[3] = s1l;
    s[4] = s2h;
    s[5] = s2l;
    s[6] = s3h;
    s[7] = s3l;
    return out;
  }

  /** Fills `out` with uniforms in [low, high). */
  fillUniform(out: Float32Array | Float64Array, low = 0, high = 1): typeof out {
    checkFloatOut('Rng.fillUniform', out);
    checkRange('Rng.fillUniform', low, high);
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** Fills `out` with ±1. */
  fillRademacher(out: Float32Array | Float64Array): typeof out {
    checkFloatOut('Rng.fillRademacher', out);
    for (let i = 0; i < out.length; i++) out[i] = this.rademacher();
    return out;
  }

  /**
   * Advances this generator by 2^128 steps (the reference jump function): call it k times on
   * copies to get k non-overlapping substreams.
   */
  jump(): this {
    const acc = new Uint32Array(8);
    for (const word of JUMP) {
      for (let b = 0n; b < 64n; b++) {
        if ((word >> b) & 1n) for (let i = 0; i < 8; i++) acc[i]! ^= this.s[i]!;
        this.step(this.buf);
      }
    }
    this.s.set(acc);
    this.spare = null;
    return this;
  }

  /** A copy of this generator in its current state. */
  clone(): Rng {
    return Rng.fromState(this.getState());
  }

  /**
   * An independent child generator: a copy of this one jumped ahead 2^128 steps; this one
   * then jumps too, so successive `fork()` calls never overlap.
   */
  fork(): Rng {
    const child = this.clone().jump();
    this.jump().jump();
    return child;
  }
}

function checkFloatOut(op: string, out: unknown): void {
  if (!(out instanceof Float32Array || out instanceof Float64Array))
    throw new ArgumentError(
      `${op}: out: expected a Float32Array or a Float64Array, got ${describeValue(out)}`,
    );
}

/** low ≤ high, both finite, and high − low finite (so every draw is finite). */
function checkRange(op: string, low: number, high: number): void {
  checkNumber(`${op}: low`, low);
  checkNumber(`${op}: high`, high, { min: low });
  checkNumber(`${op}: high - low`, high - low);
}

/** Throws unless `rng` is an `Rng` (the seeded generator every random tenzo call takes explicitly). */
export function checkRng(name: string, rng: unknown): Rng {
  if (!(rng instanceof Rng))
    throw new ArgumentError(
      `${name}: expected an Rng from @tenzo/core (a seeded generator), got ${describeValue(rng)}`,
    );
  return rng;
}
