import { ArgumentError, describeValue } from '@tenzo/core';
import { checkBatch, checkValues, type EngineBatchFunction, type EvaluationEngine } from './engine.js';

/**
 * The engine of one process: every batch is one call of `fn` in this thread. What `BlackBox` does
 * with a plain function; here so that code written against `EvaluationEngine` can run in-process.
 */
export function inProcessEngine(fn: EngineBatchFunction): EvaluationEngine {
  if (typeof fn !== 'function')
    throw new ArgumentError(`inProcessEngine: fn expected a function, got ${describeValue(fn)}`);
  return {
    name: 'in-process',
    async evaluate(points, count, dim) {
      checkBatch('inProcessEngine.evaluate', points, count, dim);
      // the function's own errors pass through unchanged, as they do when it is called directly
      return checkValues('inProcessEngine', await fn(points, count, dim), count);
    },
    close: async () => {},
  };
}
