import { kslCore } from '../integrators/kslCore.js';
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
 * The paper's implicit projector-splitting update (METHODS.md §1.4): tracks A(ω) from ω₀ to ω₁
 * with forward queries only.
 *
 *   P1 = f1(V0) − f0(V0)                   exact ΔA·V0 (r rows on each operator)
 *   U1, Ŝ = QR(U0·S0 + P1);  S̃ = Ŝ − U1ᵀ·P1
 *   P2 ≈ ΔAᵀ·U1 from R = f1(Z) − f0(Z)     (M probe rows on each operator, see TransposeEstimator)
 *   V1, R' = QR(V0·S̃ᵀ + P2);  S1 = R'ᵀ
 *
 * Queries, in this order: ONE call to f0 on the rows [V0ᵀ; Z] ((r + M)×d_in: V0's columns, then
 * the probes), then ONE call to f1 on the same rows — 2(r + M) input vectors. With an F0Cache as
 * f0 the f0 call is skipped (reported as `fromCache`); with `prefetch` one more f1 call on
 * [V1ᵀ; Z_next] (r + M rows) follows. Exact for rank-r A(ω(t)) when the transposed product is
 * exact (estimator 'lstsq', or 'orthogonal' with M a multiple of d_in); with Gaussian probes the
 * error falls like M^(−1/2).
 */
export async function implicitKsl(
  y: LowRank,
  f0: LinearQuery | F0Cache,
  f1: LinearQuery,
  options: ImplicitOptions,
): Promise<ImplicitResult> {
  const op = 'implicitKsl';
  checkLowRank(op, y, { orthoTol: Number.POSITIVE_INFINITY });
  const p = parseImplicitOptions(op, options, y.V.rows);
  const counter = new QueryCounter(op, y.U.rows);
  const { P1, Z, R } = await gatherDifferences(op, y, f0, f1, p, counter);
  const surrogate = kslCore(y, P1, (U1) => estimateTransposeProduct(Z, R, U1, p.estimator));
  if (!p.prefetch) return { surrogate, report: counter.report() };
  const cache = await prefetchF0(surrogate.V, f1, p, counter);
  return { surrogate, report: counter.report(), cache };
}
