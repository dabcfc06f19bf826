import { EvaluationError } from '@tenzo/core';
import { anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as D from './index.js';

// Methods of BlackBox (issue #22): evaluate, tryEvaluate, lookup, bestMin/bestMax on a 3×3×3
// grid with a budget, called with points of every wrong type, shape and range, with
// misbehaving functions (NaN, wrong lengths, throws). Each result is checked: the values are the
// function's at the points, the budget is never exceeded, cached points cost nothing, the best
// point is the best of those seen.

const f = (x: Int32Array, m: number, d: number) =>
  Float64Array.from({ length: m }, (_, i) => x[i * d]! - 2 * x[i * d + 1]! + 3 * x[i * d + 2]!);
const fOf = (p: ArrayLike<number>) => p[0]! - 2 * p[1]! + 3 * p[2]!;
const FNS: Record<string, D.BatchFunction> = {
  good: f,
  nan: (_x, m) => new Float64Array(m).fill(Number.NaN),
  short: (_x, m) => new Float64Array(Math.max(0, m - 1)),
  throws: () => {
    // a user's own exceptions pass through inProcessEngine unchanged (documented there): this
    // function throws a typed one, as a tenzo-aware black box would
    throw new EvaluationError('diverged');
  },
};
const make = (fn: string, budget: number) => new D.BlackBox(FNS[fn]!, { n: 3, d: 3, budget });
const points = fc.oneof(
  fc
    .integer({ min: 0, max: 6 })
    .chain((m) => fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3 * m, maxLength: 3 * m }))
    .map((v) => Int32Array.from(v)),
  fc.constantFrom(
    Int32Array.of(0, 0, 3),
    Int32Array.of(-1, 0, 0),
    Int32Array.of(1, 1),
    new Float64Array(3),
    [0, 1, 2],
  ),
  junk,
);
const count = fc.oneof(fc.constant(undefined), anySize);

describePublicApi('@tenzo/decomp methods', [
  ...(['evaluate', 'tryEvaluate'] as const).map((m) =>
    apiCase({
      name: `BlackBox.${m}`,
      args: fc.tuple(
        fc.constantFrom('good', 'good', 'nan', 'short', 'throws'),
        fc.integer({ min: 0, max: 8 }),
        points,
        count,
        points,
      ),
      call: async (fn, budget, p, c, warm) => {
        const box = make(fn, budget);
        // a first batch (warm) fills the cache and spends budget; errors there are the same contract
        if (warm instanceof Int32Array && warm.length % 3 === 0)
          await box.tryEvaluate(warm).catch(() => undefined);
        const before = box.evaluations;
        const r = await box[m](p as Int32Array, c as number);
        return [fn, box, before, p, c, r] as const;
      },
      // the function's values at the points (NaN only for what tryEvaluate could not afford),
      // within the budget, every value finite from the good function
      ok: (res) => {
        const [fn, box, , p, c, r] = res as [
          string,
          D.BlackBox,
          number,
          Int32Array,
          number | undefined,
          Float64Array | D.TryEvaluateResult,
        ];
        if (box.evaluations > box.budget) return false;
        const n = c ?? p.length / 3;
        const values = r instanceof Float64Array ? r : r.values;
        if (values.length !== n) return false;
        // a misbehaving function may only have been spared: nothing to evaluate, or no budget left
        if (fn !== 'good')
          return n === 0 || (!(r instanceof Float64Array) && !r.complete && values.every(Number.isNaN));
        return Array.from(values).every((v, i) => {
          const want = fOf(p.subarray(3 * i, 3 * i + 3));
          return v === want || (!(r instanceof Float64Array) && !r.complete && Number.isNaN(v));
        });
      },
      runs: 400,
    }),
  ),
  apiCase({
    name: 'BlackBox.lookup',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.constantFrom(
          [0, 1, 2],
          [2, 2, 2],
          [0, 0],
          [3, 0, 0],
          [-1, 0, 0],
          [0.5, 0, 0],
          Int32Array.of(0, 1, 2),
        ),
      ),
    ),
    call: async (idx) => {
      const box = make('good', 10);
      await box.evaluate(Int32Array.of(0, 1, 2));
      return [idx, box.lookup(idx as number[])] as const;
    },
    // a point evaluated before: its value; any other point of the grid: undefined
    ok: (res) => {
      const [idx, v] = res as [ArrayLike<number>, number | undefined];
      const seen = idx[0] === 0 && idx[1] === 1 && idx[2] === 2;
      return seen ? v === fOf(idx) : v === undefined;
    },
    runs: 150,
  }),
  apiCase({
    name: 'BlackBox.bestMin/bestMax',
    args: fc.tuple(points),
    call: async (p) => {
      const box = make('good', 100);
      await box.evaluate(p as Int32Array);
      return [p, box.bestMin(), box.bestMax()] as const;
    },
    ok: (res) => {
      const [p, lo, hi] = res as [Int32Array, D.BestPoint | null, D.BestPoint | null];
      const vals = Array.from({ length: p.length / 3 }, (_, i) => fOf(p.subarray(3 * i, 3 * i + 3)));
      if (vals.length === 0) return lo === null && hi === null;
      return (
        lo!.value === Math.min(...vals) && hi!.value === Math.max(...vals) && fOf(lo!.index) === lo!.value
      );
    },
    runs: 150,
  }),
]);
