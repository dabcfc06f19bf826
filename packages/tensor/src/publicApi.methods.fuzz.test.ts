import { anyNumber, anyNumbers, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as T from './index.js';

// The methods of a Tensor (issue #22): each called on small float64/float32 tensors with
// arguments of every wrong type and shape. A returned tensor is checked against what the method
// means — its shape, and an identity or a direct computation of its values — not only for
// finiteness.

const f64 = (v: T.NestedArray) => T.tensor(v, { dtype: 'float64' });
const x23 = () =>
  f64([
    [1, -2, 3],
    [0.5, 4, -1],
  ]);
const base = fc.constantFrom(
  () => x23(),
  () => f64([1.5, -0.5, 2]),
  () => T.fromTypedArray(Float32Array.of(1, 2, 3, 4), [2, 2]),
  () => T.Tensor.scalar(2),
);
const other = fc.oneof(
  junk,
  anyNumber,
  fc.constantFrom(
    () => x23(),
    () => f64([2, 1, -1]),
    () => f64([[1], [2]]),
    () => f64([1, 2]),
  ),
);
const axis = fc.oneof(junk, fc.integer({ min: -3, max: 3 }), fc.constantFrom(1.5, 99));
const shape = fc.oneof(
  junk,
  fc.constantFrom([3, 2], [6], [-1, 3], [2, -1], [4], [0], [1, 2, 3], [2.5, 2], ['2', 3]),
);
const val = (t: T.Tensor) => t.toFlat();
const sameShape = (a: T.Tensor, b: readonly number[]) =>
  a.shape.length === b.length && a.shape.every((d, i) => d === b[i]);
const close = (a: readonly number[], b: readonly number[], tol = 1e-6) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)));
/** `other` as the method saw it: a tensor built fresh, a number, or junk */
const arg = (v: unknown): unknown => {
  if (typeof v === 'function') {
    try {
      const r = (v as () => unknown)();
      return r instanceof T.Tensor ? r : v;
    } catch {
      return v;
    }
  }
  return v;
};

const binary = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;
const ref: Record<(typeof binary)[number], (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: Math.max,
  minimum: Math.min,
};
/** t (a tensor or a number) broadcast to `shape`, flat; null when it cannot be */
function broadcastFlat(t: unknown, shape: readonly number[]): number[] | null {
  if (typeof t === 'number') return Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => t);
  if (!(t instanceof T.Tensor)) return null;
  try {
    return val(t.broadcastTo(shape));
  } catch {
    return null;
  }
}
/** y = a ∘ b elementwise over the broadcast shape; float32 results as Math.fround of the float64 value */
function elementwiseOk(a: T.Tensor, b: unknown, y: T.Tensor, f: (p: number, q: number) => number): boolean {
  const av = broadcastFlat(a, y.shape);
  const bv = broadcastFlat(b, y.shape);
  if (av === null || bv === null) return false;
  const round = y.dtype === 'float32' ? Math.fround : (v: number) => v;
  const yv = val(y);
  return av.every((p, i) => {
    const w = round(f(p, bv[i]!));
    return Number.isFinite(w)
      ? close([yv[i]!], [w], 1e-6)
      : Object.is(w, yv[i]) || (Number.isNaN(w) && Number.isNaN(yv[i]));
  });
}

const unary: Record<string, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  abs: Math.abs,
  sign: Math.sign,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(0, v),
  sin: Math.sin,
  cos: Math.cos,
  square: (v) => v * v,
};

