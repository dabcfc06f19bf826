/**
 * The radix-2 Cooley–Tukey kernel behind every tenzo FFT: per-length tables (bit-reversal
 * permutation and twiddles) cached once, and the in-place butterfly passes. Internal to the
 * fft folder; `fft`, `fft2` and `RealFftPlan` are the public faces.
 */

/** Tables of a length-n radix-2 transform (n a power of two). */
export interface Radix2Tables {
  /** bit-reversal permutation: rev[i] is i with its log2(n) bits reversed */
  readonly rev: Uint32Array;
  /** cos(2πk/n), k < n/2 */
  readonly cos: Float64Array;
  /** sin(2πk/n), k < n/2 */
  readonly sin: Float64Array;
}

// At most one entry per power of two a process ever transforms (a few dozen at most).
const cache = new Map<number, Radix2Tables>();

/** The cached tables for length n (n a power of two; not checked here). */
export function radix2Tables(n: number): Radix2Tables {
  let t = cache.get(n);
  if (t) return t;
  const rev = new Uint32Array(n);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    rev[i] = j;
  }
  const half = n >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  // Twiddles from cos/sin of the exact angle (no recurrence), so errors stay at ~1 ulp per stage.
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  t = { rev, cos, sin };
  cache.set(n, t);
  return t;
}

/**
 * Unnormalised in-place radix-2 transform of re/im (length n, a power of two): the sum
 * Σ_j x_j e^{∓2πijk/n}, sign − forward and + inverse. Bit-reverses, then runs the butterflies.
 */
export function radix2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  const tables = radix2Tables(n);
  const { rev } = tables;
  for (let i = 1; i < n; i++) {
    const j = rev[i]!;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  butterflies(re, im, tables, inverse);
}

/** The log2(n) butterfly passes over re/im already in bit-reversed order. */
export function butterflies(
  re: Float64Array,
  im: Float64Array,
  tables: Radix2Tables,
  inverse: boolean,
): void {
  const n = re.length;
  const { cos, sin } = tables;
  const sgn = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sgn * sin[k * step]!;
        const a = i + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
      }
    }
  }
}
