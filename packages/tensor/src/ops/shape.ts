import { ArgumentError, describeValue, formatShape, OutOfRangeError, ShapeError } from '@tenzo/core';
import { isGradEnabled } from '../autograd/gradMode.js';
import { attachNode, runKernel } from '../engine.js';
import { broadcastShapes, checkShape, normalizeAxis, numberList, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

/**
 * Same data, new shape (a view: no copy). One dimension may be -1 and is inferred.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', 'x', x);
  if (!Array.isArray(shape)) throw new ShapeError(`reshape: shape expected an array, got ${String(shape)}`);
  const target = [...shape];
  const infer = target.indexOf(-1);
  if (infer !== -1) {
    if (target.indexOf(-1, infer + 1) !== -1)
      throw new ShapeError(`reshape: only one -1 allowed, got ${formatShape(shape)}`);
    const rest = sizeOf(target.filter((_, i) => i !== infer));
    if (rest === 0 || x.size % rest !== 0) {
      throw new ShapeError(
        `reshape: cannot infer -1 in ${formatShape(shape)} for ${x.size} elements (from ${formatShape(x.shape)})`,
      );
    }
    target[infer] = x.size / rest;
  }
  checkShape('reshape: shape', target);
  if (sizeOf(target) !== x.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`,
    );
  }
  if (shapesEqual(target, x.shape)) return x;
  const out = new Tensor(x.data, target, x.dtype);
  if (isGradEnabled() && x.requiresGrad) {
    const from = x.shape;
    attachNode(out, { name: 'Reshape', inputs: [x], backward: (dy) => [reshape(dy, from)] });
  }
  return out;
}

/**
 * x with axes startAxis..endAxis (inclusive, negative from the end) merged into one; a scalar becomes
 * shape [1].
 */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  checkTensor('flatten', 'x', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startAxis, x.ndim);
  const e = normalizeAxis('flatten', endAxis, x.ndim);
  if (e < s) throw new OutOfRangeError(`flatten: endAxis (${endAxis}) expected >= startAxis (${startAxis})`);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/** Inserts a size-1 dimension at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor('unsqueeze', 'x', x);
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes size-1 dimensions (all, or the given ones). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  checkTensor('squeeze', 'x', x);
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const axes = numberList('squeeze', 'axis', axis).map((a) => normalizeAxis('squeeze', a, x.ndim));
  for (const a of axes) {
    if (x.shape[a] !== 1)
      throw new ShapeError(
        `squeeze: axis ${a} expected size 1, got ${x.shape[a]} in ${formatShape(x.shape)}`,
      );
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Reorders dimensions: out.shape[i] = x.shape[perm[i]]; default reverses them. */
export function permute(x: Tensor, perm?: readonly number[]): Tensor {
  checkTensor('permute', 'x', x);
  const p = perm
    ? numberList('permute', 'perm', perm).map((a) => normalizeAxis('permute', a, x.ndim))
    : x.shape.map((_, i) => x.ndim - 1 - i);
  if (p.length !== x.ndim || new Set(p).size !== p.length) {
    throw new ArgumentError(
      `permute: perm expected a permutation of 0..${x.ndim - 1}, got [${(perm ?? []).join(', ')}]`,
    );
  }
  if (p.every((v, i) => v === i)) return x;
  return runKernel('Transpose', [x], { perm: p });
}

/** Swaps two axes (default: the last two, i.e. the matrix transpose). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  checkTensor('transpose', 'x', x);
  if (x.ndim < 2) return x;
  const a = normalizeAxis('transpose', axis0, x.ndim);
  const b = normalizeAxis('transpose', axis1, x.ndim);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/**
 * x broadcast to `shape` by numpy's rules (size-1 and missing leading axes repeat).
 * @throws ShapeError when x's shape does not broadcast to it
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('broadcastTo', 'x', x);
  const target = checkShape('broadcastTo: shape', shape);
  const b = broadcastShapes('broadcastTo', x.shape, target);
  if (!shapesEqual(b, target)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(target)}`);
  }
  if (shapesEqual(x.shape, target)) return x;
  return runKernel('BroadcastTo', [x], { shape: target });
}

/**
 * x[begin_0 : begin_0 + size_0, …]; `size` −1 means "to the end". Missing trailing axes are taken whole.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  checkTensor('slice', 'x', x);
  if (!Array.isArray(begin))
    throw new ArgumentError(`slice: begin expected an array of start indices, got ${describeValue(begin)}`);
  if (size !== undefined && !Array.isArray(size))
    throw new ArgumentError(`slice: size expected an array of lengths, got ${describeValue(size)}`);
  if (begin.length > x.ndim)
    throw new ShapeError(`slice: begin has ${begin.length} entries for a ${x.ndim}-D tensor`);
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d: number, i: number) => {
    const want = size?.[i] ?? -1;
    return want === -1 ? d - b[i]! : want;
  });
  for (let i = 0; i < x.ndim; i++) {
    if (
      !Number.isInteger(b[i]) ||
      !Number.isInteger(s[i]) ||
      b[i]! < 0 ||
      s[i]! < 0 ||
      b[i]! + s[i]! > x.shape[i]!
    ) {
      throw new OutOfRangeError(
        `slice: axis ${i} range [${b[i]}, ${b[i]! + s[i]!}) expected inside [0, ${x.shape[i]}] of shape ${formatShape(x.shape)}`,
      );
    }
  }
  if (shapesEqual(s, x.shape)) return x;
  return runKernel('Slice', [x], { begin: b, size: s });
}

/** Joins tensors along an existing axis. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new ArgumentError(`concat: expected a non-empty array of tensors, got ${describeValue(xs)}`);
  xs.forEach((t, i) => {
    checkTensor('concat', `tensors[${i}]`, t);
  });
  const first = xs[0]!;
  const a = normalizeAxis('concat', axis, first.ndim);
  for (const t of xs) {
    if (t.dtype !== first.dtype) throw new ShapeError(`concat: dtypes differ: ${first.dtype} and ${t.dtype}`);
    if (t.ndim !== first.ndim || t.shape.some((d: number, i: number) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${a}`,
      );
    }
  }
  if (xs.length === 1) return first;
  return runKernel('Concat', xs, { axis: a });
}

/** Joins tensors of equal shape along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new ArgumentError(`stack: expected a non-empty array of tensors, got ${describeValue(xs)}`);
  const first = checkTensor('stack', 'tensors[0]', xs[0]);
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  xs.forEach((t, i) => {
    checkTensor('stack', `tensors[${i}]`, t);
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: tensors[${i}] has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)}`,
      );
    }
  });
  return concat(
    xs.map((t) => unsqueeze(t, a)),
    a,
  );
}

/** Splits along `axis` into pieces of the given sizes (or `n` equal pieces). */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  checkTensor('split', 'x', x);
  const a = normalizeAxis('split', axis, x.ndim);
  const len = x.shape[a]!;
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0 || len % sizes !== 0) {
      throw new OutOfRangeError(`split: sections expected a positive divisor of ${len}, got ${sizes}`);
    }
    parts = new Array<number>(sizes).fill(len / sizes);
  } else {
    parts = numberList('split', 'sizes', sizes);
    if (parts.some((v) => !Number.isInteger(v) || v < 0))
      throw new OutOfRangeError(`split: sizes expected non-negative integers, got ${describeValue(sizes)}`);
  }
  if (parts.reduce((s, v) => s + v, 0) !== len) {
    throw new ShapeError(
      `split: sizes [${parts.join(', ')}] expected to sum to ${len} (axis ${a} of ${formatShape(x.shape)})`,
    );
  }
  let start = 0;
  return parts.map((p) => {
    const begin = x.shape.map((_, i) => (i === a ? start : 0));
    const size = x.shape.map((d, i) => (i === a ? p : d));
    start += p;
    return slice(x, begin, size);
  });
}

/** Constant padding; paddings[i] = [before, after] for axis i (missing axes: no padding). */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  checkTensor('pad', 'x', x);
  if (!Array.isArray(paddings) || paddings.some((p) => !Array.isArray(p) || p.length !== 2))
    throw new ArgumentError(
      `pad: paddings expected an array of [before, after] pairs, got ${describeValue(paddings)}`,
    );
  if (typeof value !== 'number')
    throw new ArgumentError(`pad: value expected a number, got ${describeValue(value)}`);
  if (paddings.length > x.ndim)
    throw new ShapeError(`pad: ${paddings.length} paddings for a ${x.ndim}-D tensor`);
  const p = x.shape.map((_, i) => paddings[i] ?? ([0, 0] as const));
  for (const [i, [lo, hi]] of p.entries()) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) {
      throw new OutOfRangeError(`pad: paddings[${i}] expected non-negative integers, got [${lo}, ${hi}]`);
    }
  }
  return runKernel('Pad', [x], { paddings: p, value });
}
