import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, isInt, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as D from './index.js';

// a separable 2×3 tensor and its decompositions: valid inputs for every decomposition
const shape23 = [2, 3];
const full23 = Float64Array.from([1, 2, 3, 2, 4, 6]);
const tt23 = D.ttSvd(full23, shape23);
const ht23 = D.htSvd(full23, shape23);
const cp23 = D.cpAls(full23, shape23, { rank: 1, seed: 1 });
const tucker23 = D.hosvd(full23, shape23);
const sum = (x: Int32Array, m: number, d: number) =>
  Float64Array.from({ length: m }, (_, i) => x[i * d]! + x[i * d + 1]!);
const box = () => new D.BlackBox(sum, { n: 3, d: 2, budget: 50 });

const fullArb = fc.oneof(
  fc.constant(full23),
  anyNumbers,
  fc.constant(Float64Array.from([1, Number.NaN, 3, 2, 4, 6])),
  fc.constant(new Float64Array(0)),
);
const shapeArb = fc.oneof(
  fc.constant(shape23),
  fc.constant([6]),
  fc.constant([2, 3, 1]),
  anyNumbers,
  fc.array(anySize, { maxLength: 3 }),
);
const matrixArb = fc.oneof(
  junk,
  fc.constant({ rows: 3, cols: 2, data: Float64Array.from([1, 0, 0, 1, 1, 1]) }),
  fc.constant({ rows: 3, cols: 2, data: Float64Array.from([1, 0, Number.NaN, 1, 1, 1]) }),
  fc.record({ rows: anySize, cols: anySize, data: fc.constant(new Float64Array(6)) }),
);
const pointsArb = fc.oneof(
  fc.constant(Int32Array.from([0, 1, 2, 2])),
  fc.constant(Int32Array.from([0, 5])),
  fc.constant(new Int32Array(0)),
  anyNumbers,
);
const decompArb = <T>(good: T) =>
  fc.oneof(
    fc.constant(good),
    junk,
    fc.constant({ ...good, cores: [] }),
    fc.constant({ ...good, shape: [0] }),
  );
const fnArb = fc.oneof(
  junk,
  fc.constant(sum),
  fc.constant(() => Float64Array.of(Number.NaN)),
  fc.constant(() => 'x'),
);
const optsArb = fc.oneof(
  junk,
  fc.record(
    {
      d: anySize,
      n: fc.oneof(anySize, anyNumbers),
      budget: fc.oneof(anySize, fc.constant(undefined)),
      sweeps: fc.constantFrom(1, 2, 0, -1, Number.NaN),
      seed: fc.constant(1),
    },
    { requiredKeys: ['d', 'n'] },
  ),
);

