import { ArgumentError, describeValue, formatShape, OutOfRangeError, ShapeError } from '@tenzo/core';

/** A tensor's shape: the size of each axis, outermost first ([] for a scalar). */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar, 0 if any dimension is 0). */
export function sizeOf(shape: Shape): number {
  if (!Array.isArray(shape))
    throw new ShapeError(`sizeOf: shape expected an array, got ${describeValue(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(`sizeOf: shape expected non-negative integers, got ${formatShape(shape)}`);
    n *= d;
  }
  return n;
}

/** Row-major (C order) strides in elements. */
export function stridesOf(shape: Shape): number[] {
  sizeOf(shape);
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function checkShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${name}: expected an array of non-negative integers, got ${describeValue(shape)}`);
  }
  // 2^31 − 1: MAX_TENSOR_SIZE of dtype.ts (not imported: dtype.ts and shape.ts stay independent)
  if (sizeOf(shape) > 2 ** 31 - 1) {
    throw new OutOfRangeError(
      `${name}: shape ${formatShape(shape)} has ${sizeOf(shape)} elements, more than a tensor can hold (2^31 − 1)`,
    );
  }
  return [...shape];
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** numpy broadcasting: align trailing dimensions; each pair must be equal or contain a 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  checkShape(`${op}: shape a`, a);
  checkShape(`${op}: shape b`, b);
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative axis against `ndim`. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= Math.max(ndim, 1)) {
    const Err = typeof axis === 'number' ? OutOfRangeError : ArgumentError;
    throw new Err(
      `${op}: axis expected an integer in [${-ndim}, ${Math.max(ndim, 1) - 1}], got ${describeValue(axis)}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises `axis` (undefined = all axes) into a sorted list of distinct non-negative axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = numberList(op, 'axis', axis);
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length)
    throw new ArgumentError(`${op}: axis expected distinct axes, got [${list.join(', ')}]`);
  return out.sort((x, y) => x - y);
}

/** Shape after reducing `axes`, keeping them as size-1 dimensions or dropping them. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

/** A number or an array of numbers (axes, sizes) as a list; anything else is an ArgumentError. */
export function numberList(op: string, name: string, value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number'))
    throw new ArgumentError(
      `${op}: ${name} expected a number or an array of numbers, got ${describeValue(value)}`,
    );
  return [...value];
}
