import { ArgumentError, NonFiniteError, OutOfRangeError, ShapeError } from '@tenzo/core';
import type { Matrix } from '@tenzo/linalg';
import { describe, expect, it } from 'vitest';
import { denseQuery, logLogSlope, Rng, relErr, rotatingPath } from '../../test/helpers.js';
import { fromMatrix, type LowRank, toDense } from '../lowRank.js';
import { orthonormalityError } from '../orthonormality.js';
import type { F0Cache } from './common.js';
import { implicitKsl } from './implicitKsl.js';
import type { TransposeEstimator } from './probes.js';
import type { LinearQuery } from './query.js';

async function trackImplicit(
  path: (t: number) => Matrix,
  r: number,
  steps: number,
  h: number,
  samples: number,
  estimator: TransposeEstimator,
  seed: number,
): Promise<{ y: LowRank; worstOrtho: number }> {
  let y = fromMatrix(path(0), { rank: r });
  const rng = new Rng(seed);
  let worstOrtho = 0;
  for (let i = 0; i < steps; i++) {
    const res = await implicitKsl(y, denseQuery(path(i * h)), denseQuery(path((i + 1) * h)), {
      samples,
      estimator,
      rng,
    });
    y = res.surrogate;
    worstOrtho = Math.max(worstOrtho, orthonormalityError(y.U), orthonormalityError(y.V));
  }
  return { y, worstOrtho };
}

