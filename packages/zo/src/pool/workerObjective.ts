import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ArgumentError, checkInt, EvaluationError, ShapeError, TenzoError } from '@tenzo/core';
import { Piscina } from 'piscina';
import type { BatchObjective } from '../objective.js';

export interface WorkerObjectiveOptions {
  /** the ES module that defines the black box (a file path or URL); every worker imports it */
  readonly module: string | URL;
  /** the export to call (default 'default') */
  readonly export?: string;
  /**
   * 'pointwise' (default): the export is f(x: Float64Array) → number (or a promise of one);
   * 'batched': f(points: Float64Array, count) → ArrayLike<number> of the count values
   */
  readonly kind?: 'pointwise' | 'batched';
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
  close(): Promise<void>;
}

/**
 * A black box evaluated on every core (issue #19's pool for `@tenzo/zo`'s batched objectives):
 * each batch is cut into slices of consecutive points, the slices run on a piscina pool whose
 * workers import `module` and call its export, and every value lands at its point's index — so
 * the result is the same for any thread count and any scheduling. Use it wherever a
 * `BatchObjective` goes (`minimizeBatch`, the estimators, `countedObjective`).
 */
export function workerObjective(opts: WorkerObjectiveOptions): WorkerObjective {
  const dim = checkInt('workerObjective: dim', opts.dim, { positive: true });
  const threads = checkInt('workerObjective: threads', opts.threads ?? availableParallelism(), {
    positive: true,
  });
  const chunk =
    opts.chunk === undefined ? null : checkInt('workerObjective: chunk', opts.chunk, { positive: true });
  const kind = opts.kind ?? 'pointwise';
  if (kind !== 'pointwise' && kind !== 'batched')
    throw new ArgumentError(`workerObjective: kind expected 'pointwise' or 'batched', got ${String(kind)}`);
  const name = opts.export ?? 'default';
  const module =
    opts.module instanceof URL
      ? opts.module.href
      : /^[a-z]+:/i.test(opts.module)
        ? opts.module
        : pathToFileURL(opts.module).href;
  const pool = new Piscina({
    filename: new URL('./objectiveWorker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  const f = async (points: Float64Array, count: number): Promise<Float64Array> => {
    if (!(points instanceof Float64Array) || points.length !== count * dim)
      throw new ShapeError(
        `workerObjective: expected ${count}×${dim} points in a Float64Array, got ${points?.constructor?.name}(${points?.length})`,
      );
    const size = chunk ?? Math.max(1, Math.ceil(count / (4 * threads)));
    const out = new Float64Array(count);
    const tasks: Promise<void>[] = [];
    for (let start = 0; start < count; start += size) {
      const n = Math.min(size, count - start);
      const slice = points.slice(start * dim, (start + n) * dim);
      tasks.push(
        pool
          .run({ module, name, batched: kind === 'batched', points: slice, count: n, dim })
          .then((r: { values: Float64Array } | { error: string }) => {
            if ('error' in r)
              throw new EvaluationError(`workerObjective: evaluating ${module}#${name} failed: ${r.error}`);
            const v = r.values;
            if (v.length !== n)
              throw new ShapeError(
                `workerObjective: ${module}#${name} returned ${v.length} values for ${n} points`,
              );
            out.set(v, start);
          }),
      );
    }
    // every slice settles before the call returns, so no task is left in flight after a failure
    const settled = await Promise.allSettled(tasks);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      const err: unknown = failed.reason;
      if (err instanceof TenzoError) throw err;
      throw new EvaluationError(
        `workerObjective: evaluating ${module}#${name} failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    return out;
  };
  return Object.assign(f, { threads, close: () => pool.destroy() });
}
