import { checkInt } from '@tenzo/core';
import { MAX_ENTRIES } from './checks.js';

/**
 * Standard test problems for ZO methods, as pointwise objectives with their gradients (for
 * measuring estimator accuracy) and minima.
 */
export interface TestProblem {
  readonly name: string;
  readonly dim: number;
  /** The objective at x (length dim). */
  f(x: Float64Array): number;
  /** The exact gradient at x (length dim). */
  grad(x: Float64Array): Float64Array;
  readonly fMin: number;
}

/**
 * f(x) = ½ Σ_j h_j x_j², h_j log-spaced in [1, κ] (condition number κ); minimum 0 at 0.
 */
export function quadratic(dim: number, kappa = 10): TestProblem {
  checkInt('dim', dim, { positive: true, max: MAX_ENTRIES });
  const h = new Float64Array(dim);
  for (let j = 0; j < dim; j++) h[j] = dim === 1 ? 1 : kappa ** (j / (dim - 1));
  return {
    name: `quadratic d=${dim} κ=${kappa}`,
    dim,
    f: (x) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += h[j]! * x[j]! * x[j]!;
      return s / 2;
    },
    grad: (x) => x.map((v, j) => h[j]! * v),
    fMin: 0,
  };
}

/** Rosenbrock: Σ_j 100 (x_{j+1} − x_j²)² + (1 − x_j)²; non-convex, minimum 0 at (1, …, 1). */
export function rosenbrock(dim = 2): TestProblem {
  checkInt('dim', dim, { min: 2, max: MAX_ENTRIES });
  return {
    name: `rosenbrock d=${dim}`,
    dim,
    f: (x) => {
      let s = 0;
      for (let j = 0; j + 1 < dim; j++) s += 100 * (x[j + 1]! - x[j]! ** 2) ** 2 + (1 - x[j]!) ** 2;
      return s;
    },
    grad: (x) => {
      const g = new Float64Array(dim);
      for (let j = 0; j + 1 < dim; j++) {
        const t = x[j + 1]! - x[j]! ** 2;
        g[j]! += -400 * x[j]! * t - 2 * (1 - x[j]!);
        g[j + 1]! += 200 * t;
      }
      return g;
    },
    fMin: 0,
  };
}
