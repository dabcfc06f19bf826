import {
  ArgumentError,
  checkInt,
  checkNumbers,
  describeValue,
  NonFiniteError,
  OutOfRangeError,
  ShapeError,
} from '@tenzo/core';

/**
 * Grid sizes n_0 … n_{d−1}: a non-empty array of positive integers; with `dense`, their product
 * must also fit one Float64Array (a full tensor; a TT or HT of the shape may be far larger).
 */
export function checkShape(op: string, shape: unknown, dense = false): number[] {
  const s = Array.from(checkNumbers(`${op}: shape`, shape, { minLength: 1 }));
  let total = 1;
  s.forEach((n, k) => {
    total *= checkInt(`${op}: shape[${k}]`, n, { positive: true });
  });
  if (dense && total > 2 ** 31 - 1)
    throw new ShapeError(
      `${op}: shape [${s.join(', ')}] has ${total} entries, more than a Float64Array holds here`,
    );
  return s;
}

/** A full tensor of `shape`: a finite Float64Array of Π n_k entries (row-major). */
export function checkFull(op: string, full: unknown, shape: unknown): number[] {
  const s = checkShape(op, shape, true);
  if (!(full instanceof Float64Array))
    throw new ArgumentError(`${op}: full expected a Float64Array, got ${describeValue(full)}`);
  const total = s.reduce((a, b) => a * b, 1);
  if (full.length !== total)
    throw new ShapeError(`${op}: full must have ${total} entries, got ${full.length}`);
  for (let i = 0; i < full.length; i++) {
    if (!Number.isFinite(full[i]))
      throw new NonFiniteError(`${op}: full expected finite entries, got ${full[i]} at flat index ${i}`);
  }
  return s;
}

/** `count` multi-indices (points: count×d row-major, an Int32Array) inside the grid `shape`. */
export function checkPoints(op: string, points: unknown, count: unknown, shape: ArrayLike<number>): number {
  if (!(points instanceof Int32Array))
    throw new ArgumentError(`${op}: points expected an Int32Array (count×d), got ${describeValue(points)}`);
  const d = shape.length;
  const c = checkInt(`${op}: count`, count);
  if (points.length < c * d)
    throw new ShapeError(`${op}: points must hold count·d = ${c * d} entries, got ${points.length}`);
  for (let i = 0; i < c * d; i++) {
    if (points[i]! < 0 || points[i]! >= shape[i % d]!)
      throw new OutOfRangeError(
        `${op}: points[${Math.floor(i / d)}][${i % d}] must be in [0, ${shape[i % d]! - 1}], got ${points[i]}`,
      );
  }
  return c;
}

/** A record with the given fields (a decomposition passed in by a caller). */
export function checkFields(op: string, name: string, value: unknown, fields: readonly string[]): void {
  if (typeof value !== 'object' || value === null || fields.some((f) => !(f in value)))
    throw new ArgumentError(`${op}: ${name} expected { ${fields.join(', ')} }, got ${describeValue(value)}`);
}
