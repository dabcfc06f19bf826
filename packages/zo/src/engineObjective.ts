import { checkInt, ShapeError } from '@tenzo/core';
import type { EvaluationEngine } from '@tenzo/engines';
import type { BatchObjective } from './objective.js';

/**
 * Any evaluation engine of `@tenzo/engines` (in-process, worker threads, BullMQ workers on other
 * machines) as a `BatchObjective` of points of dimension `dim`: one `evaluate` call per batch,
 * values in point order.
 */
export function engineObjective(engine: EvaluationEngine, dim: number): BatchObjective {
  checkInt('engineObjective: dim', dim, { positive: true });
  return async (points, count) => {
    checkInt('engineObjective: count', count);
    if (!(points instanceof Float64Array) || points.length !== count * dim)
      throw new ShapeError(
        `engineObjective: expected ${count}×${dim} points in a Float64Array, got ${points?.constructor?.name}(${points?.length})`,
      );
    return engine.evaluate(points, count, dim);
  };
}
