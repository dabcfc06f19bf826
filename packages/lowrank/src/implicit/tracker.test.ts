import { ArgumentError, StateError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { denseQuery, growingRankPath, Rng, relErr, rotatingPath } from '../../test/helpers.js';
import { toDense } from '../lowRank.js';
import type { LinearQuery } from './query.js';
import { ImplicitTracker } from './tracker.js';

describe('ImplicitTracker', () => {
  const path = rotatingPath(new Rng(51), 20, 12, [4, 3, 2]);
  const h = 0.01;

  it('init is an exact build from d_in queries; updates cost 2(r + M); tracks exactly with lstsq', async () => {
    const t = new ImplicitTracker(12, { rank: 3, samples: 12, estimator: 'lstsq', seed: 1 });
    const first = await t.init(denseQuery(path(0)));
    expect(first).toMatchObject({ kind: 'rebuild', forwardQueries: 12, rank: 3 });
    for (let i = 0; i < 100; i++) {
      const rep = await t.update(denseQuery(path((i + 1) * h)), denseQuery(path(i * h)));
      expect(rep).toMatchObject({
        kind: 'update',
        forwardQueries: 2 * (3 + 12),
        f0Queries: 15,
        f1Queries: 15,
      });
    }
    expect(relErr(toDense(t.surrogate!), path(100 * h))).toBeLessThan(1e-10);
    expect(t.updatesSinceRebuild).toBe(100);
  });

  it('with cacheF0 never queries f0: r + M rows prefetched after init, then 2(r + M) on f1 per update', async () => {
    let f0Calls = 0;
    const t = new ImplicitTracker(12, { rank: 3, samples: 5, cacheF0: true, seed: 2 });
    const init = await t.init(denseQuery(path(0)));
    expect(init.forwardQueries).toBe(12 + 3 + 5);
    expect(init.calls.map((c) => c.parts[0]!.purpose)).toEqual(['rebuild', 'prefetch']);
    for (let i = 0; i < 10; i++) {
      const f0: LinearQuery = (x) => {
        f0Calls++;
        return denseQuery(path(i * h))(x);
      };
      const rep = await t.update(denseQuery(path((i + 1) * h)), f0);
      expect(rep).toMatchObject({ f0Queries: 0, cachedF0: 8, f1Queries: 16, forwardQueries: 2 * (3 + 5) });
    }
    expect(f0Calls).toBe(0);
    const bug = new ImplicitTracker(12, {
      rank: 3,
      samples: 12,
      integrator: 'bug',
      cacheF0: true,
      estimator: 'lstsq',
    });
    await bug.init(denseQuery(path(0)));
    for (let i = 0; i < 10; i++) await bug.update(denseQuery(path((i + 1) * h)));
    expect(relErr(toDense(bug.surrogate!), path(10 * h))).toBeLessThan(1e-10);
  });

  it('rebuilds exactly every k updates, which bounds the drift of Gaussian-probe tracking', async () => {
    const run = async (rebuildEvery: number) => {
      const t = new ImplicitTracker(12, { rank: 3, samples: 4, rebuildEvery, seed: 3 });
      await t.init(denseQuery(path(0)));
      const kinds: string[] = [];
      let queries = 0;
      for (let i = 0; i < 40; i++) {
        const rep = await t.update(denseQuery(path((i + 1) * 0.05)), denseQuery(path(i * 0.05)));
        kinds.push(rep.kind);
        queries += rep.forwardQueries;
      }
      return { kinds, queries, err: relErr(toDense(t.surrogate!), path(2)) };
    };
    const never = await run(0);
    const every4 = await run(4);
    expect(every4.kinds.slice(0, 10)).toEqual([
      'update',
      'update',
      'update',
      'update',
      'rebuild',
      'update',
      'update',
      'update',
      'update',
      'rebuild',
    ]);
    expect(never.queries).toBe(40 * 2 * (3 + 4));
    expect(every4.queries).toBe(32 * 2 * (3 + 4) + 8 * 12);
    expect(every4.err).toBeLessThan(never.err);
  });

  it("'adaptive-bug' follows the rank of the operator", async () => {
    const A = growingRankPath(new Rng(52), 20, 12, 2, 4);
    const t = new ImplicitTracker(12, {
      rank: 2,
      samples: 12,
      estimator: 'lstsq',
      integrator: 'adaptive-bug',
      tol: 1e-9,
    });
    await t.init(denseQuery(A(0)));
    const rep = await t.update(denseQuery(A(0.1)), denseQuery(A(0)));
    expect(rep.rank).toBe(4);
    expect(relErr(toDense(t.surrogate!), A(0.1))).toBeLessThan(1e-9);
  });

  it('getState / setState resume bit-identically (surrogate, cache, rebuild counter, probe stream)', async () => {
    const opts = { rank: 3, samples: 5, cacheF0: true, rebuildEvery: 3, seed: 9 } as const;
    const a = new ImplicitTracker(12, opts);
    await a.init(denseQuery(path(0)));
    for (let i = 0; i < 4; i++) await a.update(denseQuery(path((i + 1) * h)));
    const b = new ImplicitTracker(12, { ...opts, seed: 1234 });
    b.setState(a.getState());
    for (let i = 4; i < 9; i++) {
      const ra = await a.update(denseQuery(path((i + 1) * h)));
      const rb = await b.update(denseQuery(path((i + 1) * h)));
      expect(rb.kind).toBe(ra.kind);
    }
    expect(b.surrogate!.S.data).toEqual(a.surrogate!.S.data);
    expect(b.surrogate!.V.data).toEqual(a.surrogate!.V.data);
    expect(() => b.setState({ ...a.getState(), updatesSinceRebuild: -1 })).toThrow(/updatesSinceRebuild/);
  });

  it('rejects misuse', async () => {
    expect(() => new ImplicitTracker(12, { rank: 13, samples: 4 })).toThrow(/rank/);
    expect(
      () =>
        new ImplicitTracker(12, {
          rank: 3,
          samples: 4,
          integrator: 'bug',
          galerkin: 'increment',
          cacheF0: true,
        }),
    ).toThrow(ArgumentError);
    const t = new ImplicitTracker(12, { rank: 3, samples: 4 });
    await expect(t.update(denseQuery(path(0)))).rejects.toThrow(StateError);
    await t.init(denseQuery(path(0)));
    await expect(t.update(denseQuery(path(0.1)))).rejects.toThrow(/f0 is required/);
  });
});
