import { checkInt, checkNumber } from '@tenzo/core';
import { type Increment, incrementProducts } from '../increment.js';
import { checkLowRank, type LowRank } from '../lowRank.js';
import { bugBases, galerkinIncrement, truncateAugmented } from './bugCore.js';

const unchecked = { orthoTol: Number.POSITIVE_INFINITY };

/**
 * Fixed-rank BUG (basis-update & Galerkin, Ceruti & Lubich 2022) step on an explicit increment
 * ΔA = A(t₁) − A(t₀): new bases from K = U0·S0 + ΔA·V0 and L = V0·S0ᵀ + ΔAᵀ·U0 (both from the
 * old bases), then the forward Galerkin S-step. No backward-in-time substep, which is what makes
 * it robust for dissipative problems; exact on rank-r paths like KSL. Three products with ΔA.
 */
export function bugStep(y: LowRank, dA: Increment): LowRank {
  checkLowRank('bugStep', y, unchecked);
  const d = incrementProducts('bugStep', 'dA', dA, y.U.rows, y.V.rows);
  const { U1, V1 } = bugBases(y, d.times(y.V), d.transposeTimes(y.U), false);
  return { U: U1, S: galerkinIncrement(y, U1, V1, d.times(V1)), V: V1 };
}

/** Options of the rank-adaptive BUG step: the relative truncation tolerance ϑ and an optional rank cap. */
export interface AdaptiveBugOptions {
  /**
   * truncation tolerance ϑ, relative: keep the fewest singular values of the augmented core
   * with (Σ_dropped σ²)^{1/2} ≤ tol·‖Ŝ‖_F
   */
  tol: number;
  /** upper bound on the new rank (default 2r, the augmented size) */
  maxRank?: number;
}

/**
 * Rank-adaptive BUG step (Ceruti, Kusch & Lubich 2022): bases augmented with the old ones
 * (up to 2r columns), Galerkin S-step on the augmented bases, then truncation to tolerance.
 * The rank can grow by up to r per step or shrink to what `tol` allows (never below 1).
 */
export function adaptiveBugStep(y: LowRank, dA: Increment, options: AdaptiveBugOptions): LowRank {
  checkLowRank('adaptiveBugStep', y, unchecked);
  const tol = checkNumber('adaptiveBugStep: options.tol', options?.tol, { min: 0 });
  const maxRank =
    options.maxRank === undefined
      ? undefined
      : checkInt('adaptiveBugStep: options.maxRank', options.maxRank, { positive: true });
  const d = incrementProducts('adaptiveBugStep', 'dA', dA, y.U.rows, y.V.rows);
  const { U1, V1 } = bugBases(y, d.times(y.V), d.transposeTimes(y.U), true);
  return truncateAugmented(U1, galerkinIncrement(y, U1, V1, d.times(V1)), V1, tol, maxRank);
}
