import { ArgumentError, checkInt, ShapeError } from '@tenzo/core';

/**
 * Orthonormal DCT-II matrix (scipy.fft.dct(type=2, norm='ortho')), rows = the first nOut basis
 * vectors: D[k, j] = s_k cos(πk(2j + 1)/(2n)), s_0 = √(1/n), s_k = √(2/n). With nOut = n it is
 * orthogonal (D Dᵀ = I), so cepstra keep the log-mel energy (Parseval).
 *
 * Returns [nOut, n] row-major.
 */
export function dctMatrix(n: number, nOut = n): Float64Array {
  checkInt('n', n, { positive: true });
  checkInt('nOut', nOut, { positive: true });
  if (nOut > n) throw new ArgumentError(`nOut: expected an integer <= n = ${n}, got ${nOut}`);
  const d = new Float64Array(nOut * n);
  for (let k = 0; k < nOut; k++) {
    const s = Math.sqrt((k === 0 ? 1 : 2) / n);
    for (let j = 0; j < n; j++) d[k * n + j] = s * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
  }
  return d;
}

/** The first nOut orthonormal DCT-II coefficients of x (length n); nOut defaults to n. */
export function dct2(x: ArrayLike<number>, nOut = x.length): Float64Array {
  if (x.length === 0) throw new ShapeError('x: expected a non-empty vector, got length 0');
  const n = x.length;
  const d = dctMatrix(n, nOut);
  const out = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += d[k * n + j]! * x[j]!;
    out[k] = s;
  }
  return out;
}
