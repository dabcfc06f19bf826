import { diag, type Matrix, matmul, matmulNT, matmulTN, qr, svdTruncated } from '@tenzo/linalg';
import type { LowRank } from '../lowRank.js';
import { addInto } from './dense.js';

/** Column-wise concatenation [A, B] of two matrices with the same number of rows. */
export function hcat(a: Matrix, b: Matrix): Matrix {
  const n = a.cols + b.cols;
  const out = new Float64Array(a.rows * n);
  for (let i = 0; i < a.rows; i++) {
    out.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * n);
    out.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * n + a.cols);
  }
  return { rows: a.rows, cols: n, data: out };
}

/**
 * The basis update of the BUG integrator (Ceruti & Lubich 2022), K- and L-steps both from the
 * old bases (so they can run in parallel, unlike KSL's sequential L-step):
 *   U1 = orth(U0·S0 + ΔA·V0),  V1 = orth(V0·S0ᵀ + ΔAᵀ·U0).
 * With `augment` (rank-adaptive BUG, Ceruti, Kusch & Lubich 2022) the old bases are kept too:
 *   Û = orth([K, U0]),  V̂ = orth([L, V0])  (up to 2r columns).
 * kv = ΔA·V0: d_out×r, lu = ΔAᵀ·U0: d_in×r.
 */
export function bugBases(y: LowRank, kv: Matrix, lu: Matrix, augment: boolean): { U1: Matrix; V1: Matrix } {
  const k = addInto(matmul(y.U, y.S), kv);
  const l = addInto(matmulNT(y.V, y.S), lu);
  if (!augment) return { U1: qr(k).Q, V1: qr(l).Q };
  return { U1: qr(hcat(k, y.U)).Q, V1: qr(hcat(l, y.V)).Q };
}

/**
 * Forward Galerkin S-step in increments: S1 = (U1ᵀU0)·S0·(V0ᵀV1) + U1ᵀ·(ΔA·V1),
 * the exact solution of Ṡ = U1ᵀ·Ȧ·V1 from the old core projected onto the new bases.
 * dAV1 = ΔA·V1: d_out×r1.
 */
export function galerkinIncrement(y: LowRank, U1: Matrix, V1: Matrix, dAV1: Matrix): Matrix {
  const s0 = matmul(matmul(matmulTN(U1, y.U), y.S), matmulTN(y.V, V1));
  return addInto(s0, matmulTN(U1, dAV1));
}

/**
 * The truncation of rank-adaptive BUG: SVD of the augmented core Ŝ (r_U×r_V — rectangular when
 * 2r exceeds d_out or d_in), keep what the relative `tol` and `maxRank` allow, never below 1
 * (a zero core would truncate to rank 0, from which no later step can grow).
 */
export function truncateAugmented(
  U: Matrix,
  S: Matrix,
  V: Matrix,
  tol: number,
  maxRank: number | undefined,
): LowRank {
  const t = svdTruncated(S, maxRank === undefined ? { tol } : { tol, rank: maxRank });
  const { U: P, S: sigma, V: Q } = t.S.length > 0 ? t : svdTruncated(S, { rank: 1 });
  return { U: matmul(U, P), S: diag(sigma), V: matmul(V, Q) };
}
