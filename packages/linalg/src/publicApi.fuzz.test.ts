import { Rng } from '@tenzo/core';
import { anyNumber, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as L from './index.js';

// Generated bad input to every export of @tenzo/linalg (issue #22): a typed error or a correct
// result, never a raw error, NaN from finite input, or a hang. Matrices are small (≤ 4×4), so
// every valid call is quick; scale and conditioning are covered by scaleInvariance.test.ts.

const m = (rows: number, cols: number, f: (i: number) => number) => ({
  rows,
  cols,
  data: Float64Array.from({ length: rows * cols }, (_, i) => f(i)),
});
const mat = fc.oneof(
  junk,
  fc.constant(m(3, 3, (i) => (i % 4 === 0 ? 2 : 0.5 * ((i % 3) - 1)))),
  fc.constant(m(4, 2, (i) => ((i * 7) % 5) - 2)),
  fc.constant(m(2, 4, (i) => i + 1)),
  fc.constant(m(2, 2, () => 0)),
  fc.constant(m(2, 2, (i) => (i === 1 ? Number.NaN : 1))),
  fc.constant({ rows: 2, cols: 2, data: new Float64Array(3) }),
  fc.constant({ rows: -1, cols: 2, data: new Float64Array(0) }),
  fc.constant({ rows: 2, cols: 2, data: [1, 2, 3, 4] }),
  fc.constant(m(3, 3, (i) => [4, 1, 0, 1, 3, 1, 0, 1, 2][i]!)),
);
const vec = fc.oneof(
  junk,
  fc.constant(new Float64Array([1, 2, 3])),
  fc.constant(new Float64Array([Number.NaN])),
  fc.constant([1, 2]),
);
const opts = fc.oneof(
  junk,
  fc.record(
    {
      rank: anySize,
      mode: fc.oneof(junk, fc.constantFrom('reduced', 'complete', 'r')),
      pivoting: fc.oneof(junk, fc.boolean()),
      lower: fc.oneof(junk, fc.boolean()),
      transpose: fc.oneof(junk, fc.boolean()),
      rcond: anyNumber,
      oversample: anySize,
      powerIterations: anySize,
      rng: fc.oneof(junk, fc.constant(new Rng(1))),
    },
    { requiredKeys: [] },
  ),
);
const unary: [string, (a: unknown, o: unknown) => unknown][] = [
  ['cholesky', (a) => L.cholesky(a as L.Matrix)],
  ['conditionEstimate', (a) => L.conditionEstimate(a as L.Matrix)],
  ['det', (a) => L.det(a as L.Matrix)],
  ['slogdet', (a) => L.slogdet(a as L.Matrix)],
  ['eigh', (a) => L.eigh(a as L.Matrix)],
  ['lu', (a) => L.lu(a as L.Matrix)],
  ['pinv', (a, o) => L.pinv(a as L.Matrix, o as never)],
  ['qr', (a, o) => L.qr(a as L.Matrix, o as never)],
  ['svd', (a, o) => L.svd(a as L.Matrix, o as never)],
  ['svdValues', (a) => L.svdValues(a as L.Matrix)],
  ['svdTruncated', (a, o) => L.svdTruncated(a as L.Matrix, o as never)],
  ['randomizedSvd', (a, o) => L.randomizedSvd(a as L.Matrix, o as never)],
  ['randomizedRangeFinder', (a, o) => L.randomizedRangeFinder(a as L.Matrix, o as never)],
  ['orth', (a, o) => L.orth(a as L.Matrix, o as never)],
  ['rank', (a, o) => L.rank(a as L.Matrix, o as never)],
  ['norm', (a, o) => L.norm(a as L.Matrix, o as never)],
  ['transpose', (a) => L.transpose(a as L.Matrix)],
  ['clone', (a) => L.clone(a as L.Matrix)],
  ['toRows', (a) => L.toRows(a as L.Matrix)],
  ['checkMatrix', (a, o) => L.checkMatrix('fuzz', typeof o === 'string' ? o : 'a', a)],
];
const binary: [string, (a: unknown, b: unknown, o: unknown) => unknown][] = [
  ['matmul', (a, b) => L.matmul(a as L.Matrix, b as L.Matrix)],
  ['matmulNT', (a, b) => L.matmulNT(a as L.Matrix, b as L.Matrix)],
  ['matmulTN', (a, b) => L.matmulTN(a as L.Matrix, b as L.Matrix)],
  ['solve', (a, b) => L.solve(a as L.Matrix, b as L.Matrix)],
  ['lstsq', (a, b, o) => L.lstsq(a as L.Matrix, b as L.Matrix, o as never)],
  ['triangularSolve', (a, b, o) => L.triangularSolve(a as L.Matrix, b as L.Matrix, o as never)],
  ['sub', (a, b) => L.sub(a as L.Matrix, b as L.Matrix)],
];

describePublicApi('@tenzo/linalg', [
  ...unary.map(([name, call]) =>
    apiCase({
      name,
      args: fc.tuple(mat, opts),
      call,
      runs: 45,
      // κ of a singular matrix is ∞, correctly
      ...(name === 'conditionEstimate' ? { ok: (r: unknown) => typeof r === 'number' && r >= 1 } : {}),
      // a singular matrix has sign 0 and log|det| = −∞ (numpy's convention)
      ...(name === 'slogdet'
        ? {
            ok: (r: unknown) => {
              const { sign, logAbsDet } = r as { sign: number; logAbsDet: number };
              return sign === 0
                ? logAbsDet === Number.NEGATIVE_INFINITY
                : Math.abs(sign) === 1 && Number.isFinite(logAbsDet);
            },
          }
        : {}),
    }),
  ),
  ...binary.map(([name, call]) =>
    apiCase({ name, args: fc.tuple(mat, fc.oneof(mat, vec), opts), call, runs: 45 }),
  ),
  apiCase({
    name: 'matrix',
    args: fc.tuple(anySize, anySize, vec),
    call: (r, c, d) => L.matrix(r as number, c as number, d as never),
    runs: 40,
  }),
  apiCase({
    name: 'zeros',
    args: fc.tuple(anySize, anySize),
    call: (r, c) => L.zeros(r as number, c as number),
    runs: 40,
  }),
  apiCase({ name: 'eye', args: fc.tuple(anySize), call: (n) => L.eye(n as number), runs: 40 }),
  apiCase({ name: 'diag', args: fc.tuple(vec), call: (v) => L.diag(v as never), runs: 40 }),
  apiCase({
    name: 'fromRows',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.constant([
          [1, 2],
          [3, 4],
        ]),
        fc.constant([[1], [2, 3]]),
        fc.constant([[Number.NaN]]),
      ),
    ),
    call: (r) => L.fromRows(r as never),
    runs: 40,
  }),
  apiCase({
    name: 'sliceRows / sliceCols',
    args: fc.tuple(mat, anySize, anySize, fc.boolean()),
    call: (a, s, e, rows) =>
      rows
        ? L.sliceRows(a as L.Matrix, s as number, e as number)
        : L.sliceCols(a as L.Matrix, s as number, e as number),
    runs: 60,
  }),
]);
