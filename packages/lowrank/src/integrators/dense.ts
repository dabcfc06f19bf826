import { formatShape, ShapeError } from '@tenzo/core';
import type { Matrix } from '@tenzo/linalg';

/** a += alpha·b in place; returns a. */
export function addInto(a: Matrix, b: Matrix, alpha = 1): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(
      `addInto: shapes must match, got ${formatShape([a.rows, a.cols])} and ${formatShape([b.rows, b.cols])}`,
    );
  }
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) x[i]! += alpha * y[i]!;
  return a;
}