describePublicApi('@tenzo/tensor methods', [
  ...binary.map((m) =>
    apiCase({
      name: `Tensor.${m}`,
      args: fc.tuple(base, other),
      call: (mk, o) => {
        const a = mk();
        const b = arg(o);
        return [a, b, (a[m] as (x: unknown) => T.Tensor)(b)] as const;
      },
      // the elementwise value over the broadcast shape (float32: rounded, overflowing to ±∞ as IEEE does)
      ok: (r) => {
        const [a, b, y] = r as [T.Tensor, unknown, T.Tensor];
        return elementwiseOk(a, b, y, ref[m]);
      },
      runs: 60,
    }),
  ),
  ...Object.entries(unary).map(([m, f]) =>
    apiCase({
      name: `Tensor.${m}`,
      args: fc.tuple(base, fc.oneof(fc.constant(undefined), junk)),
      call: (mk, extra) => {
        const a = mk();
        return [a, (a[m as 'neg'] as (x?: unknown) => T.Tensor)(extra)] as const;
      },
      ok: (r) => {
        const [a, y] = r as [T.Tensor, T.Tensor];
        return sameShape(y, a.shape) && close(val(y), val(a).map(f), 1e-6);
      },
      runs: 30,
    }),
  ),
  apiCase({
    name: 'Tensor.log/sqrt/reciprocal',
    args: fc.tuple(base, fc.constantFrom('log', 'sqrt', 'reciprocal')),
    call: (mk, m) => {
      const a = mk();
      return [a, m, a[m as 'log']()] as const;
    },
    // outside the domain the value is NaN or ±∞ as in Math (the tensor's value, not an error)
    ok: (r) => {
      const [a, m, y] = r as [T.Tensor, string, T.Tensor];
      const f = m === 'log' ? Math.log : m === 'sqrt' ? Math.sqrt : (v: number) => 1 / v;
      const want = val(a).map(f);
      return (
        sameShape(y, a.shape) &&
        want.every((w, i) =>
          Number.isFinite(w)
            ? close([val(y)[i]!], [w])
            : Object.is(w, val(y)[i]) || (Number.isNaN(w) && Number.isNaN(val(y)[i])),
        )
      );
    },
    runs: 40,
  }),
  apiCase({
    name: 'Tensor.clamp',
    args: fc.tuple(base, anyNumber, anyNumber),
    call: (mk, lo, hi) => {
      const a = mk();
      return [a, a.clamp(lo as number, hi as number)] as const;
    },
    ok: (r, [, lo, hi]) => {
      const [a, y] = r as [T.Tensor, T.Tensor];
      const l = lo === undefined ? -Infinity : (lo as number);
      const h = hi === undefined ? Infinity : (hi as number);
      return (
        l <= h &&
        sameShape(y, a.shape) &&
        close(
          val(y),
          val(a).map((v) => Math.min(h, Math.max(l, v))),
        )
      );
    },
    runs: 80,
  }),
  ...(['sum', 'mean', 'max', 'min', 'logsumexp'] as const).map((m) =>
    apiCase({
      name: `Tensor.${m}`,
      args: fc.tuple(
        base,
        fc.oneof(junk, fc.record({ axis, keepDims: fc.oneof(junk, fc.boolean()) }, { requiredKeys: [] })),
      ),
      call: (mk, o) => {
        const a = mk();
        return [a, a[m](o as never)] as const;
      },
      // over all axes (no axis given): the direct reduction of the values
      ok: (r, [, o]) => {
        const [a, y] = r as [T.Tensor, T.Tensor];
        const v = val(a);
        const all =
          o === undefined ||
          (o !== null && typeof o === 'object' && (o as { axis?: unknown }).axis === undefined);
        if (!all) return y.size <= a.size && val(y).every(Number.isFinite);
        const want =
          m === 'sum'
            ? v.reduce((s, t) => s + t, 0)
            : m === 'mean'
              ? v.reduce((s, t) => s + t, 0) / v.length
              : m === 'max'
                ? Math.max(...v)
                : m === 'min'
                  ? Math.min(...v)
                  : Math.log(v.reduce((s, t) => s + Math.exp(t), 0));
        return y.size === 1 && close(val(y), [want]);
      },
      runs: 50,
    }),
  ),
  ...(['softmax', 'logSoftmax'] as const).map((m) =>
    apiCase({
      name: `Tensor.${m}`,
      args: fc.tuple(base, fc.oneof(fc.constant(undefined), axis)),
      call: (mk, ax) => {
        const a = mk();
        return [a, a[m](ax as number)] as const;
      },
      // along the last axis (the default): rows of probabilities summing to 1
      ok: (r, [, ax]) => {
        const [a, y] = r as [T.Tensor, T.Tensor];
        if (!sameShape(y, a.shape)) return false;
        const p = m === 'softmax' ? y : y.exp();
        const last = a.shape.length === 0 ? 1 : a.shape[a.shape.length - 1]!;
        if (ax !== undefined && ax !== -1 && ax !== a.shape.length - 1)
          return val(p).every((v) => v >= 0 && v <= 1);
        const v = val(p);
        for (let i = 0; i < v.length; i += last)
          if (Math.abs(v.slice(i, i + last).reduce((s, t) => s + t, 0) - 1) > 1e-6) return false;
        return true;
      },
      runs: 50,
    }),
  ),
  ...(['argmax', 'argmin'] as const).map((m) =>
    apiCase({
      name: `Tensor.${m}`,
      args: fc.tuple(base, fc.oneof(fc.constant(undefined), axis)),
      call: (mk, ax) => {
        const a = mk();
        return [a, a[m](ax as number)] as const;
      },
      // no axis: along the last one — each index points at its row's extreme value
      ok: (r, [, ax]) => {
        const [a, y] = r as [T.Tensor, T.Tensor];
        if (ax !== undefined || a.ndim === 0) return val(y).every((i) => Number.isInteger(i) && i >= 0);
        const last = a.shape[a.ndim - 1]!;
        const v = val(a);
        return val(y).every((idx, row) => {
          const seg = v.slice(row * last, (row + 1) * last);
          return seg[idx] === (m === 'argmax' ? Math.max(...seg) : Math.min(...seg));
        });
      },
      runs: 40,
    }),
  ),
  apiCase({
    name: 'Tensor.reshape',
    args: fc.tuple(base, shape),
    call: (mk, s) => {
      const a = mk();
      return [a, a.reshape(s as number[])] as const;
    },
    ok: (r) => {
      const [a, y] = r as [T.Tensor, T.Tensor];
      return y.size === a.size && close(val(y), val(a), 0);
    },
    runs: 80,
  }),
  apiCase({
    name: 'Tensor.transpose/permute',
    args: fc.tuple(
      base,
      axis,
      fc.oneof(axis, fc.constant([1, 0]), fc.constant([0, 0]), fc.constant([2, 0, 1])),
    ),
    call: (mk, a0, p) => {
      const a = mk();
      const t = Array.isArray(p) ? a.permute(p as number[]) : a.transpose(a0 as number, p as number);
      return [a, t] as const;
    },
    // a 2-D transpose maps (i, j) to (j, i); every reordering keeps the values
    ok: (r) => {
      const [a, y] = r as [T.Tensor, T.Tensor];
      if (y.size !== a.size) return false;
      if (a.ndim === 2 && y.ndim === 2 && y.shape[0] === a.shape[1] && y.shape[0] !== a.shape[0])
        return close(val(y.transpose()), val(a), 0);
      return close(
        [...val(y)].sort((p, q) => p - q),
        [...val(a)].sort((p, q) => p - q),
        0,
      );
    },
    runs: 80,
  }),
  apiCase({
    name: 'Tensor.matmul',
    args: fc.tuple(
      base,
      other,
      fc.oneof(
        fc.constant(undefined),
        junk,
        fc.record({ transposeA: fc.boolean(), transposeB: fc.boolean() }, { requiredKeys: [] }),
      ),
    ),
    call: (mk, o, opts) => {
      const a = mk();
      const b = arg(o);
      return [a, b, opts, a.matmul(b as T.Tensor, opts as never)] as const;
    },
    // the 2-D product entry by entry
    ok: (r) => {
      const [a0, b0, opts, y] = r as [
        T.Tensor,
        T.Tensor,
        { transposeA?: boolean; transposeB?: boolean } | undefined,
        T.Tensor,
      ];
      if (a0.ndim !== 2 || b0.ndim !== 2) return val(y).every(Number.isFinite);
      const a = opts?.transposeA ? a0.transpose() : a0;
      const b = opts?.transposeB ? b0.transpose() : b0;
      const [m, k] = a.shape as [number, number];
      const n = b.shape[1]!;
      const av = val(a);
      const bv = val(b);
      const want = Array.from({ length: m * n }, (_, i) => {
        let s = 0;
        for (let t = 0; t < k; t++) s += av[Math.floor(i / n) * k + t]! * bv[t * n + (i % n)]!;
        return s;
      });
      return sameShape(y, [m, n]) && close(val(y), want);
    },
    runs: 120,
  }),
  apiCase({
    name: 'Tensor.slice',
    args: fc.tuple(
      base,
      fc.oneof(junk, fc.constantFrom([0, 0], [1, 1], [0], [-1, 0], [0, 5], [0.5, 0])),
      fc.oneof(fc.constant(undefined), junk, fc.constantFrom([1, 2], [-1, -1], [5, 1], [1])),
    ),
    call: (mk, b, s) => {
      const a = mk();
      return [a, b, a.slice(b as number[], s as number[])] as const;
    },
    // the values are a's at the offset rows and columns
    ok: (r) => {
      const [a, b, y] = r as [T.Tensor, number[], T.Tensor];
      if (a.ndim !== 2 || y.ndim !== 2) return y.size <= a.size;
      const av = a.toArray() as number[][];
      const yv = y.toArray() as number[][];
      // missing trailing begins are 0
      return yv.every((row, i) => row.every((v, j) => v === av[i + (b[0] ?? 0)]![j + (b[1] ?? 0)]));
    },
    runs: 80,
  }),
  apiCase({
    name: 'Tensor.gather',
    args: fc.tuple(
      base,
      fc.oneof(junk, anyNumbers, fc.constant([0, 1]), fc.constant(Int32Array.of(1, 0)), fc.constant([5])),
      fc.oneof(fc.constant(undefined), axis),
    ),
    call: (mk, idx, ax) => {
      const a = mk();
      return [a, idx, ax, a.gather(idx as number[], ax as number)] as const;
    },
    // along axis 0 (default): the indexed rows
    ok: (r) => {
      const [a, idx, ax, y] = r as [T.Tensor, ArrayLike<number>, unknown, T.Tensor];
      if (ax !== undefined && ax !== 0) return y.ndim === a.ndim;
      const rows = typeof idx === 'number' ? [idx] : Array.from(idx);
      const av = a.ndim === 0 ? [] : (a.toArray() as unknown[]);
      return JSON.stringify(y.toArray()) === JSON.stringify(rows.map((i) => av[i]));
    },
    runs: 80,
  }),
  apiCase({
    name: 'Tensor.split',
    args: fc.tuple(
      base,
      fc.oneof(junk, fc.constantFrom(1, 2, 0, -1, [1, 1], [1, 2], [2, 2])),
      fc.oneof(fc.constant(undefined), axis),
    ),
    call: (mk, s, ax) => {
      const a = mk();
      return [a, ax, a.split(s as number, ax as number)] as const;
    },
    // the parts, concatenated back, are the tensor
    ok: (r) => {
      const [a, ax, parts] = r as [T.Tensor, number | undefined, T.Tensor[]];
      return sameShape(T.concat(parts, ax ?? 0), a.shape) && close(val(T.concat(parts, ax ?? 0)), val(a), 0);
    },
    runs: 80,
  }),
  apiCase({
    name: 'Tensor.cast',
    args: fc.tuple(base, fc.oneof(junk, fc.constantFrom('float32', 'float64', 'int32', 'bool'))),
    call: (mk, d) => {
      const a = mk();
      return [a, a.cast(d as T.DType)] as const;
    },
    ok: (r, [, d]) => {
      const [a, y] = r as [T.Tensor, T.Tensor];
      return y.dtype === d && sameShape(y, a.shape) && close(val(y), val(a), 1e-6);
    },
    runs: 50,
  }),
  apiCase({
    name: 'Tensor.backward',
    args: fc.tuple(base, fc.oneof(fc.constant(undefined), other), fc.boolean()),
    call: (mk, g, twice) => {
      const a = mk().setRequiresGrad();
      const y = a.mul(a).sum();
      y.backward(arg(g) as T.Tensor);
      if (twice) y.backward(arg(g) as T.Tensor);
      return [a, a.grad] as const;
    },
    // d/da Σ a² = 2a, once (a second backward on the same graph is a StateError)
    ok: (r, [, , twice]) => {
      const [a, grad] = r as [T.Tensor, T.Tensor];
      return (
        !twice &&
        grad !== null &&
        close(
          val(grad),
          val(a).map((v) => 2 * v),
        )
      );
    },
    runs: 80,
  }),
]);
