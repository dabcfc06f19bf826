import { ArgumentError, checkInt, checkNumber, describeValue } from '@tenzo/core';
import type { BatchFunction } from './blackBox.js';

/**
 * Chebyshev (extrema) grid on [a, b] with n nodes: x_j = cos(π j/(n−1))·(b − a)/2 + (b + a)/2,
 * j = 0..n−1 — index 0 is b and index n−1 is a (teneva's convention, HTBB.md §6).
 */
export function chebyshevGrid(n: number, a: number, b: number): Float64Array {
  checkGrid('chebyshevGrid', n, a, b);
  const x = new Float64Array(n);
  if (n === 1) {
    x[0] = (a + b) / 2;
    return x;
  }
  for (let j = 0; j < n; j++) x[j] = (Math.cos((Math.PI * j) / (n - 1)) * (b - a)) / 2 + (b + a) / 2;
  return x;
}

/** Uniform grid on [a, b] with n nodes (both ends included): x_j = a + j·(b − a)/(n − 1). */
export function uniformGrid(n: number, a: number, b: number): Float64Array {
  checkGrid('uniformGrid', n, a, b);
  const x = new Float64Array(n);
  if (n === 1) {
    x[0] = (a + b) / 2;
    return x;
  }
  for (let j = 0; j < n; j++) x[j] = a + (j * (b - a)) / (n - 1);
  return x;
}

function checkGrid(op: string, n: number, a: number, b: number): void {
  checkInt(`${op}: n`, n, { positive: true });
  checkNumber(`${op}: a`, a);
  checkNumber(`${op}: b`, b);
  if (!(a < b)) throw new ArgumentError(`${op}: expected a < b, got a = ${a}, b = ${b}`);
}

/**
 * Turns a function of a point x ∈ ℝᵈ into a batched black box over grid indices: index i_k of
 * dimension k maps to grids[k][i_k]. `f` receives a reused buffer (copy it to keep it).
 */
export function gridFunction(f: (x: Float64Array) => number, grids: readonly Float64Array[]): BatchFunction {
  if (typeof f !== 'function')
    throw new ArgumentError(`gridFunction: f expected a function, got ${describeValue(f)}`);
  if (!Array.isArray(grids) || grids.some((g) => !(g instanceof Float64Array)))
    throw new ArgumentError(
      `gridFunction: grids expected an array of Float64Array, got ${describeValue(grids)}`,
    );
  if (grids.length === 0)
    throw new ArgumentError('gridFunction: grids must hold one grid per dimension, got none');
  const d = grids.length;
  const x = new Float64Array(d);
  return (points, count) => {
    const y = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < d; k++) x[k] = grids[k]![points[i * d + k]!]!;
      y[i] = f(x);
    }
    return y;
  };
}
