import { ArgumentError, OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { denseQuery, growingRankPath, Rng, relErr, rotatingPath } from '../../test/helpers.js';
import { fromMatrix, type LowRank, toDense } from '../lowRank.js';
import { orthonormalityError } from '../orthonormality.js';
import type { F0Cache } from './common.js';
import { implicitAdaptiveBug, implicitBug } from './implicitBug.js';

describe('implicitBug', () => {
  const path = rotatingPath(new Rng(31), 24, 16, [5, 4, 3, 2, 1]);

  for (const galerkin of ['increment', 'direct'] as const) {
    it(`(${galerkin}) with exact transposed products reproduces a rank-5 path to ≤ 1e-10 after 200 steps`, async () => {
      let y = fromMatrix(path(0), { rank: 5 });
      let worst = 0;
      for (let i = 0; i < 200; i++) {
        const res = await implicitBug(y, denseQuery(path(i * 0.01)), denseQuery(path((i + 1) * 0.01)), {
          samples: 16,
          estimator: 'lstsq',
          galerkin,
        });
        y = res.surrogate;
        worst = Math.max(worst, orthonormalityError(y.U), orthonormalityError(y.V));
        const r = 5;
        const M = 16;
        expect(res.report.forwardQueries).toBe(2 * (r + M) + (galerkin === 'increment' ? 2 * r : r));
      }
      expect(relErr(toDense(y), path(2))).toBeLessThan(1e-10);
      expect(worst).toBeLessThan(1e-12);
    });
  }

  it("queries f0, f1 on [V0ᵀ; Z], then f0, f1 on V1ᵀ ('increment') or f1 only ('direct')", async () => {
    const y0 = fromMatrix(path(0), { rank: 5 });
    const inc = await implicitBug(y0, denseQuery(path(0)), denseQuery(path(0.01)), { samples: 3 });
    expect(
      inc.report.calls.map((c) => [c.target, c.parts.map((p) => `${p.purpose}:${p.inputs}`).join(',')]),
    ).toEqual([
      ['f0', 'basis:5,probes:3'],
      ['f1', 'basis:5,probes:3'],
      ['f0', 'galerkin:5'],
      ['f1', 'galerkin:5'],
    ]);
    const dir = await implicitBug(y0, denseQuery(path(0)), denseQuery(path(0.01)), {
      samples: 3,
      galerkin: 'direct',
    });
    expect(dir.report.calls.map((c) => c.target)).toEqual(['f0', 'f1', 'f1']);
    expect(dir.report.f1Queries).toBe(5 + 3 + 5);
  });

  it("'direct' works with an f0 cache (no f0 queries after the first update); 'increment' refuses one", async () => {
    const rng = new Rng(5);
    let y: LowRank = fromMatrix(path(0), { rank: 5 });
    let cache: F0Cache | undefined;
    for (let i = 0; i < 20; i++) {
      const f0 = denseQuery(path(i * 0.01));
      const res = await implicitBug(y, cache ?? f0, denseQuery(path((i + 1) * 0.01)), {
        samples: 16,
        estimator: 'lstsq',
        galerkin: 'direct',
        rng,
        prefetch: true,
      });
      if (i > 0) expect(res.report.f0Queries).toBe(0);
      y = res.surrogate;
      cache = res.cache;
    }
    expect(relErr(toDense(y), path(0.2))).toBeLessThan(1e-10);
    await expect(
      implicitBug(y, cache!, denseQuery(path(0.2)), { samples: 16, estimator: 'lstsq' }),
    ).rejects.toThrow(ArgumentError);
  });
});

describe('implicitAdaptiveBug', () => {
  it('adapts the rank from queries only: grows to the operator rank, shrinks back', async () => {
    // rank 3 at t = 0, rank 5 for t > 0
    const A = growingRankPath(new Rng(41), 24, 16, 3, 5);
    let y = fromMatrix(A(0), { rank: 3 });
    const ranks: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await implicitAdaptiveBug(y, denseQuery(A(i * 0.1)), denseQuery(A((i + 1) * 0.1)), {
        samples: 16,
        estimator: 'lstsq',
        tol: 1e-9,
      });
      expect(res.report.forwardQueries).toBe(2 * (y.U.cols + 16) + 2 * 2 * y.U.cols);
      y = res.surrogate;
      ranks.push(y.U.cols);
    }
    expect(ranks).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(relErr(toDense(y), A(1))).toBeLessThan(1e-9);
    for (let i = 0; i < 10; i++) {
      const res = await implicitAdaptiveBug(y, denseQuery(A(1 - i * 0.1)), denseQuery(A(1 - (i + 1) * 0.1)), {
        samples: 16,
        estimator: 'lstsq',
        tol: 1e-9,
      });
      y = res.surrogate;
    }
    expect(y.U.cols).toBe(3);
    expect(relErr(toDense(y), A(0))).toBeLessThan(1e-9);
    await expect(
      implicitAdaptiveBug(y, denseQuery(A(1)), denseQuery(A(1)), { samples: 16, tol: -1 }),
    ).rejects.toThrow(OutOfRangeError);
  });
});
