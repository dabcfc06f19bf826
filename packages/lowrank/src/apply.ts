import { formatShape, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix, matmul, matmulNT } from '@tenzo/linalg';
import { checkLowRank, type LowRank } from './lowRank.js';

const unchecked = { orthoTol: Number.POSITIVE_INFINITY };

/**
 * Forward product on a batch of rows, the convention of `PhysicalDevice.query` and of nn
 * layers: X: B×d_in (row b is x_b) → B×d_out with row b = Y·x_b, i.e. X·V·Sᵀ·Uᵀ.
 * Costs O(B·(d_in + d_out)·r) instead of O(B·d_in·d_out).
 */
export function apply(y: LowRank, x: Matrix): Matrix {
  checkLowRank('apply', y, unchecked);
  checkMatrix('apply', 'x', x);
  if (x.cols !== y.V.rows) {
    throw new ShapeError(
      `apply: x must be B×d_in with d_in = ${y.V.rows}, got ${formatShape([x.rows, x.cols])}`,
    );
  }
  return matmulNT(matmulNT(matmul(x, y.V), y.S), y.U);
}

/**
 * Transposed product on a batch of rows, the backward pass x̄ = Yᵀ·ȳ (METHODS.md §1.3):
 * G: B×d_out (row b is ȳ_b) → B×d_in with row b = Yᵀ·ȳ_b, i.e. G·U·S·Vᵀ.
 */
export function applyTranspose(y: LowRank, g: Matrix): Matrix {
  checkLowRank('applyTranspose', y, unchecked);
  checkMatrix('applyTranspose', 'g', g);
  if (g.cols !== y.U.rows) {
    throw new ShapeError(
      `applyTranspose: g must be B×d_out with d_out = ${y.U.rows}, got ${formatShape([g.rows, g.cols])}`,
    );
  }
  return matmulNT(matmul(matmul(g, y.U), y.S), y.V);
}
