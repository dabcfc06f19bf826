import { checkNumber } from '@tenzo/core';
import { defaultRcond } from './lstsq.js';
import { checkMatrix, type Matrix } from './matrix.js';
import { svd } from './svd.js';

/**
 * Moore–Penrose pseudo-inverse. A: m×n, returns A⁺: n×m = V·S⁺·Uᵀ, singular values
 * ≤ rcond·σ_max (default max(m, n)·ε) treated as zero.
 */
export function pinv(a: Matrix, options: { rcond?: number } = {}): Matrix {
  checkMatrix('pinv', 'a', a);
  const { rows: m, cols: n } = a;
  const rcond =
    options.rcond === undefined
      ? defaultRcond(m, n)
      : checkNumber('pinv: options.rcond', options.rcond, { min: 0 });
  const { U, S, V } = svd(a);
  const cutoff = S.length === 0 ? 0 : rcond * S[0]!;
  let r = 0;
  while (r < S.length && S[r]! > cutoff) r++;
  const out = new Float64Array(n * m);
  const k = S.length;
  // (V·S⁺)·Uᵀ: scale V's columns once, then row i of A⁺ is Σ_p (V_ip/σ_p)·U_:p
  const vs = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < r; p++) vs[p] = V.data[i * k + p]! / S[p]!;
    const ri = i * m;
    for (let j = 0; j < m; j++) {
      let s = 0;
      const uj = j * k;
      for (let p = 0; p < r; p++) s += vs[p]! * U.data[uj + p]!;
      out[ri + j] = s;
    }
  }
  return { rows: n, cols: m, data: out };
}
