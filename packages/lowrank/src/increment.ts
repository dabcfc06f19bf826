import { ArgumentError, formatShape, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix, matmul, matmulTN } from '@tenzo/linalg';

/**
 * An increment ΔA = A(t₁) − A(t₀) given as an operator, for white-box users whose ΔA is too
 * large to form (column convention, like the integrators' algebra).
 */
export interface IncrementOperator {
  /** d_out */
  readonly rows: number;
  /** d_in */
  readonly cols: number;
  /** ΔA·X for X: d_in×k, returning d_out×k */
  times(x: Matrix): Matrix;
  /** ΔAᵀ·W for W: d_out×k, returning d_in×k */
  transposeTimes(w: Matrix): Matrix;
}

/** ΔA as a dense d_out×d_in matrix or as an operator. */
export type Increment = Matrix | IncrementOperator;

/** The two products an integrator needs, with shapes checked against the surrogate. */
export interface IncrementProducts {
  times(x: Matrix): Matrix;
  transposeTimes(w: Matrix): Matrix;
}

function isOperator(d: Increment): d is IncrementOperator {
  return typeof (d as Partial<IncrementOperator>).times === 'function';
}

/** Resolves an Increment into checked products for a d_out×d_in problem (`op` names the caller). */
export function incrementProducts(
  op: string,
  name: string,
  d: Increment,
  dOut: number,
  dIn: number,
): IncrementProducts {
  if (d === null || typeof d !== 'object') {
    throw new ArgumentError(`${op}: ${name} must be a Matrix or an IncrementOperator, got ${String(d)}`);
  }
  if (d.rows !== dOut || d.cols !== dIn) {
    throw new ShapeError(
      `${op}: ${name} must be d_out×d_in = ${formatShape([dOut, dIn])}, got ${formatShape([d.rows, d.cols])}`,
    );
  }
  if (!isOperator(d)) {
    const m = checkMatrix(op, name, d);
    return { times: (x) => matmul(m, x), transposeTimes: (w) => matmulTN(m, w) };
  }
  const checked = (what: string, out: Matrix, rows: number, cols: number): Matrix => {
    checkMatrix(op, `${name}.${what}(…)`, out);
    if (out.rows !== rows || out.cols !== cols) {
      throw new ShapeError(
        `${op}: ${name}.${what} must return ${formatShape([rows, cols])}, got ${formatShape([out.rows, out.cols])}`,
      );
    }
    return out;
  };
  return {
    times: (x) => checked('times', d.times(x), dOut, x.cols),
    transposeTimes: (w) => checked('transposeTimes', d.transposeTimes(w), dIn, w.cols),
  };
}
