import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { lowRankBatch } from './batchCompression.js';
import { layerParamGrad, type ParamQueryable } from './layerLocal.js';

/** ⟨A, G⟩ by the batch sum Σ_b ⟨A x_b, ȳ_b⟩ and by the compressed rows Σ_i ⟨A p_i, w_i⟩. */
function contractions(
  A: Float64Array,
  X: Float64Array,
  Yb: Float64Array,
  B: number,
  dIn: number,
  dOut: number,
) {
  const apply = (x: Float64Array, off: number, i: number) => {
    let s = 0;
    for (let j = 0; j < dIn; j++) s += A[i * dIn + j]! * x[off + j]!;
    return s;
  };
  let batch = 0;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < dOut; i++) batch += apply(X, b * dIn, i) * Yb[b * dOut + i]!;
  return {
    batch,
    rows: (c: { probes: Float64Array; weights: Float64Array; rows: number }) => {
      let s = 0;
      for (let r = 0; r < c.rows; r++)
        for (let i = 0; i < dOut; i++) s += apply(c.probes, r * dIn, i) * c.weights[r * dOut + i]!;
      return s;
    },
  };
}

describe('lowRankBatch', () => {
  it('is exact at k ≥ rank(Ȳᵀ X) for every linear map, with orthonormal probes', () => {
    const rng = new Rng(1);
    const [B, dIn, dOut] = [5, 9, 7];
    const X = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
    const Yb = rng.fillNormal(new Float64Array(B * dOut)) as Float64Array;
    const c = lowRankBatch(X, Yb, B, dIn, dOut, 5);
    expect(c.rows).toBe(5);
    expect(c.captured).toBeCloseTo(1, 14);
    for (let t = 0; t < 3; t++) {
      const A = rng.fillNormal(new Float64Array(dOut * dIn)) as Float64Array;
      const { batch, rows } = contractions(A, X, Yb, B, dIn, dOut);
      expect(rows(c)).toBeCloseTo(batch, 10);
    }
    for (let a = 0; a < 5; a++)
      for (let b = 0; b < 5; b++) {
        let s = 0;
        for (let j = 0; j < dIn; j++) s += c.probes[a * dIn + j]! * c.probes[b * dIn + j]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    // asking for more than the rank keeps rank G = min(B, d_in, d_out) rows, an exactly rank-2 G two
    expect(lowRankBatch(X, Yb, B, dIn, dOut, 50).rows).toBe(5);
    const Y2 = Yb.slice();
    for (let b = 2; b < B; b++) for (let i = 0; i < dOut; i++) Y2[b * dOut + i] = Y2[i]! * b - Y2[dOut + i]!;
    expect(lowRankBatch(X, Y2, B, dIn, dOut, 50).rows).toBe(2);
    expect(lowRankBatch(X, new Float64Array(B * dOut), B, dIn, dOut, 4)).toMatchObject({
      rows: 0,
      captured: 1,
    });
  });

  it('truncates to the best rank-k approximation: captured = Σ_{i≤k} σ_i² / Σ σ_i²', () => {
    const rng = new Rng(2);
    const [B, dIn, dOut] = [6, 8, 8];
    // Ȳ = diag-like rows so G = Ȳᵀ X has known singular values 6, 5, …, 1
    const X = new Float64Array(B * dIn);
    const Yb = new Float64Array(B * dOut);
    for (let b = 0; b < B; b++) {
      X[b * dIn + b] = 1;
      Yb[b * dOut + b] = B - b;
    }
    const c = lowRankBatch(X, Yb, B, dIn, dOut, 2);
    expect(c.rows).toBe(2);
    expect(c.captured).toBeCloseTo((36 + 25) / 91, 14);
    // the kept part equals ⟨A, G_2⟩ for any A
    const A = rng.fillNormal(new Float64Array(dOut * dIn)) as Float64Array;
    expect(contractions(A, X, Yb, B, dIn, dOut).rows(c)).toBeCloseTo(6 * A[0]! + 5 * A[1 * dIn + 1]!, 12);
  });

  it('gives layerParamGrad the same ω̄ at full rank and k queries per direction', async () => {
    const rng = new Rng(3);
    const [B, dIn, dOut] = [4, 6, 5];
    // a linear device A(ω) = reshape(ω)·diag-free: A_ij = sin(ω_ij)
    const device: ParamQueryable = {
      inputSize: dIn,
      outputSize: dOut,
      paramSize: dIn * dOut,
      async query(X, omega) {
        const n = X.length / dIn;
        const out = new Float64Array(n * dOut);
        for (let b = 0; b < n; b++)
          for (let i = 0; i < dOut; i++) {
            let s = 0;
            for (let j = 0; j < dIn; j++) s += Math.sin(omega![i * dIn + j]!) * X[b * dIn + j]!;
            out[b * dOut + i] = s;
          }
        return out;
      },
    };
    const w = rng.fillNormal(new Float64Array(dIn * dOut)) as Float64Array;
    const X = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
    const Yb = rng.fillNormal(new Float64Array(B * dOut)) as Float64Array;
    const plain = await layerParamGrad(device, w, X, Yb, {
      q: 30,
      mu: 1e-7,
      rng: new Rng(9),
      compress: true,
    });
    const full = await layerParamGrad(device, w, X, Yb, {
      q: 30,
      mu: 1e-7,
      rng: new Rng(9),
      compressRank: 4,
    });
    expect(full.compressed).toBe(true);
    expect(full.captured).toBeCloseTo(1, 12);
    expect(full.inputs).toBe(31 * 4);
    expect(plain.inputs).toBe(31 * dOut);
    for (let k = 0; k < w.length; k++) expect(full.grad[k]).toBeCloseTo(plain.grad[k]!, 5);
    const cut = await layerParamGrad(device, w, X, Yb, { q: 30, mu: 1e-7, rng: new Rng(9), compressRank: 2 });
    expect(cut.inputs).toBe(31 * 2);
    expect(cut.captured).toBeGreaterThan(0);
    expect(cut.captured).toBeLessThan(1);
    // Ȳ = 0: nothing to probe, no query, ω̄ = 0
    const none = await layerParamGrad(device, w, X, new Float64Array(B * dOut), {
      q: 30,
      rng: new Rng(9),
      compressRank: 2,
    });
    expect(none.inputs).toBe(0);
    expect(none.grad.every((g) => g === 0)).toBe(true);
    await expect(
      layerParamGrad(device, w, X, Yb, { q: 3, rng: new Rng(1), compressRank: 0 }),
    ).rejects.toThrow(/compressRank/);
  });
});
