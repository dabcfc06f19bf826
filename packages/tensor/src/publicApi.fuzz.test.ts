import { Rng } from '@tenzo/core';
import {
  allFinite,
  anyNumber,
  anyNumbers,
  anySize,
  apiCase,
  describePublicApi,
  isFiniteArray,
  isInt,
  isNum,
  junk,
} from '@tenzo/core/testing';
import fc from 'fast-check';
import * as T from './index.js';

// Tensors hold values in [0.5, 2]: inside the domain of every elementwise op (log, sqrt, pow,
// reciprocal), so a non-finite result from finite input is a real failure, not IEEE semantics.
const positive = (shape: readonly number[], dtype: T.DType = 'float32') =>
  T.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.5 + (i % 4) / 2.5),
    { shape, dtype },
  );
const anyTensor: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom([2, 3], [3], [1, 3], [], [0], [2, 0], [3, 2]).map((s) => positive(s)),
  },
  { weight: 1, arbitrary: fc.constant(positive([2, 3], 'float64')) },
  { weight: 1, arbitrary: fc.oneof(junk, anyNumbers) },
);
const isT = (x: unknown): x is T.Tensor => x instanceof T.Tensor;
const scalarOrTensor = fc.oneof(anyTensor, fc.constantFrom(-2, -0.5, 0, 0.5, 1, 3), junk);
const broadcastable = (a: unknown, b: unknown) => {
  if (!(isT(a) || typeof a === 'number') || !(isT(b) || typeof b === 'number')) return false;
  if (isT(a) && isT(b)) {
    if (a.dtype !== b.dtype) return false;
    try {
      T.broadcastShapes('x', a.shape, b.shape);
    } catch {
      return false;
    }
  }
  return true;
};
const hasNaN = (x: unknown): boolean =>
  typeof x === 'number'
    ? Number.isNaN(x)
    : isT(x)
      ? x.data.some(Number.isNaN)
      : Array.isArray(x) && x.some(hasNaN);
// no NaN out of finite input (a Tensor's data included); overflow to ±∞ is IEEE's answer
const finiteWhenFinite = (r: unknown, args: unknown[]) => !allFinite(args) || !hasNaN(r);
const shapeArb = fc.oneof(
  fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 3 }),
  junk,
  fc.constant([2 ** 20, 2 ** 20]),
);
const axisArb = fc.oneof(fc.integer({ min: -3, max: 3 }), anyNumber);
const rng = new Rng(1);

const unaryOps = {
  neg: T.neg,
  exp: T.exp,
  log: T.log,
  sqrt: T.sqrt,
  abs: T.abs,
  sign: T.sign,
  tanh: T.tanh,
  sigmoid: T.sigmoid,
  relu: T.relu,
  sin: T.sin,
  cos: T.cos,
  square: T.square,
  reciprocal: T.reciprocal,
  erf: T.erf,
  gelu: T.gelu,
};
const binaryOps = {
  add: T.add,
  sub: T.sub,
  mul: T.mul,
  div: T.div,
  pow: T.pow,
  maximum: T.maximum,
  minimum: T.minimum,
  equal: T.equal,
  notEqual: T.notEqual,
  greater: T.greater,
  greaterEqual: T.greaterEqual,
  less: T.less,
  lessEqual: T.lessEqual,
};
const reductions = [T.sum, T.max, T.min, T.mean, T.variance, T.logsumexp];

