import { availableParallelism } from 'node:os';
import { checkInt, checkObject, EvaluationError, ShapeError } from '@tenzo/core';
import { Piscina } from 'piscina';
import { checkBatch, type EvaluationEngine, evaluationFailure, splitBatch } from '../engine.js';
import { type FunctionModule, resolveModule } from '../module/functionModule.js';

export interface ThreadEngineOptions extends FunctionModule {
  /** worker threads (default: the machine's available parallelism; at most max(8, 4 × that)) */
  readonly threads?: number;
  /** points per task (default: a batch cut into 4 tasks per thread, at least 1 point each) */
  readonly chunk?: number;
}

/** An engine on worker threads; `threads` is how many it runs. */
export interface ThreadEngine extends EvaluationEngine {
  readonly threads: number;
}

/**
 * The engine of one machine: a piscina pool of worker threads that import the function module
 * themselves. A batch is cut into slices of consecutive rows, the slices run on whichever thread
 * is free, and each slice's values land at its rows — so the result is the same for any thread
 * count and any scheduling. A failing slice fails the batch only after every slice has settled,
 * so no task is left running behind the caller's back.
 */
export function threadEngine(opts: ThreadEngineOptions): ThreadEngine {
  checkObject('threadEngine: options', opts);
  const mod = resolveModule('threadEngine', opts);
  // every thread is started at once: a huge count would exhaust memory, and more than 4 per core
  // only adds contention
  const threads = checkInt('threadEngine: threads', opts.threads ?? availableParallelism(), {
    positive: true,
    max: Math.max(8, 4 * availableParallelism()),
  });
  const chunk =
    opts.chunk === undefined ? null : checkInt('threadEngine: chunk', opts.chunk, { positive: true });
  const pool = new Piscina({
    filename: new URL('./engineWorker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  let closed: Promise<void> | null = null;
  return {
    name: `threads×${threads}`,
    threads,
    async evaluate(points, count, dim) {
      checkBatch('threadEngine.evaluate', points, count, dim);
      if (closed !== null) throw new EvaluationError('threadEngine.evaluate: the engine is closed');
      const out = new Float64Array(count);
      const size = chunk ?? Math.max(1, Math.ceil(count / (4 * threads)));
      const tasks = splitBatch(count, size).map(async ({ start, size: n }) => {
        const r = (await pool.run({
          module: mod.url,
          name: mod.name,
          batched: mod.batched,
          points: points.slice(start * dim, (start + n) * dim),
          count: n,
          dim,
        })) as { values: Float64Array } | { error: string };
        if ('error' in r)
          throw new EvaluationError(`threadEngine: evaluating ${mod.label} failed: ${r.error}`);
        if (r.values.length !== n)
          throw new ShapeError(
            `threadEngine: ${mod.label} returned ${r.values.length} values for ${n} points`,
          );
        out.set(r.values, start);
      });
      const settled = await Promise.allSettled(tasks);
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined)
        throw evaluationFailure(`threadEngine: evaluating ${mod.label} failed`, failed.reason);
      return out;
    },
    close() {
      closed ??= pool.destroy();
      return closed;
    },
  };
}
