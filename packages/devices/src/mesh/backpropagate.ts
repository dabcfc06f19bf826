import { applyBlock, applyBlockAdjoint, blockDerivatives, type MeshModel } from './propagate.js';

/**
 * The reverse sweep through a mesh's blocks (screens excluded) for L = Re Σ_b λ_bᴴ z_b at the
 * mesh's output. On entry z (zr, zi) is the state after the last block and λ (lr, li) the
 * adjoint there, both mode-major N×B; on return z is the state before the first block
 * (reconstructed through each block's inverse Tᴴ/η² — every cell is η × unitary — so no
 * intermediate state is stored) and λ the adjoint before it. ∂L/∂θ of the two phases of each
 * block, Re Σ_b λ_afterᴴ (∂T/∂θ) z_before, is written to grad[gradOffset + layout offset].
 */
export function backpropagateBlocks(
  model: MeshModel,
  mats: Float64Array,
  phases: Float64Array,
  zr: Float64Array,
  zi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  batch: number,
  grad: Float64Array,
  gradOffset = 0,
): void {
  const { layout } = model;
  const dT = new Float64Array(16);
  const tmpR = new Float64Array(2 * batch);
  const tmpI = new Float64Array(2 * batch);
  const inv = 1 / (model.eta * model.eta);
  for (let c = layout.columns.length - 1; c >= 0; c--) {
    const modes = layout.columns[c]!;
    const offs = layout.offsets[c]!;
    for (let k = modes.length - 1; k >= 0; k--) {
      const m = modes[k]!;
      const off = offs[k]!;
      applyBlockAdjoint(mats, 4 * off, m, zr, zi, batch, inv);
      blockDerivatives(model, phases, off / 2, dT);
      for (let h = 0; h < 2; h++) {
        // Re Σ_b λᴴ (D z) over modes (m, m+1) for the derivative D = dT[8h …]
        tmpR.set(zr.subarray(m * batch, (m + 2) * batch));
        tmpI.set(zi.subarray(m * batch, (m + 2) * batch));
        applyBlock(dT, 8 * h, 0, tmpR, tmpI, batch);
        let s = 0;
        for (let j = 0; j < 2 * batch; j++)
          s += lr[m * batch + j]! * tmpR[j]! + li[m * batch + j]! * tmpI[j]!;
        grad[gradOffset + off + h] = s;
      }
      applyBlockAdjoint(mats, 4 * off, m, lr, li, batch);
    }
  }
}

/**
 * ∂L/∂ψ_j of a phase screen z ← e^{iψ} z for L = Re Σ_b λ_bᴴ z_b, written to grad[off + j]:
 * Re Σ_b i λ̄ z_after = −Im Σ_b λ̄ z_after = Σ_b (λi zr − λr zi), with z the state just after the
 * screen and λ the adjoint there (mode-major N×B).
 */
export function screenGradient(
  zr: Float64Array,
  zi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  n: number,
  batch: number,
  grad: Float64Array,
  off: number,
): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let b = 0; b < batch; b++) {
      const k = j * batch + b;
      s += li[k]! * zr[k]! - lr[k]! * zi[k]!;
    }
    grad[off + j] = s;
  }
}
