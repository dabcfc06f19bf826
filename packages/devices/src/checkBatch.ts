import { checkAllFinite, ShapeError } from '@tenzo/core';

/** Validates a row-major batch of `width`-vectors and returns B. */
export function batchSize(name: string, X: Float64Array, width: number): number {
  if (!(X instanceof Float64Array) || X.length === 0 || X.length % width !== 0) {
    throw new ShapeError(`${name}: expected a Float64Array of B×${width} (B ≥ 1), got length ${X?.length}`);
  }
  checkAllFinite(name, X);
  return X.length / width;
}

/** Validates X (B×dIn) and Ybar (B×dOut) with the same B. */
export function vjpBatch(X: Float64Array, Ybar: Float64Array, dIn: number, dOut: number): number {
  const b = batchSize('X', X, dIn);
  const b2 = batchSize('Ybar', Ybar, dOut);
  if (b !== b2) throw new ShapeError(`paramVjp: X has ${b} rows but Ybar has ${b2}`);
  return b;
}
