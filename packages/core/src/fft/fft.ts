import { checkFloat64Array, checkInt } from '../checks.js';
import { ShapeError } from '../errors.js';
import { radix2 } from './radix2.js';

/**
 * In-place complex FFT of re/im (length n each, any n ≥ 0):
 * forward X_k = Σ_j x_j e^{−2πijk/n} (unnormalised, numpy.fft.fft's convention); with
 * `inverse`, x_j = (1/n) Σ_k X_k e^{+2πijk/n} (the 1/n included, so ifft(fft(x)) = x).
 * Iterative radix-2 Cooley–Tukey for powers of two; Bluestein's chirp-z for other n (three
 * radix-2 transforms of the power of two m ≥ 2n − 1, so O(n log n) for every n).
 *
 * ```ts
 * const re = Float64Array.of(1, 0, 0, 0), im = new Float64Array(4);
 * fft(re, im); // re = [1, 1, 1, 1], im = [0, 0, 0, 0]
 * ```
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const op = inverse ? 'ifft' : 'fft';
  checkFloat64Array(`${op}: re`, re);
  checkFloat64Array(`${op}: im`, im);
  const n = re.length;
  if (im.length !== n) {
    throw new ShapeError(
      `${inverse ? 'ifft' : 'fft'}: im must have the length of re, ${n}, got ${im.length}`,
    );
  }
  if (n <= 1) return;
  if ((n & (n - 1)) === 0) radix2(re, im, inverse);
  else bluestein(re, im, inverse);
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i]! /= n;
      im[i]! /= n;
    }
  }
}

/** Inverse of `fft` in place: x_j = (1/n) Σ_k X_k e^{+2πijk/n}. */
export function ifft(re: Float64Array, im: Float64Array): void {
  fft(re, im, true);
}

/** Bluestein: X_k = w̄_k Σ_j (x_j w̄_j) w_{k−j}, w_j = e^{iπj²/n} (unnormalised). */
function bluestein(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const sgn = inverse ? 1 : -1;
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // j² mod 2n keeps the angle accurate for large j
    const ang = (Math.PI * ((j * j) % (2 * n))) / n;
    wr[j] = Math.cos(ang);
    wi[j] = sgn * Math.sin(ang);
  }
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    ar[j] = re[j]! * wr[j]! - im[j]! * wi[j]!;
    ai[j] = re[j]! * wi[j]! + im[j]! * wr[j]!;
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0]!;
  bi[0] = -wi[0]!;
  for (let j = 1; j < n; j++) {
    br[j] = br[m - j] = wr[j]!;
    bi[j] = bi[m - j] = -wi[j]!;
  }
  radix2(ar, ai, false);
  radix2(br, bi, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    ai[k] = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    ar[k] = r;
  }
  radix2(ar, ai, true);
  for (let k = 0; k < n; k++) {
    const cr = ar[k]! / m;
    const ci = ai[k]! / m;
    re[k] = cr * wr[k]! - ci * wi[k]!;
    im[k] = cr * wi[k]! + ci * wr[k]!;
  }
}

/**
 * 2-D FFT in place of a rows×cols complex field stored row-major in re/im (length rows·cols):
 * 1-D transforms of every row, then of every column. `inverse` as in `fft` (1/(rows·cols) included).
 */
export function fft2(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse = false): void {
  const op = inverse ? 'ifft2' : 'fft2';
  checkFloat64Array(`${op}: re`, re);
  checkFloat64Array(`${op}: im`, im);
  checkInt(`${op}: rows`, rows, { positive: true });
  checkInt(`${op}: cols`, cols, { positive: true });
  if (re.length !== rows * cols || im.length !== rows * cols) {
    throw new ShapeError(
      `${op}: re and im must have length rows·cols = ${rows * cols}, got ${re.length} and ${im.length}`,
    );
  }
  for (let r = 0; r < rows; r++)
    fft(re.subarray(r * cols, (r + 1) * cols), im.subarray(r * cols, (r + 1) * cols), inverse);
  const cr = new Float64Array(rows);
  const ci = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      cr[r] = re[r * cols + c]!;
      ci[r] = im[r * cols + c]!;
    }
    fft(cr, ci, inverse);
    for (let r = 0; r < rows; r++) {
      re[r * cols + c] = cr[r]!;
      im[r * cols + c] = ci[r]!;
    }
  }
}

/** Inverse of `fft2` in place. */
export function ifft2(re: Float64Array, im: Float64Array, rows: number, cols: number): void {
  fft2(re, im, rows, cols, true);
}
