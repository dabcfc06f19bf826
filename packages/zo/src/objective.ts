import { BudgetError, checkInt, describeValue, NonFiniteError, ShapeError } from '@tenzo/core';
import { checkFunction } from './checks.js';

/** A scalar black box queried one point at a time (sync or async). */
export type Objective = (x: Float64Array) => number | Promise<number>;

/**
 * A batched black box: `points` holds `count` row-major points of dimension d; resolves to the
 * `count` values. This is the form estimators and optimizers call (one call per estimate), so
 * hardware, remote devices and worker pools can evaluate a whole batch at once.
 */
export type BatchObjective = (points: Float64Array, count: number) => Float64Array | Promise<Float64Array>;

/**
 * Lifts a pointwise objective to a batched one, running at most `concurrency` evaluations at a
 * time (default: all points of a batch concurrently).
 */
export function batchObjective(
  f: Objective,
  dim: number,
  concurrency = Number.POSITIVE_INFINITY,
): BatchObjective {
  checkFunction('batchObjective', 'f', f);
  checkInt('dim', dim, { positive: true });
  const limit =
    concurrency === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : checkInt('concurrency', concurrency, { positive: true });
  return async (points, count) => {
    if (points.length !== count * dim)
      throw new ShapeError(`batchObjective: expected ${count}×${dim} points, got length ${points.length}`);
    const out = new Float64Array(count);
    const chunk = Math.min(count, limit);
    for (let start = 0; start < count; start += chunk) {
      const end = Math.min(count, start + chunk);
      const vals = await Promise.all(
        Array.from({ length: end - start }, (_, k) =>
          f(points.slice((start + k) * dim, (start + k + 1) * dim)),
        ),
      );
      for (let k = 0; k < vals.length; k++) {
        // a NaN or a non-number would poison every estimate built from it without a trace
        const v = vals[k];
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new NonFiniteError(
            `batchObjective: f returned ${describeValue(v)} at point ${start + k}; expected a finite number`,
          );
        out[start + k] = v;
      }
    }
    return out;
  };
}

/** A batched objective with query accounting and an optional hard evaluation budget. */
export interface CountedObjective extends BatchObjective {
  /** points evaluated so far */
  readonly evaluations: number;
  /** batched calls made so far */
  readonly calls: number;
}

/**
 * Wraps a batched objective with counters; a call that would exceed `maxEvaluations` throws
 * `BudgetError` before anything is evaluated.
 */
export function countedObjective(
  f: BatchObjective,
  maxEvaluations = Number.POSITIVE_INFINITY,
): CountedObjective {
  checkFunction('countedObjective', 'f', f);
  if (maxEvaluations !== Number.POSITIVE_INFINITY)
    checkInt('countedObjective: maxEvaluations', maxEvaluations);
  let evaluations = 0;
  let calls = 0;
  const g = async (points: Float64Array, count: number) => {
    if (evaluations + count > maxEvaluations) {
      throw new BudgetError(
        `evaluation budget ${maxEvaluations} exhausted (${evaluations} used, ${count} requested)`,
      );
    }
    evaluations += count;
    calls++;
    const v = await f(points, count);
    if (v.length !== count) throw new ShapeError(`objective returned ${v.length} values for ${count} points`);
    return v;
  };
  Object.defineProperty(g, 'evaluations', { get: () => evaluations });
  Object.defineProperty(g, 'calls', { get: () => calls });
  return g as CountedObjective;
}
