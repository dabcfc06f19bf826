import { type Matrix, matmul, matmulNT, matmulTN, qr, transpose } from '@tenzo/linalg';
import type { LowRank } from '../lowRank.js';
import { addInto } from './dense.js';

/**
 * One first-order projector-splitting (Lubich & Oseledets 2014) step in increments, given
 * P1 = ΔA·V0 (d_out×r) and a way to form ΔAᵀ·U1 once U1 is known (METHODS.md §1.4):
 *
 *   K-step  U1, Ŝ = QR(U0·S0 + P1)
 *   S-step  S̃ = Ŝ − U1ᵀ·P1            (backward in time)
 *   L-step  V1, R = QR(V0·S̃ᵀ + ΔAᵀ·U1),  S1 = Rᵀ
 *
 * Exact when A(t) stays rank r (their Theorem 4.1), whatever the step size: the S-step's minus
 * sign cancels the part of ΔA that the K- and L-steps would count twice.
 */
export function kslCore(y: LowRank, p1: Matrix, transposeTimes: (u1: Matrix) => Matrix): LowRank {
  const k = addInto(matmul(y.U, y.S), p1);
  const { Q: U1, R: sHat } = qr(k);
  const sTilde = addInto(sHat, matmulTN(U1, p1), -1);
  const l = addInto(matmulNT(y.V, sTilde), transposeTimes(U1));
  const { Q: V1, R } = qr(l);
  return { U: U1, S: transpose(R), V: V1 };
}

/** Yᵀ = V·Sᵀ·Uᵀ as a LowRank (the transposed problem, for the adjoint L-S-K ordering). */
export function transposeLowRank(y: LowRank): LowRank {
  return { U: y.V, S: transpose(y.S), V: y.U };
}
