import { type Matrix, qr } from '@tenzo/linalg';
import { maxvol, rectMaxvol } from '../maxvol/maxvol.js';

/** Relative threshold on |R_jj/R_00| of the pivoted QR that defines the numerical rank. */
export const RANK_TOL = 1e-9;

/** Rows selected from a tall matrix A: their indices I and the interpolation matrix B with A ≈ B·A[I, :]. */
export interface RowSelection {
  /** selected row indices of A */
  I: Int32Array;
  /** |rows|×|I| interpolation matrix with A ≈ B·A[I, :] and B[I] = identity */
  B: Matrix;
}

/**
 * HTBB's row selection (HTBB.md §2). A: candidates×columns. A column-pivoted QR gives the
 * numerical rank rr and an orthonormal basis Q (first rr columns); maxvol on Q picks the rows, so
 * B = Q·Q[I]⁻¹ (square) or Q·Q[I]⁺ (rect). When A has full column rank the set may grow by one
 * row (rect-maxvol, dr_max 1) — this is how ranks adapt; otherwise it shrinks to rr. `maxRank`
 * caps the growth: a set already holding `maxRank` rows keeps its size (square maxvol).
 */
export function selectRows(a: Matrix, grow: boolean, maxRank = Number.POSITIVE_INFINITY): RowSelection {
  const { Q, R } = qr(a, { pivoting: true });
  const k = R.rows;
  const r00 = Math.abs(R.data[0]!);
  let rr = 0;
  while (rr < k && Math.abs(R.data[rr * R.cols + rr]!) > RANK_TOL * r00) rr++;
  // an all-zero block still needs one row (any row interpolates it exactly)
  rr = Math.max(rr, 1);
  const q = Q.cols === rr ? Q : firstCols(Q, rr);
  if (grow && rr === a.cols && a.cols < maxRank)
    return rectMaxvol(q, { tau: 1.01, drMin: 0, drMax: 1, tau0: 1.01, maxIters0: 500 });
  return maxvol(q, { tau: 1.01, maxIters: 500 });
}

function firstCols(a: Matrix, c: number): Matrix {
  const out = new Float64Array(a.rows * c);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < c; j++) out[i * c + j] = a.data[i * a.cols + j]!;
  return { rows: a.rows, cols: c, data: out };
}
