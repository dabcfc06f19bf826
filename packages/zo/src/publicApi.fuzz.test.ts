import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as Z from './index.js';

const sphere: Z.Objective = (x) => x.reduce((s, v) => s + v * v, 0);
const x2 = () => Float64Array.of(0.5, -0.5);
const f64 = fc.oneof(
  fc.constant(Float64Array.of(0.5, -0.5)),
  fc.constant(Float64Array.of(Number.NaN, 1)),
  fc.constant(new Float64Array(0)),
  anyNumbers,
);
const rngArb = fc.oneof(junk, fc.constant(new Rng(1)));
const qmu = fc.oneof(
  junk,
  fc.record({ q: anySize, mu: anyNumber }),
  fc.record({ q: fc.constant(2), mu: fc.constant(1e-3) }),
);
const objArb = fc.oneof(
  junk,
  fc.constant(sphere),
  fc.constant(() => Number.NaN),
  fc.constant(() => 'x'),
);
// a 2×2 matrix device, ω = A row-major: y = A x per row of X
const device = (): Z.ParamQueryable => ({
  inputSize: 2,
  outputSize: 2,
  paramSize: 4,
  query: async (X, w = new Float64Array(4)) =>
    Float64Array.from({ length: X.length }, (_, i) => {
      const r = i % 2;
      const b = i - r;
      return w[2 * r]! * X[b]! + w[2 * r + 1]! * X[b + 1]!;
    }),
});
const ybar = Float64Array.of(1, 0, 0, 1);
/** An estimate of ∇f at x: one finite entry per coordinate, f(x) exact when reported, a positive query count */
const estimateOk = (r: unknown, x: unknown) => {
  const e = r as Z.GradientEstimate;
  const xs = x as Float64Array;
  return (
    e.grad.length === xs.length &&
    e.grad.every(Number.isFinite) &&
    Number.isInteger(e.queries) &&
    e.queries > 0 &&
    (e.fx === null || e.fx === sphere(xs))
  );
};

