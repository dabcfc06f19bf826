import { checkInt, checkObject } from '@tenzo/core';
import { type FunctionModule, threadEngine } from '@tenzo/engines/node';
import { engineObjective } from '../engineObjective.js';
import type { BatchObjective } from '../objective.js';

export interface WorkerObjectiveOptions extends FunctionModule {
  /** dimension of a point */
  readonly dim: number;
  /** worker threads (default: the machine's available parallelism) */
  readonly threads?: number;
  /** points per task (default: a batch split into 4 tasks per thread, at least 1 point each) */
  readonly chunk?: number;
}

/** A batched objective evaluated on worker threads; `close()` ends them. */
export interface WorkerObjective extends BatchObjective {
  readonly threads: number;
  /** Ends the worker threads; the objective cannot be used after. */
  close(): Promise<void>;
}

/**
 * A black box evaluated on every core (issue #19's pool for `@tenzo/zo`'s batched objectives):
 * `@tenzo/engines`' `threadEngine` as a `BatchObjective` — each batch cut into slices of
 * consecutive points, run on worker threads that import `module` and call its export, every value
 * at its point's index, so the result is the same for any thread count and any scheduling. Use it
 * wherever a `BatchObjective` goes (`minimizeBatch`, the estimators, `countedObjective`); for
 * other engines (BullMQ workers on other machines) see `engineObjective`.
 */
export function workerObjective(opts: WorkerObjectiveOptions): WorkerObjective {
  checkObject('workerObjective: options', opts);
  const dim = checkInt('workerObjective: dim', opts.dim, { positive: true });
  const engine = threadEngine(opts);
  return Object.assign(engineObjective(engine, dim), {
    threads: engine.threads,
    close: () => engine.close(),
  });
}
