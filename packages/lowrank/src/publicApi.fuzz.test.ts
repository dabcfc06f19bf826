import { Rng } from '@tenzo/core';
import { anyNumber, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import type { Matrix } from '@tenzo/linalg';
import fc from 'fast-check';
import * as L from './index.js';

const m = (rows: number, cols: number, f: (i: number) => number = (i) => ((i * 7) % 5) - 2): Matrix => ({
  rows,
  cols,
  data: Float64Array.from({ length: rows * cols }, (_, i) => f(i)),
});
const A = m(3, 2, (i) => [1, 0, 0, 1, 1, 1][i]!);
const y = L.fromMatrix(A, { rank: 1 });
const matArb = fc.oneof(
  fc.constant(A),
  fc.constant(m(2, 2)),
  fc.constant(m(3, 2, () => Number.NaN)),
  fc.constant(m(0, 2)),
  junk,
  fc.record({ rows: anySize, cols: anySize, data: fc.constant(new Float64Array(6)) }),
);
const lrArb = fc.oneof(
  fc.constant(y),
  junk,
  fc.constant({ U: A, S: m(1, 1), V: m(2, 2) }),
  fc.constant({ ...y, S: m(1, 1, () => Number.NaN) }),
);
const query =
  (a: Matrix): L.LinearQuery =>
  (x) => {
    const out = new Float64Array(a.rows * x.cols);
    for (let i = 0; i < a.rows; i++)
      for (let k = 0; k < x.cols; k++)
        for (let j = 0; j < a.cols; j++)
          out[i * x.cols + k]! += a.data[i * a.cols + j]! * x.data[j * x.cols + k]!;
    return { rows: a.rows, cols: x.cols, data: out };
  };
const qArb = fc.oneof(
  fc.constant(query(A)),
  junk,
  fc.constant(() => Float64Array.of(Number.NaN)),
  fc.constant(() => 'x'),
);
const implicitOpts = fc.oneof(
  junk,
  fc.record(
    {
      samples: anySize,
      seed: fc.constant(1),
      estimator: fc.oneof(junk, fc.constantFrom('gaussian', 'orthogonal', 'lstsq')),
      tol: anyNumber,
      maxRank: anySize,
    },
    { requiredKeys: ['samples'] },
  ),
);

// Result predicates: products against U·S·Vᵀ computed here, norms and ranks against it, to 1e-10
const mm = (a: Matrix, b: Matrix, bT = false): Matrix => {
  const n = bT ? b.rows : b.cols;
  const out = new Float64Array(a.rows * n);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < a.cols; k++)
        out[i * n + j]! += a.data[i * a.cols + k]! * (bT ? b.data[j * b.cols + k]! : b.data[k * b.cols + j]!);
  return { rows: a.rows, cols: n, data: out };
};
const tr = (a: Matrix): Matrix => ({
  rows: a.cols,
  cols: a.rows,
  data: Float64Array.from(
    { length: a.data.length },
    (_, i) => a.data[(i % a.rows) * a.cols + Math.floor(i / a.rows)]!,
  ),
});
const dense = (l: L.LowRank) => mm(mm(l.U, l.S), l.V, true);
const near = (a: Matrix, b: Matrix) =>
  a.rows === b.rows &&
  a.cols === b.cols &&
  a.data.every(
    (v, i) =>
      Object.is(v, b.data[i]) || Math.abs(v - b.data[i]!) <= 1e-10 * Math.max(1, Math.abs(b.data[i]!)),
  );
const fro = (a: Matrix) => Math.sqrt(a.data.reduce((t, v) => t + v * v, 0));
const orthErr = (q: Matrix) => {
  const g = mm(tr(q), q);
  return Math.sqrt(g.data.reduce((t, v, i) => t + (v - (i % (q.cols + 1) === 0 ? 1 : 0)) ** 2, 0));
};