describePublicApi(
  '@tenzo/zo',
  [
    apiCase({
      name: 'sampleDirections',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('gaussian', 'rademacher', 'sphere', 'orthogonal')),
        anySize,
        anySize,
        rngArb,
      ),
      call: (k, d, q, r) => Z.sampleDirections(k as Z.DirectionKind, d as number, q as number, r as Rng),
      // q rows of d: Rademacher entries ±1, sphere rows of unit norm, orthogonal rows orthogonal
      ok: (r, [k, d, q]) => {
        const u = r as Float64Array;
        const n = d as number;
        if (u.length !== n * (q as number) || !u.every(Number.isFinite)) return false;
        const row = (i: number) => u.subarray(i * n, (i + 1) * n);
        const dot = (a: Float64Array, b: Float64Array) => a.reduce((t, v, j) => t + v * b[j]!, 0);
        if (k === 'rademacher') return u.every((v) => v === 1 || v === -1);
        if (k === 'sphere')
          return Array.from(
            { length: q as number },
            (_, i) => Math.abs(dot(row(i), row(i)) - 1) < 1e-12,
          ).every(Boolean);
        if (k === 'orthogonal')
          return Array.from({ length: Math.min(q as number, n) }, (_, i) => i).every(
            (i) => i === 0 || Math.abs(dot(row(i), row(0))) < 1e-9 * dot(row(0), row(0)),
          );
        return true;
      },
      runs: 60,
    }),
    ...Object.entries({
      gaussianForward: Z.gaussianForward,
      gaussianCentral: Z.gaussianCentral,
      sphereEstimator: Z.sphereEstimator,
      orthogonalEstimator: Z.orthogonalEstimator,
      spsaEstimator: Z.spsaEstimator,
    }).map(([name, f]) =>
      apiCase({
        name,
        args: fc.tuple(qmu, f64, rngArb),
        call: (o, x, r) =>
          (f as (o: unknown) => Z.GradientEstimator)(o).estimate(
            Z.batchObjective(sphere, 2),
            x as Float64Array,
            r as Rng,
          ),
        ok: (r, [, x]) => estimateOk(r, x),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'coordinateEstimator',
      args: fc.tuple(fc.oneof(junk, fc.record({ mu: anyNumber, k: anySize })), f64),
      call: (o, x) =>
        Z.coordinateEstimator(o as Z.CoordinateOptions).estimate(
          Z.batchObjective(sphere, 2),
          x as Float64Array,
          new Rng(1),
        ),
      ok: (r, [, x]) => estimateOk(r, x),
      runs: 40,
    }),
    apiCase({
      name: 'directionalEstimator',
      args: fc.tuple(fc.oneof(junk, fc.constant('gaussian')), qmu),
      call: (k, o) =>
        Z.directionalEstimator(k as Z.DirectionKind, o as Z.DirectionalOptions).estimate(
          Z.batchObjective(sphere, 2),
          x2(),
          new Rng(1),
        ),
      ok: (r) => estimateOk(r, x2()),
      runs: 40,
    }),
    apiCase({
      name: 'batchObjective',
      args: fc.tuple(objArb, anySize, f64),
      call: (f, d, x) => Z.batchObjective(f as Z.Objective, d as number)(x as Float64Array, 1),
      // one point: the objective's value at it
      ok: (r, [f, , x]) =>
        (r as Float64Array).length === 1 && (r as Float64Array)[0] === (f as Z.Objective)(x as Float64Array),
      runs: 50,
    }),
    apiCase({
      name: 'countedObjective',
      args: fc.tuple(fc.oneof(junk, fc.constant(Z.batchObjective(sphere, 2))), anyNumber),
      call: (f, m) => Z.countedObjective(f as Z.BatchObjective, m as number)(x2(), 1),
      // the wrapped objective's value: 0.5² + 0.5²
      ok: (r) => (r as Float64Array).length === 1 && (r as Float64Array)[0] === 0.5,
      runs: 40,
    }),
    apiCase({
      name: 'lowRankBatch',
      args: fc.tuple(f64, f64, anySize, anySize, anySize, anySize),
      call: (X, Y, b, di, dout, r) =>
        Z.lowRankBatch(
          X as Float64Array,
          Y as Float64Array,
          b as number,
          di as number,
          dout as number,
          r as number,
        ),
      runs: 60,
    }),
    apiCase({
      name: 'layerParamGrad',
      args: fc.tuple(
        fc.oneof(f64, fc.constant(new Float64Array(4))),
        f64,
        fc.oneof(f64, fc.constant(ybar)),
        fc.oneof(junk, fc.record({ q: anySize, mu: anyNumber, rng: rngArb }, { requiredKeys: ['q', 'rng'] })),
      ),
      call: (w, X, Y, o) =>
        Z.layerParamGrad(
          device(),
          w as Float64Array,
          X as Float64Array,
          Y as Float64Array,
          o as Z.LayerParamGradOptions,
        ),
      runs: 160,
    }),
    apiCase({
      name: 'replayLayerParamGrad',
      args: fc.tuple(anySize, fc.oneof(junk, fc.constant(new Rng(2).getState())), f64),
      call: (p, s, d) => Z.replayLayerParamGrad(p as number, s as never, d as Float64Array),
      runs: 50,
    }),
    ...Object.entries({ ZoSgd: Z.ZoSgd, ZoAdam: Z.ZoAdam, ZoSignSgd: Z.ZoSignSgd, Spsa: Z.Spsa }).map(
      ([name, C]) =>
        apiCase({
          name,
          args: fc.tuple(
            f64,
            fc.oneof(
              junk,
              fc.record(
                {
                  lr: anyNumber,
                  seed: fc.oneof(fc.constant(1), anyNumber),
                  lower: fc.oneof(fc.constant(-1), anyNumber, f64),
                  upper: fc.oneof(fc.constant(1), anyNumber),
                },
                { requiredKeys: ['lr'] },
              ),
            ),
          ),
          call: (x, o) =>
            new (C as new (x: Float64Array, o: unknown) => Z.ZoOptimizer)(x as Float64Array, o).ask(),
          runs: 40,
        }),
    ),
    apiCase({
      name: 'ZoOptimizer.tell',
      args: fc.tuple(f64),
      call: (v) => {
        const o = new Z.ZoSgd(x2(), { lr: 0.1 });
        o.ask();
        o.tell(v as Float64Array);
        return o.x;
      },
      runs: 40,
    }),
    apiCase({
      name: 'minimize',
      args: fc.tuple(
        objArb,
        f64,
        fc.oneof(
          junk,
          fc.record(
            {
              maxEvaluations: anySize,
              lr: anyNumber,
              method: fc.oneof(junk, fc.constantFrom('zoAdam', 'zoSgd', 'spsa', 'zoSignSgd')),
            },
            { requiredKeys: ['maxEvaluations', 'lr'] },
          ),
        ),
      ),
      call: (f, x, o) => Z.minimize(f as Z.Objective, x as Float64Array, o as Z.MinimizeOptions),
      runs: 60,
    }),
    apiCase({
      name: 'createOptimizer',
      args: fc.tuple(
        f64,
        fc.oneof(
          junk,
          fc.record({
            maxEvaluations: anySize,
            lr: anyNumber,
            method: fc.oneof(junk, fc.constantFrom('zoAdam', 'spsa')),
          }),
        ),
      ),
      call: (x, o) => Z.createOptimizer(x as Float64Array, o as Z.MinimizeOptions).ask(),
      runs: 40,
    }),
    apiCase({
      name: 'minimizeBatch',
      args: fc.tuple(fc.oneof(junk, fc.constant(Z.batchObjective(sphere, 2))), f64),
      call: (f, x) =>
        Z.minimizeBatch(f as Z.BatchObjective, x as Float64Array, { maxEvaluations: 20, lr: 0.1 }),
      runs: 30,
    }),
    ...[Z.quadratic, Z.rosenbrock].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anySize),
        call: (d) => {
          const p = (f as (d: number) => Z.TestProblem)(d as number);
          return p.f(new Float64Array(d as number));
        },
        runs: 30,
      }),
    ),
  ],
  { runs: 36 },
);
