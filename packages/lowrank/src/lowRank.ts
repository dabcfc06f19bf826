import { ArgumentError, checkNumber, describeValue, formatShape, ShapeError } from '@tenzo/core';
import {
  checkMatrix,
  diag,
  type Matrix,
  matmul,
  matmulNT,
  type SvdTruncatedOptions,
  svdTruncated,
} from '@tenzo/linalg';
import { orthonormalityError } from './orthonormality.js';

/**
 * A rank-r factorization Y = U·S·Vᵀ of a d_out×d_in matrix (METHODS.md §1.3).
 *
 * U: d_out×r and V: d_in×r have orthonormal columns; S: r×r is a full (not necessarily
 * diagonal) core — after a KSL or BUG step S is dense, and keeping it dense is what makes the
 * integrators cheap. Plain data like `Matrix`, so it crosses worker boundaries and checkpoints.
 */
export interface LowRank {
  /** d_out×r, orthonormal columns */
  readonly U: Matrix;
  /** r×r core */
  readonly S: Matrix;
  /** d_in×r, orthonormal columns */
  readonly V: Matrix;
}

/**
 * Options of the {@link LowRank} constructor: the largest accepted deviation from orthonormality of U and
 * V (`Infinity` skips the check).
 */
export interface LowRankOptions {
  /**
   * largest accepted ‖UᵀU − I‖_F and ‖VᵀV − I‖_F (default 1e-8); `Infinity` skips the check
   * (e.g. for factors straight out of a QR, which are orthonormal to rounding anyway)
   */
  orthoTol?: number;
}

/** The rank r of Y (the number of columns of U). */
export function rankOf(y: LowRank): number {
  checkFactorShapes('rankOf', y);
  return y.U.cols;
}

/** [d_out, d_in] of the matrix Y represents. */
export function shapeOf(y: LowRank): [dOut: number, dIn: number] {
  checkFactorShapes('shapeOf', y);
  return [y.U.rows, y.V.rows];
}

/**
 * Validates and wraps factors U: d_out×r, S: r×r, V: d_in×r (no copies). Throws ShapeError on
 * inconsistent shapes or r > min(d_out, d_in), NonFiniteError on NaN/±Infinity, ArgumentError
 * when U or V is not orthonormal to `orthoTol`.
 */
export function lowRank(U: Matrix, S: Matrix, V: Matrix, options: LowRankOptions = {}): LowRank {
  return checkLowRank('lowRank', { U, S, V }, options);
}

/** Validation shared by every entry point that takes a LowRank (`op` names the caller). */
export function checkLowRank(op: string, y: unknown, options: LowRankOptions = {}): LowRank {
  if (y === null || typeof y !== 'object') {
    throw new ArgumentError(`${op}: expected a LowRank {U, S, V}, got ${String(y)}`);
  }
  const { U: u, S: s, V: v } = y as Partial<LowRank>;
  const U = checkMatrix(op, 'U', u);
  const S = checkMatrix(op, 'S', s);
  const V = checkMatrix(op, 'V', v);
  const r = U.cols;
  if (V.cols !== r || S.rows !== r || S.cols !== r) {
    throw new ShapeError(
      `${op}: expected U: d_out×r, S: r×r, V: d_in×r, got U ${formatShape([U.rows, U.cols])}, S ${formatShape([S.rows, S.cols])}, V ${formatShape([V.rows, V.cols])}`,
    );
  }
  if (r > Math.min(U.rows, V.rows)) {
    throw new ShapeError(`${op}: rank r = ${r} must be <= min(d_out, d_in) = min(${U.rows}, ${V.rows})`);
  }
  const tol = options.orthoTol ?? 1e-8;
  if (tol !== Number.POSITIVE_INFINITY) {
    checkNumber(`${op}: options.orthoTol`, tol, { min: 0 });
    for (const [name, q] of [
      ['U', U],
      ['V', V],
    ] as const) {
      const e = orthonormalityError(q);
      if (!(e <= tol)) {
        throw new ArgumentError(
          `${op}: ${name} must have orthonormal columns (‖${name}ᵀ${name} − I‖_F <= ${tol}), got ${e.toExponential(3)}`,
        );
      }
    }
  }
  return { U, S, V };
}

/**
 * Truncated-SVD construction: the best rank-r approximation of A: d_out×d_in (Eckart–Young),
 * with S = diag(σ₁ ≥ … ≥ σ_r). `rank` caps r, `tol` keeps the fewest triplets with
 * ‖A − Y‖_F ≤ tol·‖A‖_F; at least one must be given.
 */
export function fromMatrix(a: Matrix, options: SvdTruncatedOptions): LowRank {
  checkMatrix('fromMatrix', 'a', a);
  if (options?.rank !== undefined && options.rank > Math.min(a.rows, a.cols)) {
    throw new ShapeError(
      `fromMatrix: options.rank = ${options.rank} must be <= min(d_out, d_in) = min(${a.rows}, ${a.cols})`,
    );
  }
  const { U, S, V } = svdTruncated(a, options);
  return { U, S: diag(S), V };
}

/** The dense d_out×d_in matrix U·S·Vᵀ (for small cases, tests and reports). */
export function toDense(y: LowRank): Matrix {
  checkLowRank('toDense', y, { orthoTol: Number.POSITIVE_INFINITY });
  return matmulNT(matmul(y.U, y.S), y.V);
}

/**
 * Rank truncation: SVD of the small core S = P·Σ·Qᵀ, then U ← U·P_k, S ← Σ_k, V ← V·Q_k, with k
 * from `rank` and/or the relative Frobenius `tol` (as in `fromMatrix`). Costs O((d_out + d_in)·r²);
 * the result has a diagonal core.
 */
export function truncate(y: LowRank, options: SvdTruncatedOptions): LowRank {
  checkLowRank('truncate', y, { orthoTol: Number.POSITIVE_INFINITY });
  const { U: P, S: sigma, V: Q } = svdTruncated(y.S, options);
  return { U: matmul(y.U, P), S: diag(sigma), V: matmul(y.V, Q) };
}

/** ‖Y‖_F = ‖S‖_F (U and V orthonormal). */
export function frobeniusNorm(y: LowRank): number {
  checkFactorShapes('frobeniusNorm', y);
  checkMatrix('frobeniusNorm', 'S', y.S);
  let s = 0;
  for (const v of y.S.data) s += v * v;
  return Math.sqrt(s);
}

/** The accessors' O(1) check: an object whose U, S, V have integer rows and cols of consistent ranks (no data scan). */
function checkFactorShapes(op: string, y: unknown): void {
  const f = y as Partial<LowRank> | null;
  const ok = (m: unknown) =>
    typeof m === 'object' &&
    m !== null &&
    Number.isInteger((m as Matrix).rows) &&
    Number.isInteger((m as Matrix).cols);
  if (typeof f !== 'object' || f === null || !ok(f.U) || !ok(f.S) || !ok(f.V))
    throw new ArgumentError(`${op}: y expected a LowRank {U, S, V}, got ${describeValue(y)}`);
  // still O(1): factors of inconsistent ranks describe no matrix (rankOf answered U's, frobeniusNorm S's)
  const { U, S, V } = f as LowRank;
  if (S.rows !== U.cols || S.cols !== U.cols || V.cols !== U.cols)
    throw new ShapeError(
      `${op}: expected U: d_out×r, S: r×r, V: d_in×r, got U ${formatShape([U.rows, U.cols])}, S ${formatShape([S.rows, S.cols])}, V ${formatShape([V.rows, V.cols])}`,
    );
}
