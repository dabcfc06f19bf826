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

// Result predicates: each returned value is checked against what the function means (a
// factorization reproduces A, a solution satisfies its equations, a norm lies between max|a_ij|
// and Σ|a_ij|), to a tolerance of 1e-10 relative to the entries' size.
type Mx = L.Matrix;
const asM = (x: unknown, rows: number): Mx =>
  x instanceof Float64Array ? { rows, cols: x.length / rows, data: x } : (x as Mx);
const mm = (a: Mx, b: Mx): Mx => {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let t = 0;
      for (let k = 0; k < a.cols; k++) t += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
      out[i * b.cols + j] = t;
    }
  return { rows: a.rows, cols: b.cols, data: out };
};
const tr = (a: Mx): Mx => ({
  rows: a.cols,
  cols: a.rows,
  data: Float64Array.from(
    { length: a.data.length },
    (_, i) => a.data[(i % a.rows) * a.cols + Math.floor(i / a.rows)]!,
  ),
});
const scale = (...ms: Mx[]) => Math.max(1, ...ms.flatMap((x) => Array.from(x.data, Math.abs)));
const near = (a: Mx, b: Mx, tol = 1e-10) =>
  a.rows === b.rows &&
  a.cols === b.cols &&
  a.data.every((v, i) => Object.is(v, b.data[i]) || Math.abs(v - b.data[i]!) <= tol * scale(a, b));
const orthonormalCols = (q: Mx) => near(mm(tr(q), q), L.eye(q.cols));
const permCols = (a: Mx, perm: Int32Array): Mx => ({
  rows: a.rows,
  cols: perm.length,
  data: Float64Array.from(
    { length: a.rows * perm.length },
    (_, i) => a.data[Math.floor(i / perm.length) * a.cols + perm[i % perm.length]!]!,
  ),
});
const permRows = (a: Mx, perm: Int32Array): Mx => ({
  rows: perm.length,
  cols: a.cols,
  data: Float64Array.from(
    { length: perm.length * a.cols },
    (_, i) => a.data[perm[Math.floor(i / a.cols)]! * a.cols + (i % a.cols)]!,
  ),
});
const diagM = (v: ArrayLike<number>): Mx => L.diag(Float64Array.from(v));
const descendingNonNeg = (s: Float64Array) =>
  s.every((v, i) => v >= 0 && (i === 0 || v <= s[i - 1]! * (1 + 1e-12)));
