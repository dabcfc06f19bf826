import { checkMatrix, type Matrix } from '@tenzo/linalg';

/** ‖QᵀQ − I‖_F for Q: n×r, accumulated without forming QᵀQ (the integrators' invariant). */
export function orthonormalityError(q: Matrix): number {
  const { rows: n, cols: r, data: x } = checkMatrix('orthonormalityError', 'q', q);
  let s = 0;
  for (let a = 0; a < r; a++) {
    for (let b = a; b < r; b++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += x[i * r + a]! * x[i * r + b]!;
      const e = a === b ? d - 1 : d;
      s += a === b ? e * e : 2 * e * e;
    }
  }
  return Math.sqrt(s);
}
