import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import type { ProjectedZoRequest } from './index.js';
import { mrrWeightBank } from './mrr/weightBank.js';
import * as N from './node.js';
import { slmPhaseMatrix } from './slm/phaseMatrix.js';

// Node entry of @tenzo/devices: the ZO worker pool, driven through the device methods that take
// an executor (queryOn, projectedZo.estimate) with inputs of every wrong shape, its own run()
// with junk, and pool options of every wrong type. A sharded answer must equal the same
// device's in-process answer bit for bit.

const pool = N.workerPool({ threads: 2, minWork: 0 });
const closedPool = N.workerPool({ threads: 2, minWork: 0 });
afterAll(() => Promise.all([pool.close(), closedPool.close()]));
const dIn = 6;
const dOut = 4;
const makers = {
  slm: () => slmPhaseMatrix({ dIn, dOut }),
  mrr: () => mrrWeightBank({ dIn, dOut }),
};
const omegaOf = (kind: keyof typeof makers) => makers[kind]().initParams(new Rng(1));
const rows = fc.integer({ min: 0, max: 4 });
const X = fc.oneof(
  rows
    .chain((r) =>
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: r * dIn, maxLength: r * dIn }),
    )
    .map((a) => Float64Array.from(a)),
  anyNumbers,
  fc.constantFrom(
    new Float64Array(dIn + 1),
    new Float32Array(dIn),
    Float64Array.of(Number.NaN, 0, 0, 0, 0, 0),
  ),
);
const same = (a: unknown, b: ArrayLike<number>) =>
  a instanceof Float64Array && a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describePublicApi(
  '@tenzo/devices/node',
  [
    apiCase({
      name: 'SimulatedDevice.queryOn(workerPool)',
      args: fc.tuple(
        fc.constantFrom('slm', 'mrr') as fc.Arbitrary<keyof typeof makers>,
        X,
        fc.oneof(junk, fc.constant('OMEGA'), anyNumbers),
      ),
      call: async (kind, x, w) => {
        const omega = w === 'OMEGA' ? omegaOf(kind) : w;
        return [await makers[kind]().queryOn(pool, x as Float64Array, omega as Float64Array), omega] as const;
      },
      // bit for bit the in-process answer of a fresh device of the same kind
      ok: (r, [kind, x]) => {
        const [y, omega] = r as [Float64Array, Float64Array];
        return same(y, makers[kind]().querySync(x as Float64Array, omega));
      },
      runs: 400,
    }),
    apiCase({
      name: 'projectedZo.estimate(workerPool)',
      args: fc.tuple(
        fc.constantFrom('slm', 'mrr') as fc.Arbitrary<keyof typeof makers>,
        fc.record(
          {
            P: fc.oneof(fc.constant('P'), anyNumbers),
            W: fc.oneof(fc.constant('W'), anyNumbers),
            q: fc.oneof(anySize, fc.constant(7)),
            mu: fc.oneof(anyNumber, fc.constant(1e-4)),
            directions: fc.oneof(junk, fc.constantFrom('gaussian', 'rademacher')),
            key: fc.oneof(junk, fc.constant([1, 2]), fc.constant([1.5, -1])),
          },
          { requiredKeys: ['P', 'W'] },
        ),
      ),
      call: async (kind, f) => {
        const rng = new Rng(2);
        const req = {
          ...f,
          P: f.P === 'P' ? rng.fillNormal(new Float64Array(3 * dIn)) : f.P,
          W: f.W === 'W' ? rng.fillNormal(new Float64Array(3 * dOut)) : f.W,
          omega: omegaOf(kind),
        } as unknown as ProjectedZoRequest;
        const a = await makers[kind]().projectedZo.estimate({ ...req, executor: pool });
        const b = await makers[kind]().projectedZo.estimate(req);
        return [a, b] as const;
      },
      // the pool's estimate is the in-process one, bit for bit, and finite
      ok: (r) => {
        const [a, b] = r as [
          { grad: Float64Array; diffs: Float64Array },
          { grad: Float64Array; diffs: Float64Array },
        ];
        return same(a.grad, b.grad) && same(a.diffs, b.diffs) && a.grad.every(Number.isFinite);
      },
      runs: 300,
    }),
    apiCase({
      name: 'workerPool.run',
      args: fc.tuple(
        fc.oneof(junk, fc.constant({ kind: 'x' })),
        fc.oneof(junk, fc.constant([{ first: 0, last: 1, chunk: 0 }])),
      ),
      call: (s, c) => pool.run(s as never, c as never),
      valid: () => false,
      runs: 100,
    }),
    apiCase({
      name: 'workerPool(closed).queryOn',
      args: fc.tuple(X),
      call: async (x) => {
        await closedPool.close();
        return makers.slm().queryOn(closedPool, x as Float64Array, omegaOf('slm'));
      },
      // a closed pool may still answer queries too small to shard (they run in this thread)
      ok: (r, [x]) => same(r, makers.slm().querySync(x as Float64Array, omegaOf('slm'))),
      runs: 60,
    }),
    apiCase({
      name: 'workerPool(options)',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            { threads: fc.oneof(anySize, fc.constant(2 ** 20)), minWork: anySize },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: async (o) => {
        const p = N.workerPool(o as N.WorkerPoolOptions);
        const x = Float64Array.from({ length: 2 * dIn }, (_, i) => i / 7);
        try {
          return await makers.slm().queryOn(p, x, omegaOf('slm'));
        } finally {
          await p.close();
        }
      },
      ok: (r) =>
        same(
          r,
          makers.slm().querySync(
            Float64Array.from({ length: 2 * dIn }, (_, i) => i / 7),
            omegaOf('slm'),
          ),
        ),
      runs: 150,
    }),
  ],
  { hangMs: 8000 },
);