describe('implicitKsl', () => {
  const path = rotatingPath(new Rng(21), 24, 16, [5, 4, 3, 2, 1]);

  it('with exact transposed products (lstsq, M = d_in) reproduces a rank-5 path to ≤ 1e-10 after 200 steps', async () => {
    const { y, worstOrtho } = await trackImplicit(path, 5, 200, 0.01, 16, 'lstsq', 1);
    expect(relErr(toDense(y), path(2))).toBeLessThan(1e-10);
    expect(worstOrtho).toBeLessThan(1e-12);
  });

  it("with 'orthogonal' probes and M = d_in is exact too", async () => {
    const { y } = await trackImplicit(path, 5, 50, 0.01, 16, 'orthogonal', 2);
    expect(relErr(toDense(y), path(0.5))).toBeLessThan(1e-10);
  });

  it('with Gaussian probes the error falls like M^(-1/2) (fitted log-log slope −0.5 ± 0.15)', async () => {
    const Ms = [4, 16, 64, 256, 1024];
    const seeds = [1, 2, 3, 4, 5, 6];
    const ms: number[] = [];
    const errs: number[] = [];
    for (const M of Ms) {
      let sq = 0;
      for (const seed of seeds) {
        const { y } = await trackImplicit(path, 5, 5, 0.02, M, 'gaussian', 100 * M + seed);
        sq += relErr(toDense(y), path(0.1)) ** 2;
      }
      ms.push(M);
      errs.push(Math.sqrt(sq / seeds.length));
    }
    const slope = logLogSlope(ms, errs);
    expect(slope).toBeGreaterThan(-0.65);
    expect(slope).toBeLessThan(-0.35);
  });

  it("'orthogonal' probes have lower error than Gaussian ones at the same M < d_in", async () => {
    let g = 0;
    let o = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      g += relErr(toDense((await trackImplicit(path, 5, 5, 0.02, 8, 'gaussian', seed)).y), path(0.1));
      o += relErr(toDense((await trackImplicit(path, 5, 5, 0.02, 8, 'orthogonal', seed)).y), path(0.1));
    }
    expect(o).toBeLessThan(g);
  });

  it('uses 2(r + M) forward queries: r + M on f0 then r + M on f1, on the rows [V0ᵀ; Z]', async () => {
    const y0 = fromMatrix(path(0), { rank: 5 });
    const seen: { target: string; x: Matrix }[] = [];
    const spy =
      (target: string, a: Matrix): LinearQuery =>
      (x) => {
        seen.push({ target, x });
        return denseQuery(a)(x);
      };
    for (const M of [1, 7, 30]) {
      seen.length = 0;
      const { report } = await implicitKsl(y0, spy('f0', path(0)), spy('f1', path(0.01)), {
        samples: M,
        seed: 3,
      });
      expect(report.forwardQueries).toBe(2 * (5 + M));
      expect(report.f0Queries).toBe(5 + M);
      expect(report.f1Queries).toBe(5 + M);
      expect(report.cachedF0).toBe(0);
      expect(report.calls.map((c) => [c.target, c.inputs, c.fromCache])).toEqual([
        ['f0', 5 + M, false],
        ['f1', 5 + M, false],
      ]);
      expect(report.calls[0]!.parts).toEqual([
        { purpose: 'basis', inputs: 5 },
        { purpose: 'probes', inputs: M },
      ]);
      expect(seen.map((s) => s.target)).toEqual(['f0', 'f1']);
      expect(seen[0]!.x.data).toEqual(seen[1]!.x.data);
      // the first r rows are V0's columns
      for (let j = 0; j < 5; j++)
        for (let i = 0; i < 16; i++) expect(seen[0]!.x.data[j * 16 + i]).toBe(y0.V.data[i * 5 + j]);
    }
  });

  it('with prefetch, the cache replaces f0: no f0 queries, 2(r + M) on f1, identical results', async () => {
    const rngA = new Rng(8);
    const rngB = new Rng(8);
    let a = fromMatrix(path(0), { rank: 5 });
    let b = a;
    let cache: F0Cache | undefined;
    const h = 0.01;
    const f0Calls: number[] = [];
    for (let i = 0; i < 6; i++) {
      const f0 = denseQuery(path(i * h));
      const f1 = denseQuery(path((i + 1) * h));
      // reference: f0 called every time; it draws its probes from the same stream, in the same
      // order, as the prefetching run (which draws the next update's probes at prefetch time)
      const ra = await implicitKsl(a, f0, f1, { samples: 6, rng: rngA });
      a = ra.surrogate;
      const f0Counted: LinearQuery = (x) => {
        f0Calls.push(x.rows);
        return f0(x);
      };
      const rb = await implicitKsl(b, cache ?? f0Counted, f1, { samples: 6, rng: rngB, prefetch: true });
      b = rb.surrogate;
      cache = rb.cache;
      if (i > 0) {
        expect(rb.report.f0Queries).toBe(0);
        expect(rb.report.cachedF0).toBe(11);
        expect(rb.report.forwardQueries).toBe(2 * (5 + 6));
        expect(rb.report.calls.map((c) => c.parts[0]!.purpose)).toEqual(['basis', 'basis', 'prefetch']);
      }
    }
    expect(f0Calls).toEqual([11]);
    expect(b.U.data).toEqual(a.U.data);
    expect(b.S.data).toEqual(a.S.data);
    expect(b.V.data).toEqual(a.V.data);
  });

  it('accepts async queries returning row-major Float64Arrays (the PhysicalDevice shape)', async () => {
    const y0 = fromMatrix(path(0), { rank: 5 });
    const asFlat =
      (a: Matrix): LinearQuery =>
      async (x) =>
        denseQuery(a)(x).data;
    const r1 = await implicitKsl(y0, asFlat(path(0)), asFlat(path(0.01)), {
      samples: 16,
      estimator: 'lstsq',
    });
    const r2 = await implicitKsl(y0, denseQuery(path(0)), denseQuery(path(0.01)), {
      samples: 16,
      estimator: 'lstsq',
    });
    expect(relErr(toDense(r1.surrogate), toDense(r2.surrogate))).toBe(0);
  });

  it('rejects bad inputs with named errors', async () => {
    const y0 = fromMatrix(path(0), { rank: 5 });
    const f = denseQuery(path(0));
    await expect(implicitKsl(y0, f, f, { samples: 0 })).rejects.toThrow(OutOfRangeError);
    await expect(implicitKsl(y0, f, f, { samples: 4, rng: {} as Rng })).rejects.toThrow(
      /options.rng must be an Rng/,
    );
    await expect(implicitKsl(y0, f, f, { samples: 8, estimator: 'lstsq' })).rejects.toThrow(
      /needs options.samples >= d_in = 16/,
    );
    await expect(
      implicitKsl(y0, f, f, { samples: 4, estimator: 'nope' as TransposeEstimator }),
    ).rejects.toThrow(ArgumentError);
    const wrongWidth: LinearQuery = (x) => ({ rows: x.rows, cols: 23, data: new Float64Array(x.rows * 23) });
    await expect(implicitKsl(y0, f, wrongWidth, { samples: 4 })).rejects.toThrow(ShapeError);
    const nan: LinearQuery = (x) => ({
      rows: x.rows,
      cols: 24,
      data: new Float64Array(x.rows * 24).fill(Number.NaN),
    });
    await expect(implicitKsl(y0, f, nan, { samples: 4 })).rejects.toThrow(NonFiniteError);
    const flatWrong: LinearQuery = (x) => new Float64Array(x.rows * 24 + 1);
    await expect(implicitKsl(y0, f, flatWrong, { samples: 4 })).rejects.toThrow(ShapeError);
    const other = fromMatrix(path(0.5), { rank: 5 });
    const { cache } = await implicitKsl(y0, f, f, { samples: 4, prefetch: true });
    await expect(implicitKsl(other, cache!, f, { samples: 4 })).rejects.toThrow(/different basis V/);
    await expect(implicitKsl(y0, f, f, { samples: 4 })).resolves.toBeDefined();
  });
});
