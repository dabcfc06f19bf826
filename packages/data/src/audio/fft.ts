import { ArgumentError, checkInt, describeValue, ShapeError } from '@tenzo/core';

/** True for 1, 2, 4, 8, … */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Throws unless `n` is a positive power of two (the radix-2 transforms' only length). */
export function checkPowerOfTwo(name: string, n: unknown): number {
  checkInt(name, n, { positive: true });
  if (!isPowerOfTwo(n as number)) {
    throw new ArgumentError(`${name}: expected a power of two, got ${describeValue(n)}`);
  }
  return n as number;
}

/**
 * Precomputed tables for a length-n real FFT (n a power of two): the bit-reversal permutation
 * and twiddles of the half-length complex transform, plus the twiddles that split its output
 * into the real signal's spectrum. One plan serves every frame of a spectrogram.
 */
export class RealFftPlan {
  readonly n: number;
  /** number of non-negative-frequency bins, n/2 + 1 */
  readonly bins: number;
  private readonly m: number;
  private readonly rev: Uint32Array;
  private readonly cosM: Float64Array;
  private readonly sinM: Float64Array;
  private readonly cosN: Float64Array;
  private readonly sinN: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(n: number) {
    checkPowerOfTwo('n', n);
    this.n = n;
    this.bins = (n >> 1) + 1;
    const m = Math.max(1, n >> 1);
    this.m = m;
    this.rev = new Uint32Array(m);
    for (let i = 1, j = 0; i < m; i++) {
      let bit = m >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      this.rev[i] = j;
    }
    // Twiddles from cos/sin of the exact angle (no recurrence), so errors stay at ~1 ulp per stage.
    this.cosM = new Float64Array(m >> 1);
    this.sinM = new Float64Array(m >> 1);
    for (let k = 0; k < m >> 1; k++) {
      this.cosM[k] = Math.cos((2 * Math.PI * k) / m);
      this.sinM[k] = Math.sin((2 * Math.PI * k) / m);
    }
    this.cosN = new Float64Array(this.bins);
    this.sinN = new Float64Array(this.bins);
    for (let k = 0; k < this.bins; k++) {
      this.cosN[k] = Math.cos((2 * Math.PI * k) / n);
      this.sinN[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.zr = new Float64Array(m);
    this.zi = new Float64Array(m);
  }

  /**
   * Spectrum of the real signal x (length n): X_k = Σ_j x_j e^{−2πijk/n} for k = 0 … n/2, written
   * to re/im (length n/2 + 1 each). The other half is the conjugate mirror X_{n−k} = conj(X_k).
   *
   * Packs x into the complex signal z_j = x_{2j} + i·x_{2j+1} of length m = n/2, transforms it
   * with an iterative radix-2 Cooley–Tukey FFT, then separates even and odd parts:
   * X_k = E_k + e^{−2πik/n} O_k with E_k = (Z_k + conj Z_{m−k})/2, O_k = (Z_k − conj Z_{m−k})/(2i).
   */
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const { n, m, bins } = this;
    if (x.length !== n) throw new ShapeError(`x: expected length ${n}, got ${x.length}`);
    if (re.length < bins || im.length < bins) {
      throw new ShapeError(`re, im: expected length >= ${bins}, got ${re.length} and ${im.length}`);
    }
    if (n === 1) {
      re[0] = x[0]!;
      im[0] = 0;
      return;
    }
    const { zr, zi, rev } = this;
    for (let j = 0; j < m; j++) {
      const r = rev[j]!;
      zr[r] = x[2 * j]!;
      zi[r] = x[2 * j + 1]!;
    }
    this.butterflies();
    for (let k = 0; k < bins; k++) {
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
      const zkr = zr[a]!;
      const zki = zi[a]!;
      const zmr = zr[b]!;
      const zmi = -zi[b]!; // conj Z_{m−k}
      const er = 0.5 * (zkr + zmr);
      const ei = 0.5 * (zki + zmi);
      // (Z_k − conj Z_{m−k}) / (2i) = (d_i − i·d_r) / 2 with d = Z_k − conj Z_{m−k}
      const or = 0.5 * (zki - zmi);
      const oi = -0.5 * (zkr - zmr);
      const wr = this.cosN[k]!;
      const wi = -this.sinN[k]!;
      re[k] = er + wr * or - wi * oi;
      im[k] = ei + wr * oi + wi * or;
    }
  }

  /** In-place forward radix-2 passes over the bit-reversed zr/zi. */
  private butterflies(): void {
    const { zr, zi, m, cosM, sinM } = this;
    for (let len = 2; len <= m; len <<= 1) {
      const half = len >> 1;
      const step = m / len;
      for (let i = 0; i < m; i += len) {
        for (let k = 0; k < half; k++) {
          const wr = cosM[k * step]!;
          const wi = -sinM[k * step]!;
          const a = i + k;
          const b = a + half;
          const xr = zr[b]! * wr - zi[b]! * wi;
          const xi = zr[b]! * wi + zi[b]! * wr;
          zr[b] = zr[a]! - xr;
          zi[b] = zi[a]! - xi;
          zr[a]! += xr;
          zi[a]! += xi;
        }
      }
    }
  }
}

/**
 * Real FFT of x (length n, a power of two): the n/2 + 1 non-negative-frequency bins
 * X_k = Σ_j x_j e^{−2πijk/n}, unnormalised (numpy.fft.rfft's convention). For many frames of one
 * length, build a `RealFftPlan` once instead.
 */
export function rfft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  if (x.length === 0) throw new ShapeError('x: expected a non-empty signal, got length 0');
  const plan = new RealFftPlan(checkPowerOfTwo('x.length', x.length));
  const re = new Float64Array(plan.bins);
  const im = new Float64Array(plan.bins);
  plan.forward(x, re, im);
  return { re, im };
}
