import { ArgumentError, checkOneOf, describeValue } from '@tenzo/core';
import { checkMatrix, type Matrix } from './matrix.js';
import { svdValues } from './svd.js';

/**
 * Which matrix norm `norm` computes: Frobenius ('fro'), spectral (2), largest column sum (1), largest row
 * sum ('inf') or nuclear ('nuc').
 */
export type NormOrder = 'fro' | 2 | 1 | 'inf' | 'nuc';

/**
 * Matrix norms of A: m×n. 'fro' (default): Frobenius, scaled against overflow; 2: largest
 * singular value; 1: max column abs sum; 'inf': max row abs sum; 'nuc': sum of singular values.
 * The norm of an empty matrix is 0.
 */
export function norm(a: Matrix, ord: NormOrder = 'fro'): number {
  checkMatrix('norm', 'a', a);
  // String() of an object or symbol can itself throw: name the value instead
  if (typeof ord !== 'string' && typeof ord !== 'number')
    throw new ArgumentError(`norm: ord expected 'fro', 2, 1, 'inf' or 'nuc', got ${describeValue(ord)}`);
  checkOneOf('norm: ord', String(ord), ['fro', '2', '1', 'inf', 'nuc'] as const);
  const { rows: m, cols: n, data: x } = a;
  if (x.length === 0) return 0;
  if (ord === 'fro') {
    let amax = 0;
    for (let i = 0; i < x.length; i++) amax = Math.max(amax, Math.abs(x[i]!));
    if (amax === 0) return 0;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]! / amax;
      s += v * v;
    }
    return amax * Math.sqrt(s);
  }
  if (ord === 'inf') {
    let best = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.abs(x[i * n + j]!);
      best = Math.max(best, s);
    }
    return best;
  }
  if (ord === 1) {
    const cols = new Float64Array(n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cols[j]! += Math.abs(x[i * n + j]!);
    return Math.max(...cols);
  }
  const s = svdValues(a);
  if (ord === 2) return s[0]!;
  let t = 0;
  for (const v of s) t += v;
  return t;
}
