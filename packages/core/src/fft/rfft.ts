import { checkFloat64Array, checkNumbers, checkPowerOfTwo } from '../checks.js';
import { ShapeError } from '../errors.js';
import { butterflies, type Radix2Tables, radix2Tables } from './radix2.js';

/**
 * A length-n real FFT (n a power of two) with its tables and work buffers built once: the n real
 * samples are packed into an n/2-point complex transform whose output is split into the real
 * signal's spectrum. One plan serves every frame of a spectrogram.
 */
export class RealFftPlan {
  readonly n: number;
  /** number of non-negative-frequency bins, n/2 + 1 */
  readonly bins: number;
  private readonly m: number;
  private readonly tables: Radix2Tables;
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
    this.tables = radix2Tables(m);
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
   * to re/im (length ≥ n/2 + 1 each). The other half is the conjugate mirror X_{n−k} = conj(X_k).
   *
   * Packs x into the complex signal z_j = x_{2j} + i·x_{2j+1} of length m = n/2, transforms it
   * with the radix-2 kernel, then separates even and odd parts:
   * X_k = E_k + e^{−2πik/n} O_k with E_k = (Z_k + conj Z_{m−k})/2, O_k = (Z_k − conj Z_{m−k})/(2i).
   */
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const { n, m, bins } = this;
    checkNumbers('RealFftPlan.forward: x', x, { length: n });
    checkFloat64Array('RealFftPlan.forward: re', re);
    checkFloat64Array('RealFftPlan.forward: im', im);
    if (re.length < bins || im.length < bins) {
      throw new ShapeError(`re, im: expected length >= ${bins}, got ${re.length} and ${im.length}`);
    }
    if (n === 1) {
      re[0] = x[0]!;
      im[0] = 0;
      return;
    }
    const { zr, zi, tables } = this;
    const { rev } = tables;
    // Scatter straight into bit-reversed order: the packing and the permutation in one pass.
    for (let j = 0; j < m; j++) {
      const r = rev[j]!;
      zr[r] = x[2 * j]!;
      zi[r] = x[2 * j + 1]!;
    }
    butterflies(zr, zi, tables, false);
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
}

/**
 * Real FFT of x (length n, a power of two): the n/2 + 1 non-negative-frequency bins
 * X_k = Σ_j x_j e^{−2πijk/n}, unnormalised (numpy.fft.rfft's convention). For many frames of one
 * length, build a `RealFftPlan` once instead.
 *
 * ```ts
 * rfft([1, 2, 3, 4]); // re = [10, −2, −2], im = [0, 2, 0]
 * ```
 */
export function rfft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  checkNumbers('rfft: x', x, { minLength: 1 });
  const plan = new RealFftPlan(checkPowerOfTwo('x.length', x.length));
  const re = new Float64Array(plan.bins);
  const im = new Float64Array(plan.bins);
  plan.forward(x, re, im);
  return { re, im };
}
