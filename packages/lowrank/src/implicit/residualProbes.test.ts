import { ArgumentError, ShapeError } from '@tenzo/core';
import { type Matrix, matmul, matmulNT, norm, sub } from '@tenzo/linalg';
import { describe, expect, it } from 'vitest';
import { denseQuery, logLogSlope, Rng, randn, relErr, rotatingPath } from '../../test/helpers.js';
import { applyTranspose } from '../apply.js';
import { fromMatrix } from '../lowRank.js';
import { applyTransposeCorrected, probeResidual } from './residualProbes.js';

describe('probeResidual / applyTransposeCorrected', () => {
  // a full-rank 12×9 operator and its rank-3 truncation: the surrogate misses most of Aᵀȳ
  const a = randn(new Rng(3), 12, 9);
  const y = fromMatrix(a, { rank: 3 });
  const g = randn(new Rng(5), 6, 12); // 6 rows ȳ_b
  const exact = matmul(g, a); // row b = Aᵀȳ_b

  it('spends M queries on f, one call, purpose correction; R is A·z − Y·z', async () => {
    const p = await probeResidual(y, denseQuery(a), { samples: 7, seed: 1 });
    expect(p.report.forwardQueries).toBe(7);
    expect(p.report.calls).toEqual([
      { target: 'f1', fromCache: false, inputs: 7, parts: [{ purpose: 'correction', inputs: 7 }] },
    ]);
    expect([p.z.rows, p.z.cols, p.residual.rows, p.residual.cols]).toEqual([7, 9, 7, 12]);
    // row j of R, checked densely: (A − Y) z_j
    const dense = sub(a, matmulNT(matmul(y.U, y.S), y.V));
    const want = matmulNT(p.z, dense);
    expect(relErr(p.residual, want)).toBeLessThan(1e-12);
  });

  it('is exact when the surrogate is (the residual vanishes)', async () => {
    const low = rotatingPath(new Rng(4), 12, 9, [3, 2, 1])(0.2);
    const s = fromMatrix(low, { rank: 3 });
    const p = await probeResidual(s, denseQuery(low), { samples: 5, seed: 2 });
    expect(norm(p.residual) / norm(low)).toBeLessThan(1e-12);
    expect(relErr(applyTransposeCorrected(s, p, g), matmul(g, low))).toBeLessThan(1e-12);
  });

  it('orthogonal probes with M = d_in recover Aᵀȳ exactly from a rank-3 surrogate', async () => {
    const p = await probeResidual(y, denseQuery(a), { samples: 9, estimator: 'orthogonal', seed: 4 });
    expect(relErr(applyTransposeCorrected(y, p, g), exact)).toBeLessThan(1e-12);
  });

  it('is unbiased: the mean over 2,000 independent draws of M = 4 approaches Aᵀȳ', async () => {
    const rng = new Rng(11);
    const n = 2000;
    const mean = new Float64Array(exact.data.length);
    for (let t = 0; t < n; t++) {
      const p = await probeResidual(y, denseQuery(a), { samples: 4, rng });
      const x = applyTransposeCorrected(y, p, g);
      for (let i = 0; i < mean.length; i++) mean[i]! += x.data[i]! / n;
    }
    const biased = relErr(applyTranspose(y, g), exact);
    expect(biased).toBeGreaterThan(0.3); // what the rank-3 surrogate alone misses
    // one draw's relative error is ~√(d_in/M)·‖(A−Y)ᵀȳ‖/‖Aᵀȳ‖ ≈ 1; the mean's ≈ 1/√2000 ≈ 0.02
    expect(relErr({ rows: exact.rows, cols: exact.cols, data: mean }, exact)).toBeLessThan(0.06);
  });

  it('with Gaussian probes the error falls like M^(-1/2) (fitted log-log slope −0.5 ± 0.15)', async () => {
    const rng = new Rng(12);
    const ms = [4, 16, 64, 256];
    const errs: number[] = [];
    for (const m of ms) {
      let sq = 0;
      for (let t = 0; t < 40; t++) {
        const p = await probeResidual(y, denseQuery(a), { samples: m, rng });
        sq += relErr(applyTransposeCorrected(y, p, g), exact) ** 2;
      }
      errs.push(Math.sqrt(sq / 40));
    }
    const slope = logLogSlope(ms, errs);
    expect(slope).toBeGreaterThan(-0.65);
    expect(slope).toBeLessThan(-0.35);
  });

  it('the same seed gives the same probes', async () => {
    const p1 = await probeResidual(y, denseQuery(a), { samples: 6, seed: 9 });
    const p2 = await probeResidual(y, denseQuery(a), { samples: 6, seed: 9 });
    expect(p2.z.data).toEqual(p1.z.data);
    expect(p2.residual.data).toEqual(p1.residual.data);
  });

  it('rejects bad arguments, naming them', async () => {
    const f = denseQuery(a);
    await expect(probeResidual(y, f, { samples: 0 })).rejects.toThrow(/options\.samples/);
    await expect(
      probeResidual(y, f, { samples: 4, estimator: 'lstsq' as unknown as 'gaussian' }),
    ).rejects.toThrow(ArgumentError);
    await expect(probeResidual(y, 3 as unknown as typeof f, { samples: 4 })).rejects.toThrow(/f must be/);
    // an operator that answers with the wrong output size
    const wrong = (x: Matrix) => matmul(x, randn(new Rng(1), 9, 5));
    await expect(probeResidual(y, wrong, { samples: 4 })).rejects.toThrow(ShapeError);
    const p = await probeResidual(y, f, { samples: 4 });
    expect(() => applyTransposeCorrected(y, p, randn(new Rng(2), 3, 11))).toThrow(ShapeError);
    const other = fromMatrix(randn(new Rng(6), 12, 8), { rank: 3 });
    expect(() => applyTransposeCorrected(other, p, g)).toThrow(/probes must be Z: M×d_in/);
  });
});
