import { type Increment, incrementProducts } from '../increment.js';
import { checkLowRank, type LowRank } from '../lowRank.js';
import { kslCore, transposeLowRank } from './kslCore.js';

const unchecked = { orthoTol: Number.POSITIVE_INFINITY };

/**
 * First-order KSL (projector-splitting) step on an explicit increment ΔA = A(t₁) − A(t₀):
 * Y0 = U0·S0·V0ᵀ ≈ A(t₀) → Y1 ≈ A(t₁), same rank. Two products with ΔA (ΔA·V0, ΔAᵀ·U1) and two
 * QRs of d×r matrices. Exact when A(t₀) = Y0 and A(t₁) has rank r (with A(t₁)·V0 of rank r).
 */
export function kslStep(y: LowRank, dA: Increment): LowRank {
  checkLowRank('kslStep', y, unchecked);
  const d = incrementProducts('kslStep', 'dA', dA, y.U.rows, y.V.rows);
  return kslCore(y, d.times(y.V), d.transposeTimes);
}

/**
 * Adjoint first-order step (L-S-K order): the KSL step of the transposed problem Yᵀ ≈ A(t)ᵀ.
 * Exact on rank-r paths like `kslStep`; composing the two gives `strangStep`.
 */
export function lskStep(y: LowRank, dA: Increment): LowRank {
  checkLowRank('lskStep', y, unchecked);
  const d = incrementProducts('lskStep', 'dA', dA, y.U.rows, y.V.rows);
  const yt = transposeLowRank(y);
  return transposeLowRank(kslCore(yt, d.transposeTimes(yt.V), d.times));
}

/**
 * Second-order (Strang) projector-splitting step over [t₀, t₁] with midpoint t½:
 * Φ_h = Φ*_{h/2} ∘ Φ_{h/2}, a K-S-L half step on dAFirst = A(t½) − A(t₀) followed by the adjoint
 * L-S-K half step on dASecond = A(t₁) − A(t½). This is the symmetric (Strang) composition of the
 * Lie splitting with its adjoint, K_{h/2} S_{h/2} L_{h/2} L_{h/2} S_{h/2} K_{h/2}; for a
 * time-dependent A the two middle L half steps see different increments, so they are not merged.
 * Symmetric, hence second order in h when A(t) is not exactly rank r; exact on rank-r paths like
 * the first-order step.
 */
export function strangStep(y: LowRank, dAFirst: Increment, dASecond: Increment): LowRank {
  return lskStep(kslStep(y, dAFirst), dASecond);
}