describePublicApi(
  '@tenzo/tensor',
  [
    ...Object.entries(unaryOps).map(([name, f]) =>
      apiCase({
        name,
        args: fc.tuple(anyTensor),
        call: (x) => f(x as T.Tensor),
        valid: isT,
        ok: finiteWhenFinite,
        runs: 12,
      }),
    ),
    ...Object.entries(binaryOps).map(([name, f]) =>
      apiCase({
        name,
        args: fc.tuple(scalarOrTensor, scalarOrTensor),
        call: (a, b) => f(a as T.Tensor, b as T.Tensor),
        valid: (a, b) => broadcastable(a, b) && (f !== T.pow || !(typeof a === 'number' && a <= 0)),
        ok: finiteWhenFinite,
        runs: 15,
      }),
    ),
    ...reductions.map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anyTensor, fc.oneof(fc.constant(undefined), axisArb)),
        call: (x, axis) => f(x as T.Tensor, { axis: axis as number }),
        valid: (x, axis) =>
          isT(x) &&
          (axis === undefined || isInt(axis, -x.ndim, Math.max(x.ndim, 1) - 1)) &&
          ((f !== T.mean && f !== T.variance) || x.size > 0),
        ok: (r, args) => finiteWhenFinite(r, args) || f === T.logsumexp,
        runs: 15,
      }),
    ),
    ...[T.argmax, T.argmin].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anyTensor, axisArb),
        call: (x, a) => f(x as T.Tensor, a as number),
        valid: (x, a) => isT(x) && x.size > 0 && isInt(a, -x.ndim, Math.max(x.ndim, 1) - 1),
        runs: 30,
      }),
    ),
    apiCase({
      name: 'tensor',
      args: fc.tuple(
        fc.oneof(
          anyNumbers,
          fc.constantFrom<unknown>(
            [
              [1, 2],
              [3, 4],
            ],
            [[1], [2, 3]],
            [['a']],
            ['x', 1],
            new Int32Array([1, 2]),
          ),
        ),
        fc.oneof(
          fc.constant({}),
          fc.record({ dtype: fc.oneof(junk, fc.constantFrom('float32', 'float64', 'int32')) }),
          fc.record({ shape: shapeArb }),
        ),
      ),
      call: (v, o) => T.tensor(v as number[], o as T.CreateOptions),
      ok: (r) => isT(r) && (r.data instanceof Float32Array || r.data instanceof Float64Array),
      valid: (v, o) => {
        if (typeof v === 'number') return true;
        const nested = Array.isArray(v) && v.some(Array.isArray);
        const flat = nested ? (v as unknown[]).flat(3) : v;
        if (
          !(Array.isArray(flat) || ArrayBuffer.isView(flat)) ||
          !Array.from(flat as ArrayLike<unknown>).every((x) => typeof x === 'number')
        )
          return false;
        if ('dtype' in o && o.dtype !== undefined && o.dtype !== 'float32' && o.dtype !== 'float64')
          return false;
        if (
          nested &&
          (v as unknown[][]).some(
            (row) => !Array.isArray(row) || row.length !== (v as unknown[][])[0]!.length,
          )
        )
          return false;
        if ('shape' in o && o.shape !== undefined)
          return (
            Array.isArray(o.shape) &&
            o.shape.every((d) => isInt(d)) &&
            o.shape.reduce((a: number, b: number) => a * b, 1) === (flat as unknown[]).length
          );
        return true;
      },
      runs: 80,
    }),
    apiCase({
      name: 'Tensor',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.constantFrom<unknown>(new Float32Array(6), new Float64Array(6), new Int32Array(6), [1, 2]),
        ),
        fc.oneof(shapeArb, fc.constant([2, 3])),
      ),
      call: (d, s) => new T.Tensor(d as Float32Array, s as number[]),
      valid: (d, s) =>
        (d instanceof Float32Array || d instanceof Float64Array) &&
        Array.isArray(s) &&
        s.every((x) => isInt(x)) &&
        s.reduce((a: number, b: number) => a * b, 1) === 6,
      runs: 60,
    }),
    apiCase({
      name: 'Tensor.scalar',
      args: fc.tuple(anyNumber, fc.oneof(junk, fc.constantFrom('float32', 'float64'))),
      call: (v, d) => T.Tensor.scalar(v as number, d as T.DType),
      valid: (v, d) => typeof v === 'number' && (d === undefined || d === 'float32' || d === 'float64'),
      ok: finiteWhenFinite,
      runs: 40,
    }),
    apiCase({
      name: 'fromTypedArray',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom<unknown>(new Float32Array(4), new Int32Array(4), new Uint8Array(4))),
        fc.oneof(shapeArb, fc.constant([4])),
      ),
      call: (d, s) => T.fromTypedArray(d as Float32Array, s as number[]),
      valid: (d, s) =>
        d instanceof Float32Array &&
        Array.isArray(s) &&
        s.every((x) => isInt(x)) &&
        s.reduce((a: number, b: number) => a * b, 1) === 4,
      runs: 40,
    }),
    ...[T.zeros, T.ones].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(shapeArb),
        call: (s) => f(s as number[]),
        valid: (s) =>
          Array.isArray(s) &&
          s.every((x) => isInt(x)) &&
          s.reduce((a: number, b: number) => a * b, 1) < 2 ** 31,
        runs: 30,
      }),
    ),
    apiCase({
      name: 'full',
      args: fc.tuple(shapeArb, anyNumber),
      call: (s, v) => T.full(s as number[], v as number),
      valid: (s, v) =>
        Array.isArray(s) &&
        s.every((x) => isInt(x)) &&
        s.reduce((a: number, b: number) => a * b, 1) < 2 ** 31 &&
        typeof v === 'number',
      ok: finiteWhenFinite,
      runs: 40,
    }),
    apiCase({
      name: 'eye',
      args: fc.tuple(anySize),
      call: (n) => T.eye(n as number),
      valid: (n) => isInt(n, 0, 46340),
      runs: 30,
    }),
    apiCase({
      name: 'arange',
      args: fc.tuple(
        anyNumber,
        fc.oneof(fc.constant(undefined), anyNumber),
        fc.oneof(fc.constant(1), anyNumber),
      ),
      call: (a, b, s) => T.arange(a as number, b as number, s as number),
      runs: 50,
    }),
    apiCase({
      name: 'linspace',
      args: fc.tuple(anyNumber, anyNumber, anySize),
      call: (a, b, n) => T.linspace(a as number, b as number, n as number),
      valid: (a, b, n) => isNum(a) && isNum(b) && isInt(n) && Number.isFinite((b as number) - (a as number)),
      ok: finiteWhenFinite,
      runs: 50,
    }),
    apiCase({
      name: 'randn',
      args: fc.tuple(
        shapeArb,
        fc.oneof(junk, fc.constant(rng)),
        fc.oneof(fc.constant({}), fc.record({ std: anyNumber }), fc.record({ mean: anyNumber })),
      ),
      call: (s, r, o) => T.randn(s as number[], r as Rng, o as { std?: number }),
      valid: (s, r, o) =>
        Array.isArray(s) &&
        s.every((x) => isInt(x)) &&
        s.reduce((a: number, b: number) => a * b, 1) < 2 ** 31 &&
        r === rng &&
        (!('std' in o) || isNum(o.std, 0)) &&
        (!('mean' in o) || isNum(o.mean)),
      ok: (r) => allFinite(r) || true,
      runs: 60,
    }),
    apiCase({
      name: 'rand',
      args: fc.tuple(
        fc.oneof(shapeArb, fc.constant([2])),
        fc.oneof(junk, fc.constant(rng)),
        fc.oneof(fc.constant({}), fc.record({ low: anyNumber, high: anyNumber })),
      ),
      call: (s, r, o) => T.rand(s as number[], r as Rng, o as { low?: number }),
      valid: (s, r, o) =>
        Array.isArray(s) &&
        s.every((x) => isInt(x)) &&
        r === rng &&
        (!('low' in o) ||
          (isNum(o.low) && isNum(o.high) && o.high >= o.low && Number.isFinite(o.high - o.low))),
      ok: finiteWhenFinite,
      runs: 50,
    }),
    apiCase({
      name: 'rademacher',
      args: fc.tuple(fc.oneof(shapeArb, fc.constant([2])), fc.oneof(junk, fc.constant(rng))),
      call: (s, r) => T.rademacher(s as number[], r as Rng),
      valid: (s, r) => Array.isArray(s) && s.every((x) => isInt(x)) && r === rng,
      runs: 30,
    }),
    apiCase({
      name: 'backward',
      args: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.constant(undefined), junk)),
      call: (times, g) => {
        const x = positive([2]).setRequiresGrad(true);
        const y = x.mul(x).sum();
        for (let i = 0; i < times; i++) y.backward(g as T.Tensor);
        return x.grad;
      },
      valid: (times, g) => times === 1 && g === undefined,
      runs: 40,
    }),
    // layout ops: any result must hold exactly x's elements
    ...Object.entries({
      reshape: [fc.tuple(shapeArb), (x: T.Tensor, [s]: unknown[]) => T.reshape(x, s as number[])],
      flatten: [
        fc.tuple(axisArb, axisArb),
        (x: T.Tensor, [a, b]: unknown[]) => T.flatten(x, a as number, b as number),
      ],
      unsqueeze: [fc.tuple(axisArb), (x: T.Tensor, [a]: unknown[]) => T.unsqueeze(x, a as number)],
      squeeze: [
        fc.tuple(fc.oneof(fc.constant(undefined), axisArb)),
        (x: T.Tensor, [a]: unknown[]) => T.squeeze(x, a as number),
      ],
      permute: [
        fc.tuple(fc.oneof(fc.constant(undefined), shapeArb)),
        (x: T.Tensor, [p]: unknown[]) => T.permute(x, p as number[]),
      ],
      transpose: [
        fc.tuple(axisArb, axisArb),
        (x: T.Tensor, [a, b]: unknown[]) => T.transpose(x, a as number, b as number),
      ],
    } as const).map(([name, [extra, f]]) =>
      apiCase({
        name,
        args: fc.tuple(anyTensor, extra as fc.Arbitrary<unknown[]>),
        call: (x, e) => f(x as T.Tensor, e),
        ok: (r, [x]) => isT(r) && isT(x) && r.size === x.size,
        runs: 30,
      }),
    ),
    apiCase({
      name: 'broadcastTo',
      args: fc.tuple(anyTensor, shapeArb),
      call: (x, s) => T.broadcastTo(x as T.Tensor, s as number[]),
      ok: (r, [, s]) => isT(r) && r.shape.join() === (s as number[]).join(),
      runs: 30,
    }),
    apiCase({
      name: 'slice',
      args: fc.tuple(anyTensor, shapeArb, fc.oneof(fc.constant(undefined), shapeArb)),
      call: (x, b, s) => T.slice(x as T.Tensor, b as number[], s as number[]),
      ok: (r) => isT(r) && allFinite(r),
      runs: 40,
    }),
    apiCase({
      name: 'concat',
      args: fc.tuple(fc.oneof(fc.array(anyTensor, { maxLength: 3 }), junk), axisArb),
      call: (xs, a) => T.concat(xs as T.Tensor[], a as number),
      ok: (r) => isT(r) && allFinite(r),
      runs: 40,
    }),
    apiCase({
      name: 'stack',
      args: fc.tuple(fc.oneof(fc.array(anyTensor, { maxLength: 3 }), junk), axisArb),
      call: (xs, a) => T.stack(xs as T.Tensor[], a as number),
      ok: (r) => isT(r) && allFinite(r),
      runs: 40,
    }),
    apiCase({
      name: 'split',
      args: fc.tuple(anyTensor, fc.oneof(anySize, shapeArb), axisArb),
      call: (x, s, a) => T.split(x as T.Tensor, s as number, a as number),
      ok: (r, [x]) => Array.isArray(r) && isT(x) && r.reduce((n, t: T.Tensor) => n + t.size, 0) === x.size,
      runs: 40,
    }),
    apiCase({
      name: 'pad',
      args: fc.tuple(
        anyTensor,
        fc.oneof(
          junk,
          fc.constant([[1, 1]]),
          fc.constant([
            [0, 1],
            [2, 0],
          ]),
          fc.constant([[-1, 0]]),
          fc.constant([[1.5, 0]]),
        ),
      ),
      call: (x, p) => T.pad(x as T.Tensor, p as [number, number][]),
      ok: (r) => isT(r) && allFinite(r),
      runs: 30,
    }),
    ...[T.softmax, T.logSoftmax].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anyTensor, axisArb),
        call: (x, a) => f(x as T.Tensor, a as number),
        ok: finiteWhenFinite,
        runs: 30,
      }),
    ),
    apiCase({
      name: 'matmul',
      args: fc.tuple(anyTensor, anyTensor),
      call: (a, b) => T.matmul(a as T.Tensor, b as T.Tensor),
      ok: finiteWhenFinite,
      runs: 40,
    }),
    apiCase({
      name: 'where',
      args: fc.tuple(anyTensor, scalarOrTensor, scalarOrTensor),
      call: (c, a, b) => T.where(c as T.Tensor, a as T.Tensor, b as T.Tensor),
      ok: finiteWhenFinite,
      runs: 30,
    }),
    apiCase({
      name: 'clamp',
      args: fc.tuple(anyTensor, anyNumber, anyNumber),
      call: (x, a, b) => T.clamp(x as T.Tensor, a as number, b as number),
      valid: (x, a, b) =>
        isT(x) &&
        typeof a === 'number' &&
        (b === undefined || (typeof b === 'number' && !Number.isNaN(b) && a <= b)) &&
        !Number.isNaN(a),
      ok: finiteWhenFinite,
      runs: 40,
    }),
    apiCase({
      name: 'gather',
      args: fc.tuple(anyTensor, fc.oneof(anyNumbers, fc.constant([0, 1])), axisArb),
      call: (x, i, a) => T.gather(x as T.Tensor, i as number[], a as number),
      ok: finiteWhenFinite,
      runs: 40,
    }),
    apiCase({
      name: 'oneHot',
      args: fc.tuple(fc.oneof(anyNumbers, fc.constant([0, 2])), anySize),
      call: (i, d) => T.oneHot(i as number[], d as number),
      valid: (i, d) =>
        isInt(d, 1) &&
        (isFiniteArray(i) || (Array.isArray(i) && i.length === 0)) &&
        Array.from(i as number[]).every((k) => isInt(k, 0, (d as number) - 1)),
      runs: 40,
    }),
    apiCase({
      name: 'cast',
      args: fc.tuple(anyTensor, fc.oneof(junk, fc.constantFrom('float32', 'float64'))),
      call: (x, d) => T.cast(x as T.Tensor, d as T.DType),
      valid: (x, d) => isT(x) && (d === 'float32' || d === 'float64'),
      runs: 30,
    }),
    apiCase({
      name: 'broadcastShapes',
      args: fc.tuple(shapeArb, shapeArb),
      call: (a, b) => T.broadcastShapes('op', a as number[], b as number[]),
      ok: (r) => Array.isArray(r) && r.every((d) => isInt(d)),
      runs: 30,
    }),
    apiCase({
      name: 'sizeOf',
      args: fc.tuple(shapeArb),
      call: (s) => T.sizeOf(s as number[]),
      ok: (r) => isInt(r),
      runs: 30,
    }),
    apiCase({
      name: 'stridesOf',
      args: fc.tuple(shapeArb),
      call: (s) => T.stridesOf(s as number[]),
      ok: (r) => Array.isArray(r) && r.every((d) => isInt(d)),
      runs: 30,
    }),
    apiCase({
      name: 'allocate',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('float32', 'float64')), anySize),
      call: (d, n) => T.allocate(d as T.DType, n as number),
      ok: (r, [, n]) => ArrayBuffer.isView(r) && (r as Float32Array).length === n,
      runs: 30,
    }),
    apiCase({
      name: 'setBackend',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('reference', 'nope'))),
      call: (b) => T.withBackend(b as string, () => 1),
      valid: (b) => b === 'reference',
      runs: 20,
    }),
    apiCase({
      name: 'getKernel',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('Add', 'Nope'))),
      call: (k) => T.getKernel(k as string),
      ok: () => true,
      runs: 20,
    }),
    apiCase({
      name: 'customOp',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            name: fc.string(),
            forward: fc.constant((x: T.Tensor) => x.mul(2)),
            backward: fc.oneof(
              junk,
              fc.constant((dy: T.Tensor) => [dy.mul(2)]),
            ),
          }),
        ),
      ),
      call: (spec) => T.customOp(spec as T.CustomOpSpec<undefined>)(positive([2])),
      ok: (r) => isT(r),
      runs: 30,
    }),
    apiCase({
      name: 'noGrad',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.constant(() => 3),
        ),
      ),
      call: (f) => T.noGrad(f as () => number),
      ok: (r) => typeof r === 'number',
      runs: 20,
    }),
    apiCase({
      name: 'gradCheck',
      args: fc.tuple(fc.oneof(junk, fc.constant([positive([2], 'float64')]), fc.constant([positive([2])]))),
      call: (xs) => T.gradCheck((x) => x.mul(x).sum(), xs as T.Tensor[]),
      ok: (r) => typeof r === 'object' && r !== null,
      runs: 20,
    }),
  ],
  { runs: 20 },
);
