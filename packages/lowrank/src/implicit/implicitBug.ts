import { ArgumentError, checkInt, checkNumber, checkOneOf } from '@tenzo/core';
import { type Matrix, matmulTN, transpose } from '@tenzo/linalg';
import { bugBases, galerkinIncrement, truncateAugmented } from '../integrators/bugCore.js';
import { checkLowRank, type LowRank } from '../lowRank.js';
import {
  type F0Cache,
  gatherDifferences,
  type ImplicitOptions,
  type ImplicitResult,
  parseImplicitOptions,
  prefetchF0,
} from './common.js';
import { estimateTransposeProduct } from './probes.js';
import { type LinearQuery, QueryCounter } from './query.js';

/**
 * The S-step's source of U1ᵀ·A(ω₁)·V1:
 * - 'increment' (default, the integrator as published): S1 = (U1ᵀU0)·S0·(V0ᵀV1) + U1ᵀ·ΔA·V1
 *   with ΔA·V1 = f1(V1) − f0(V1) (r1 more rows on each operator);
 * - 'direct': S1 = U1ᵀ·f1(V1) (r1 rows on f1 only), the Galerkin projection of the new operator
 *   itself. It forgets the surrogate's past error instead of carrying it, and it works with an
 *   F0Cache (the increment form needs f0 at V1, which is unknown before the update).
 */
export type GalerkinSource = 'increment' | 'direct';

export interface ImplicitBugOptions extends ImplicitOptions {
  galerkin?: GalerkinSource;
}

export interface ImplicitAdaptiveBugOptions extends ImplicitBugOptions {
  /** relative truncation tolerance on the augmented core (see AdaptiveBugOptions.tol) */
  tol: number;
  /** upper bound on the new rank (default 2r) */
  maxRank?: number;
}

async function bugUpdate(
  op: string,
  y: LowRank,
  f0: LinearQuery | F0Cache,
  f1: LinearQuery,
  options: ImplicitBugOptions,
  adaptive: { tol: number; maxRank: number | undefined } | null,
): Promise<ImplicitResult> {
  checkLowRank(op, y, { orthoTol: Number.POSITIVE_INFINITY });
  const p = parseImplicitOptions(op, options, y.V.rows);
  const galerkin = checkOneOf(`${op}: options.galerkin`, options.galerkin ?? 'increment', [
    'increment',
    'direct',
  ] as const);
  if (galerkin === 'increment' && typeof f0 !== 'function') {
    throw new ArgumentError(
      `${op}: galerkin 'increment' queries f0 at the new basis V1, so f0 must be a LinearQuery, not an F0Cache (use galerkin: 'direct' with a cache)`,
    );
  }
  const counter = new QueryCounter(op, y.U.rows);
  const { P1, Z, R } = await gatherDifferences(op, y, f0, f1, p, counter);
  const LU = estimateTransposeProduct(Z, R, y.U, p.estimator);
  const { U1, V1 } = bugBases(y, P1, LU, adaptive !== null);
  const rows = transpose(V1);
  const parts = [{ purpose: 'galerkin' as const, inputs: V1.cols }];
  let S1: Matrix;
  if (galerkin === 'increment') {
    const a0 = await counter.run(f0 as LinearQuery, 'f0', rows, parts);
    const a1 = await counter.run(f1, 'f1', rows, parts);
    const d = new Float64Array(a1.data.length);
    for (let i = 0; i < d.length; i++) d[i] = a1.data[i]! - a0.data[i]!;
    S1 = galerkinIncrement(y, U1, V1, transpose({ rows: a1.rows, cols: a1.cols, data: d }));
  } else {
    const a1 = await counter.run(f1, 'f1', rows, parts);
    S1 = matmulTN(U1, transpose(a1));
  }
  const surrogate: LowRank =
    adaptive === null
      ? { U: U1, S: S1, V: V1 }
      : truncateAugmented(U1, S1, V1, adaptive.tol, adaptive.maxRank);
  if (!p.prefetch) return { surrogate, report: counter.report() };
  const cache = await prefetchF0(surrogate.V, f1, p, counter);
  return { surrogate, report: counter.report(), cache };
}

/**
 * Query-only fixed-rank BUG update: K = U0·S0 + ΔA·V0 (exact, from f1(V0) − f0(V0)) and
 * L = V0·S0ᵀ + ΔAᵀ·U0 (estimated from the probes) from the old bases, then the Galerkin S-step.
 *
 * Queries, in this order: f0 on [V0ᵀ; Z] (r + M rows; skipped with an F0Cache), f1 on [V0ᵀ; Z];
 * then on V1ᵀ (r rows): f0 and f1 ('increment', total 2(r + M) + 2r) or f1 only ('direct',
 * total 2(r + M) + r); then the optional prefetch on f1 (r + M rows).
 */
export async function implicitBug(
  y: LowRank,
  f0: LinearQuery | F0Cache,
  f1: LinearQuery,
  options: ImplicitBugOptions,
): Promise<ImplicitResult> {
  return bugUpdate('implicitBug', y, f0, f1, options, null);
}

/**
 * Query-only rank-adaptive BUG update: augmented bases [K, U0] and [L, V0] (up to 2r columns),
 * Galerkin S-step on them, truncation to `tol` (relative) and `maxRank`; the new rank r1 is at
 * least 1. Queries as `implicitBug` with 2r galerkin rows instead of r (the augmented V̂), and a
 * prefetch of r1 + M rows.
 */
export async function implicitAdaptiveBug(
  y: LowRank,
  f0: LinearQuery | F0Cache,
  f1: LinearQuery,
  options: ImplicitAdaptiveBugOptions,
): Promise<ImplicitResult> {
  const op = 'implicitAdaptiveBug';
  const tol = checkNumber(`${op}: options.tol`, options?.tol, { min: 0 });
  const maxRank =
    options.maxRank === undefined
      ? undefined
      : checkInt(`${op}: options.maxRank`, options.maxRank, { positive: true });
  return bugUpdate(op, y, f0, f1, options, { tol, maxRank });
}
