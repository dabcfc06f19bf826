import { checkInt, checkNumbers } from '@tenzo/core';
import { type Matrix, matmulNT, qr, svd } from '@tenzo/linalg';
import { checkSizes, checkVector } from '../checks.js';

/**
 * Probes and weights whose contraction Σ_i ⟨f(p_i), w_i⟩ stands in for the batch sum
 * Σ_b ⟨f(x_b), ȳ_b⟩ of a device LINEAR in x (f(x) = A x), which equals ⟨A, G⟩ with G = Ȳᵀ X.
 */
export interface CompressedBatch {
  /** k×d_in probe inputs */
  readonly probes: Float64Array;
  /** k×d_out contraction weights */
  readonly weights: Float64Array;
  /** k: input vectors per device query (at most rank G; 0 when G = 0) */
  readonly rows: number;
  /** share of ‖G‖²_F the kept rows carry (1 = exact) */
  readonly captured: number;
}

/**
 * Low-rank batch compression: the top-k singular triplets of G = Ȳᵀ X (d_out×d_in, rank ≤ B),
 * G ≈ Σ_{i≤k} σ_i u_i v_iᵀ, so ⟨A, G⟩ ≈ Σ_i ⟨A v_i, σ_i u_i⟩: probes v_i, weights σ_i u_i.
 * A ZO direction then costs k device inputs instead of min(B, d_out). The gradient a layer sends
 * back, ȳ, usually lies close to a low-dimensional space (the next layer's row space under
 * varying ReLU masks), so a small k keeps most of ‖G‖²; the rest is a bias the caller trades for
 * more directions (`captured` says how much).
 *
 * Computed from thin QRs of Xᵀ and Ȳᵀ and the SVD of the ≤ B×B core R_y R_xᵀ:
 * O(B²(d_in + d_out) + B³), never forming G. X: B×d_in, Ybar: B×d_out.
 */
export function lowRankBatch(
  X: Float64Array,
  Ybar: Float64Array,
  batch: number,
  dIn: number,
  dOut: number,
  rank: number,
): CompressedBatch {
  checkSizes('lowRankBatch', { batch, dIn, dOut });
  checkNumbers('lowRankBatch: X', checkVector('lowRankBatch', 'X', X), { length: batch * dIn });
  checkNumbers('lowRankBatch: Ybar', checkVector('lowRankBatch', 'Ybar', Ybar), { length: batch * dOut });
  const k0 = checkInt('rank', rank, { positive: true });
  const qx = qr(transposeOf(X, batch, dIn), { mode: 'reduced' });
  const qy = qr(transposeOf(Ybar, batch, dOut), { mode: 'reduced' });
  // core C = R_y R_xᵀ: (my × B)(B × mx)
  const core = matmulNT(qy.R, qx.R);
  const { U, S, V } = svd(core);
  let total = 0;
  for (const s of S) total += s * s;
  // singular directions with σ = 0 (rank(G) < k, or Ȳ = 0) would cost queries for nothing
  let k = 0;
  while (k < Math.min(k0, S.length) && S[k]! > 1e-14 * S[0]!) k++;
  let kept = 0;
  for (let i = 0; i < k; i++) kept += S[i]! * S[i]!;
  const probes = new Float64Array(k * dIn);
  const weights = new Float64Array(k * dOut);
  // v_i = Q_x Vc[:, i], u_i = Q_y Uc[:, i]
  for (let i = 0; i < k; i++) {
    mulColumn(qx.Q, V, i, probes.subarray(i * dIn, (i + 1) * dIn), 1);
    mulColumn(qy.Q, U, i, weights.subarray(i * dOut, (i + 1) * dOut), S[i]!);
  }
  return { probes, weights, rows: k, captured: total > 0 ? kept / total : 1 };
}

function transposeOf(a: Float64Array, rows: number, cols: number): Matrix {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return { rows: cols, cols: rows, data: out };
}

/** out = scale · Q · C[:, col] for Q: m×r, C: r×c. */
function mulColumn(Q: Matrix, C: Matrix, col: number, out: Float64Array, scale: number): void {
  for (let i = 0; i < Q.rows; i++) {
    let s = 0;
    for (let t = 0; t < Q.cols; t++) s += Q.data[i * Q.cols + t]! * C.data[t * C.cols + col]!;
    out[i] = scale * s;
  }
}