describePublicApi(
  '@tenzo/decomp',
  [
    ...[D.ttSvd, D.htSvd, D.hosvd, D.stHosvd].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(
          fullArb,
          shapeArb,
          fc.oneof(fc.constant({}), fc.record({ maxRank: anySize }), fc.record({ eps: anyNumber }), junk),
        ),
        call: (x, s, o) => f(x as Float64Array, s as number[], o as object),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'cpAls',
      args: fc.tuple(
        fullArb,
        shapeArb,
        fc.oneof(
          junk,
          fc.record({ rank: anySize, maxIters: fc.constantFrom(5, 0, -1, 1.5), seed: fc.constant(1) }),
        ),
      ),
      call: (x, s, o) => D.cpAls(x as Float64Array, s as number[], o as D.CpAlsOptions),
      runs: 60,
    }),
    apiCase({
      name: 'unfold',
      args: fc.tuple(fullArb, shapeArb, fc.oneof(anyNumbers, fc.constant([0]))),
      call: (x, s, r) => D.unfold(x as Float64Array, s as number[], r as number[]),
      runs: 40,
    }),
    apiCase({
      name: 'modeProduct',
      args: fc.tuple(fullArb, shapeArb, anySize, matrixArb),
      call: (x, s, k, m) => D.modeProduct(x as Float64Array, s as number[], k as number, m as never),
      runs: 40,
    }),
    ...[
      ['ttFull', (t: unknown) => D.ttFull(t as D.TensorTrain), tt23],
      ['ttRound', (t: unknown) => D.ttRound(t as D.TensorTrain), tt23],
      ['htFull', (t: unknown) => D.htFull(t as D.HTensor), ht23],
      ['htTruncate', (t: unknown) => D.htTruncate(t as D.HTensor, { maxRank: 1 }), ht23],
      ['cpFull', (t: unknown) => D.cpFull(t as D.CpTensor), cp23],
      ['tuckerFull', (t: unknown) => D.tuckerFull(t as D.TuckerTensor), tucker23],
    ].map(([name, f, good]) =>
      apiCase({
        name: name as string,
        args: fc.tuple(decompArb(good as object)),
        call: (t) => (f as (t: unknown) => unknown)(t),
        runs: 30,
      }),
    ),
    apiCase({
      name: 'ttEvaluate',
      args: fc.tuple(decompArb(tt23), pointsArb),
      call: (t, p) => D.ttEvaluate(t as D.TensorTrain, p as Int32Array, 2),
      runs: 40,
    }),
    apiCase({
      name: 'htEvaluate',
      args: fc.tuple(decompArb(ht23), pointsArb),
      call: (t, p) => D.htEvaluate(t as D.HTensor, p as Int32Array, 2),
      runs: 40,
    }),
    apiCase({
      name: 'cpEvaluate',
      args: fc.tuple(decompArb(cp23), pointsArb),
      call: (t, p) => D.cpEvaluate(t as D.CpTensor, p as Int32Array, 2),
      runs: 40,
    }),
    apiCase({
      name: 'cpError',
      args: fc.tuple(decompArb(cp23), fullArb),
      call: (t, x) => D.cpError(t as D.CpTensor, x as Float64Array),
      runs: 30,
    }),
    apiCase({
      name: 'htRank',
      args: fc.tuple(decompArb(ht23), anySize),
      call: (t, k) => D.htRank(t as D.HTensor, k as number),
      runs: 30,
    }),
    apiCase({
      name: 'allIndices',
      args: fc.tuple(shapeArb),
      call: (s) => D.allIndices(s as number[]),
      runs: 30,
    }),
    apiCase({
      name: 'balancedTree',
      args: fc.tuple(anySize, fc.oneof(fc.constant(undefined), anyNumbers)),
      call: (d, o) => D.balancedTree(d as number, o as number[]),
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'sibling',
      args: fc.tuple(fc.oneof(junk, fc.constant(D.balancedTree(4))), anySize),
      call: (t, id) => D.sibling(t as D.DimensionTree, id as number),
      ok: (r) => isInt(r),
      runs: 30,
    }),
    ...[D.maxvol, D.rectMaxvol].map((f) =>
      apiCase({ name: f.name, args: fc.tuple(matrixArb), call: (m) => f(m as never), runs: 40 }),
    ),
    apiCase({
      name: 'takeRows',
      args: fc.tuple(matrixArb, fc.oneof(anyNumbers, fc.constant([0, 2]))),
      call: (m, i) => D.takeRows(m as never, i as number[]),
      runs: 40,
    }),
    apiCase({
      name: 'selectRows',
      args: fc.tuple(matrixArb, fc.boolean()),
      call: (m, g) => D.selectRows(m as never, g),
      runs: 40,
    }),
    ...[D.chebyshevGrid, D.uniformGrid].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anySize, anyNumber, anyNumber),
        call: (n, a, b) => f(n as number, a as number, b as number),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'gridFunction',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.constant((x: Float64Array) => x[0]!),
        ),
        fc.oneof(junk, fc.constant([Float64Array.of(0, 1), Float64Array.of(2, 3)])),
      ),
      call: async (f, g) =>
        D.gridFunction(f as (x: Float64Array) => number, g as Float64Array[])(Int32Array.of(0, 1), 1, 2),
      runs: 30,
    }),
    apiCase({
      name: 'benchmarkFunction',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom(...D.BENCHMARK_NAMES)),
        anySize,
        fc.oneof(fc.constant({}), fc.record({ n: anySize })),
      ),
      call: (name, d, o) => D.benchmarkFunction(name as D.BenchmarkName, d as number, o as { n?: number }),
      ok: () => true,
      runs: 50,
    }),
    apiCase({
      name: 'BlackBox',
      args: fc.tuple(
        fnArb,
        fc.oneof(junk, fc.record({ n: fc.oneof(anySize, anyNumbers), d: anySize, budget: anySize })),
      ),
      call: (f, o) => new D.BlackBox(f as D.BatchFunction, o as D.BlackBoxOptions),
      ok: () => true,
      runs: 50,
    }),
    apiCase({
      name: 'BlackBox.evaluate',
      args: fc.tuple(fnArb, pointsArb, fc.oneof(fc.constant(undefined), anySize)),
      call: (f, p, c) =>
        new D.BlackBox(f as D.BatchFunction, { n: 3, d: 2 }).evaluate(p as Int32Array, c as number),
      runs: 50,
    }),
    apiCase({
      name: 'BlackBox.lookup',
      args: fc.tuple(anyNumbers),
      call: (i) => box().lookup(i as number[]) ?? 0,
      runs: 30,
    }),
    ...[
      D.ttCross,
      D.htbbApprox,
      D.htbbMinimize,
      D.htbbMaximize,
      D.randomSearchMinimize,
      D.onePlusOneMinimize,
      D.ttCrossMinimize,
    ].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(fnArb, optsArb),
        call: (fn, o) => (f as (f: unknown, o: unknown) => Promise<unknown>)(fn, o),
        ok: () => true,
        runs: 25,
      }),
    ),
    apiCase({
      name: 'ttCross (budget)',
      args: fc.tuple(fc.constantFrom(1, 3, 5, 10, 40, 400)),
      call: (budget) => D.ttCross(sum, { d: 2, n: 3, budget, sweeps: 2 }),
      ok: (r) => (r as D.TtCrossResult).sweeps >= 1,
      runs: 20,
    }),
    apiCase({
      name: 'expNormalize',
      args: fc.tuple(fc.oneof(junk, fc.boolean())),
      call: (m) => D.expNormalize(m as boolean),
      ok: () => true,
      runs: 20,
    }),
  ],
  { runs: 30 },
);