describePublicApi(
  '@tenzo/lowrank',
  [
    ...[L.apply, L.applyTranspose].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(lrArb, matArb),
        call: (a, x) => f(a as L.LowRank, x as Matrix),
        // rows of x (B×d_in) mapped by Y = U·S·Vᵀ: x·Yᵀ, or x·Y for the transpose
        ok: (r, [a, x]) => {
          const d = dense(a as L.LowRank);
          return near(r as Matrix, mm(x as Matrix, f === L.apply ? tr(d) : d));
        },
        runs: 50,
      }),
    ),
    ...[L.rankOf, L.shapeOf, L.toDense, L.frobeniusNorm].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(lrArb),
        call: (a) => (f as (y: unknown) => unknown)(a),
        ok: (r, [a]) => {
          const l = a as L.LowRank;
          if (f === L.rankOf) return r === l.S.rows;
          if (f === L.shapeOf) return (r as number[])[0] === l.U.rows && (r as number[])[1] === l.V.rows;
          if (f === L.toDense) return near(r as Matrix, dense(l));
          return Math.abs((r as number) - fro(dense(l))) <= 1e-10 * Math.max(1, r as number);
        },
        runs: 30,
      }),
    ),
    apiCase({
      name: 'lowRank',
      args: fc.tuple(matArb, matArb, matArb),
      call: (u, s, v) => L.lowRank(u as Matrix, s as Matrix, v as Matrix),
      runs: 60,
    }),
    apiCase({
      name: 'checkLowRank',
      args: fc.tuple(lrArb),
      call: (a) => L.checkLowRank('test', a),
      runs: 30,
    }),
    ...[
      L.fromMatrix,
      (a: Matrix, o: object) =>
        L.truncate(L.fromMatrix(A, { rank: 2 }), { ...o, ...(a === A ? {} : { rank: a as never }) }),
    ].map((f, i) =>
      apiCase({
        name: i === 0 ? 'fromMatrix' : 'truncate',
        args: fc.tuple(matArb, fc.oneof(junk, fc.record({ rank: anySize }), fc.record({ tol: anyNumber }))),
        call: (a, o) => (f as (a: unknown, o: unknown) => unknown)(a, o),
        runs: 50,
      }),
    ),
    apiCase({
      name: 'orthonormalityError',
      args: fc.tuple(matArb),
      call: (q) => L.orthonormalityError(q as Matrix),
      // ‖QᵀQ − I‖ (Frobenius or max: between them up to √k²)
      ok: (r, [q]) => {
        const e = orthErr(q as Matrix);
        return (
          (r as number) >= 0 &&
          (r as number) <= e * (1 + 1e-9) + 1e-12 &&
          (r as number) * (q as Matrix).cols >= e * (1 - 1e-9) - 1e-12
        );
      },
      runs: 40,
    }),
    ...[L.kslStep, L.lskStep, L.bugStep].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(
          lrArb,
          fc.oneof(matArb, fc.constant({ rows: 3, cols: 2, times: () => A, transposeTimes: () => A })),
        ),
        call: (a, d) => f(a as L.LowRank, d as L.Increment),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'strangStep',
      args: fc.tuple(lrArb, matArb, matArb),
      call: (a, d1, d2) => L.strangStep(a as L.LowRank, d1 as Matrix, d2 as Matrix),
      runs: 40,
    }),
    apiCase({
      name: 'adaptiveBugStep',
      args: fc.tuple(lrArb, matArb, fc.oneof(junk, fc.record({ tol: anyNumber, maxRank: anySize }))),
      call: (a, d, o) => L.adaptiveBugStep(a as L.LowRank, d as Matrix, o as L.AdaptiveBugOptions),
      runs: 40,
    }),
    apiCase({
      name: 'drawProbes',
      args: fc.tuple(
        fc.oneof(junk, fc.constant(new Rng(1))),
        anySize,
        anySize,
        fc.oneof(junk, fc.constantFrom('gaussian', 'orthogonal', 'lstsq')),
      ),
      call: (r, s, d, e) => L.drawProbes(r as Rng, s as number, d as number, e as L.TransposeEstimator),
      runs: 50,
    }),
    apiCase({
      name: 'estimateTransposeProduct',
      args: fc.tuple(matArb, matArb, matArb, fc.oneof(junk, fc.constantFrom('gaussian', 'lstsq'))),
      call: (z, r, w, e) =>
        L.estimateTransposeProduct(z as Matrix, r as Matrix, w as Matrix, e as L.TransposeEstimator),
      runs: 50,
    }),
    apiCase({
      name: 'exactRebuild',
      args: fc.tuple(qArb, anySize, anySize),
      call: (f, d, r) => L.exactRebuild(f as L.LinearQuery, d as number, r as number),
      runs: 50,
    }),
    ...[L.implicitKsl, L.implicitBug].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(lrArb, qArb, implicitOpts),
        call: (a, q, o) => f(a as L.LowRank, query(A), q as L.LinearQuery, o as L.ImplicitOptions),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'implicitAdaptiveBug',
      args: fc.tuple(lrArb, qArb, implicitOpts),
      call: (a, q, o) =>
        L.implicitAdaptiveBug(
          a as L.LowRank,
          query(A),
          q as L.LinearQuery,
          o as L.ImplicitAdaptiveBugOptions,
        ),
      runs: 40,
    }),
    apiCase({
      name: 'probeResidual',
      args: fc.tuple(lrArb, qArb, fc.oneof(junk, fc.record({ samples: anySize, seed: fc.constant(1) }))),
      call: (a, q, o) => L.probeResidual(a as L.LowRank, q as L.LinearQuery, o as L.ResidualProbeOptions),
      runs: 50,
    }),
    apiCase({
      name: 'applyTransposeCorrected',
      args: fc.tuple(lrArb, fc.oneof(junk, fc.constant({})), matArb),
      call: (a, p, g) => L.applyTransposeCorrected(a as L.LowRank, p as L.ResidualProbes, g as Matrix),
      runs: 40,
    }),
    apiCase({
      name: 'ImplicitTracker',
      args: fc.tuple(
        anySize,
        fc.oneof(junk, fc.record({ rank: anySize, samples: anySize, seed: fc.constant(1) })),
      ),
      call: (d, o) => new L.ImplicitTracker(d as number, o as L.ImplicitTrackerOptions),
      ok: () => true,
      runs: 60,
    }),
  ],
  { runs: 40 },
);
