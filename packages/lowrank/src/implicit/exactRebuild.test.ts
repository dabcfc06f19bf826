import { ArgumentError, ShapeError } from '@tenzo/core';
import { type Matrix, matmul, matmulTN, norm, sub } from '@tenzo/linalg';
import { describe, expect, it } from 'vitest';
import { denseQuery, Rng, randn, relErr, rotatingPath } from '../../test/helpers.js';
import { fromMatrix, toDense } from '../lowRank.js';
import { orthonormalityError } from '../orthonormality.js';
import { exactRebuild } from './exactRebuild.js';
import type { LinearQuery } from './query.js';

describe('exactRebuild', () => {
  const a = rotatingPath(new Rng(4), 20, 14, [4, 3, 2, 1])(0.3);

  it('recovers a rank-r operator from its d_in identity queries, in batches', async () => {
    const batches: number[] = [];
    const f: LinearQuery = async (x) => {
      batches.push(x.rows);
      return denseQuery(a)(x);
    };
    const { surrogate, report, singularValues } = await exactRebuild(f, 14, 4, { batchSize: 5 });
    expect(relErr(toDense(surrogate), a)).toBeLessThan(1e-13);
    expect(orthonormalityError(surrogate.U)).toBeLessThan(1e-12);
    expect(batches).toEqual([5, 5, 4]);
    expect(report.forwardQueries).toBe(14);
    expect(report.calls.every((c) => c.target === 'f1' && c.parts[0]!.purpose === 'rebuild')).toBe(true);
    expect(singularValues.length).toBe(14);
    expect(singularValues[3]).toBeCloseTo(1, 12);
    expect(singularValues[4]!).toBeLessThan(1e-13);
  });

  it('equals the truncated SVD of the dense operator (best rank-r) on a full-rank one', async () => {
    const b = randn(new Rng(1), 12, 9);
    const { surrogate } = await exactRebuild(denseQuery(b), 9, 3);
    const best = fromMatrix(b, { rank: 3 });
    expect(relErr(toDense(surrogate), toDense(best))).toBeLessThan(1e-12);
  });

  it('Gaussian and orthogonal probes: exact with samples ≥ d_in; below, A·P_Z with exact range', async () => {
    for (const probes of ['gaussian', 'orthogonal'] as const) {
      const full = await exactRebuild(denseQuery(a), 14, 4, { probes, samples: 14, seed: 2 });
      expect(relErr(toDense(full.surrogate), a)).toBeLessThan(1e-10);
      const few = await exactRebuild(denseQuery(a), 14, 4, { probes, samples: 8, seed: 2 });
      expect(few.report.forwardQueries).toBe(8);
      // U spans range(A) exactly (rank 4 ≤ 8 samples), V only the part of the row space the probes saw
      const U = few.surrogate.U;
      const resid = sub(a, matmul(U, matmulTN(U, a)));
      expect(norm(resid) / norm(a)).toBeLessThan(1e-10);
      expect(relErr(toDense(few.surrogate), a)).toBeGreaterThan(1e-3);
    }
  });

  it("'randomized' SVD agrees with the full one on a rank-r operator; tol truncates", async () => {
    const { surrogate } = await exactRebuild(denseQuery(a), 14, 4, { svd: 'randomized', seed: 7 });
    expect(relErr(toDense(surrogate), a)).toBeLessThan(1e-12);
    const t = await exactRebuild(denseQuery(a), 14, 4, { tol: 0.3 });
    expect(t.surrogate.U.cols).toBeLessThan(4);
  });

  it('rejects bad arguments', async () => {
    const f = denseQuery(a);
    await expect(exactRebuild(f, 14, 15)).rejects.toThrow(ShapeError);
    await expect(exactRebuild(f, 14, 0)).rejects.toThrow(/rank/);
    await expect(exactRebuild(f, 0, 2)).rejects.toThrow(/dIn/);
    await expect(exactRebuild(f, 13, 2)).rejects.toThrow(ShapeError);
    await expect(exactRebuild(f, 14, 2, { probes: 'sobol' as 'gaussian' })).rejects.toThrow(ArgumentError);
    const ragged: LinearQuery = (x: Matrix) => new Float64Array(x.rows * 20 - 1);
    await expect(exactRebuild(ragged, 14, 2)).rejects.toThrow(ShapeError);
  });
});