const CHECKS: Record<string, (r: unknown, args: unknown[]) => boolean> = {
  cholesky: (r, [a]) => near(mm(r as Mx, tr(r as Mx)), a as Mx),
  det: (r, [a]) => {
    const s = L.slogdet(a as Mx);
    return (
      Math.abs((r as number) - s.sign * Math.exp(s.logAbsDet)) <= 1e-10 * Math.max(1, Math.abs(r as number))
    );
  },
  eigh: (r, [a]) => {
    const { values, vectors } = r as L.EighResult;
    return orthonormalCols(vectors) && near(mm(a as Mx, vectors), mm(vectors, diagM(values)));
  },
  lu: (r, [a]) => {
    const { perm, L: l, U } = r as L.LuResult;
    return near(mm(l, U), permRows(a as Mx, perm));
  },
  // Penrose: A⁺·A·A⁺ = A⁺ always; A·A⁺·A = A unless rcond cut singular values off
  pinv: (r, [a, o]) =>
    near(mm(mm(r as Mx, a as Mx), r as Mx), r as Mx, 1e-8) &&
    ((o as { rcond?: unknown } | undefined)?.rcond !== undefined ||
      near(mm(mm(a as Mx, r as Mx), a as Mx), a as Mx, 1e-8)),
  qr: (r, [a]) => {
    const f = r as Partial<L.QrPivotedResult>;
    if (!f.Q) return f.R !== undefined; // mode 'r': R only
    const want = f.perm ? permCols(a as Mx, f.perm) : (a as Mx);
    return orthonormalCols(f.Q) && near(mm(f.Q, f.R!), want);
  },
  svd: (r, [a]) => {
    const { U, S, V } = r as L.SvdResult;
    const k = S.length;
    const Uk = {
      rows: U.rows,
      cols: k,
      data: Float64Array.from(
        { length: U.rows * k },
        (_, i) => U.data[Math.floor(i / k) * U.cols + (i % k)]!,
      ),
    };
    const Vk = {
      rows: V.rows,
      cols: k,
      data: Float64Array.from(
        { length: V.rows * k },
        (_, i) => V.data[Math.floor(i / k) * V.cols + (i % k)]!,
      ),
    };
    return descendingNonNeg(S) && near(mm(mm(Uk, diagM(S)), tr(Vk)), a as Mx);
  },
  svdValues: (r, [a]) => {
    const s = r as Float64Array;
    const fro = Array.from((a as Mx).data).reduce((t, v) => t + v * v, 0);
    return (
      descendingNonNeg(s) && Math.abs(s.reduce((t, v) => t + v * v, 0) - fro) <= 1e-10 * Math.max(1, fro)
    );
  },
  svdTruncated: (r, [a]) => {
    const { U, S } = r as L.SvdResult;
    const full = L.svdValues(a as Mx);
    return (
      orthonormalCols(U) &&
      descendingNonNeg(S) &&
      Array.from(S).every((v, i) => Math.abs(v - full[i]!) <= 1e-10 * Math.max(1, full[0]!))
    );
  },
  randomizedSvd: (r, [a]) => {
    const { U, S } = r as L.SvdResult;
    const full = L.svdValues(a as Mx);
    // a randomized approximation never exceeds the true singular values
    return (
      orthonormalCols(U) &&
      descendingNonNeg(S) &&
      Array.from(S).every((v, i) => v <= full[i]! * (1 + 1e-10) + 1e-12)
    );
  },
  randomizedRangeFinder: (r) => orthonormalCols(r as Mx),
  orth: (r) => orthonormalCols(r as Mx),
  rank: (r, [a]) => {
    const s = L.svdValues(a as Mx);
    return Number.isInteger(r) && (r as number) >= 0 && (r as number) <= s.filter((v) => v > 0).length;
  },
  norm: (r, [a]) => {
    const abs = Array.from((a as Mx).data, Math.abs);
    const v = r as number;
    return v >= Math.max(0, ...abs) * (1 - 1e-12) && v <= abs.reduce((t, x) => t + x, 0) * (1 + 1e-12);
  },
  transpose: (r, [a]) => near(r as Mx, tr(a as Mx), 0),
  clone: (r, [a]) => near(r as Mx, a as Mx, 0) && (r as Mx).data !== (a as Mx).data,
  toRows: (r, [a]) =>
    (r as number[][]).every((row, i) =>
      row.every((v, j) => Object.is(v, (a as Mx).data[i * (a as Mx).cols + j])),
    ),
  checkMatrix: (r, [a]) => r === a,
  matmul: (r, [a, b]) => near(r as Mx, mm(a as Mx, b as Mx)),
  matmulNT: (r, [a, b]) => near(r as Mx, mm(a as Mx, tr(b as Mx))),
  matmulTN: (r, [a, b]) => near(r as Mx, mm(tr(a as Mx), b as Mx)),
  sub: (r, [a, b]) =>
    near(r as Mx, { ...(a as Mx), data: (a as Mx).data.map((v, i) => v - (b as Mx).data[i]!) }, 0),
  solve: (r, [a, b]) => near(mm(a as Mx, asM(r, (a as Mx).cols)), asM(b, (a as Mx).rows), 1e-8),
  // the normal equations Aᵀ(A·x − b) = 0 of a least-squares solution
  lstsq: (r, [a, b]) => {
    const x = asM((r as L.LstsqResult<unknown>).x, (a as Mx).cols);
    const bm = asM(b, (a as Mx).rows);
    const res = mm(a as Mx, x);
    const diff = { ...res, data: res.data.map((v, i) => v - bm.data[i]!) };
    const g = mm(tr(a as Mx), diff);
    return g.data.every((v) => Math.abs(v) <= 1e-8 * scale(a as Mx, bm) ** 2);
  },
  triangularSolve: (r, [t, b, o]) => {
    const tt = t as Mx;
    const opt = (o ?? {}) as L.TriangularSolveOptions;
    const T = {
      ...tt,
      data: tt.data.map((v, i) => {
        const row = Math.floor(i / tt.cols);
        const col = i % tt.cols;
        if (row === col) return opt.unitDiagonal ? 1 : v;
        return (opt.lower ? row > col : row < col) ? v : 0;
      }),
    };
    return near(mm(opt.transpose ? tr(T) : T, asM(r, tt.cols)), asM(b, tt.rows), 1e-8);
  },
};

describePublicApi('@tenzo/linalg', [
  ...unary.map(([name, call]) =>
    apiCase({
      name,
      args: fc.tuple(mat, opts),
      call,
      runs: 45,
      ...(CHECKS[name] ? { ok: (r: unknown, args: unknown[]) => CHECKS[name]!(r, args) } : {}),
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
    apiCase({
      name,
      args: fc.tuple(mat, fc.oneof(mat, vec), opts),
      call,
      runs: 45,
      ok: (r: unknown, args: unknown[]) => CHECKS[name]!(r, args),
    }),
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
