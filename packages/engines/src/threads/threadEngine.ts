import { availableParallelism } from 'node:os';
import { checkInt, checkObject, EvaluationError } from '@tenzo/core';
import { Piscina } from 'piscina';
import { checkBatch, type EvaluationEngine, evaluationFailure } from '../engine.js';
import { type FunctionModule, resolveModule } from '../module/functionModule.js';

export interface ThreadEngineOptions extends FunctionModule {
  /** worker threads (default: the machine's available parallelism; at most max(8, 4 × that)) */
  readonly threads?: number;
  /**
   * rows a thread claims at a time (default: 1 for pointwise functions; for batched ones a batch
   * cut into 4 claims per thread, at least 1 row each)
   */
  readonly chunk?: number;
}

/** An engine on worker threads; `threads` is how many it runs. */
export interface ThreadEngine extends EvaluationEngine {
  readonly threads: number;
}

/**
 * The engine of one machine: a piscina pool of worker threads that import the function module
 * themselves. A batch is copied once into shared memory and every thread gets one task for it:
 * a loop that claims the next `chunk` rows from a shared atomic counter, evaluates them and
 * writes their values at their rows of a shared result array. So the threads balance the load
 * among themselves (a thread that is free takes the next rows at once, without a round trip to
 * the main thread) and the result is the same, bit for bit and in row order, for any thread count
 * and any scheduling. After a failure the other threads claim no more rows; the batch fails only
 * after every thread has returned, so no task is left running behind the caller's back.
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
      if (count === 0) return new Float64Array(0);
      const grain = chunk ?? (mod.batched ? Math.max(1, Math.ceil(count / (4 * threads))) : 1);
      const shared = new SharedArrayBuffer(points.byteLength);
      const view = points instanceof Int32Array ? new Int32Array(shared) : new Float64Array(shared);
      view.set(points);
      const values = new Float64Array(new SharedArrayBuffer(8 * count));
      // [next row to claim, failed flag]
      const control = new Int32Array(new SharedArrayBuffer(8));
      const tasks = Array.from({ length: Math.min(threads, Math.ceil(count / grain)) }, async () => {
        const r = (await pool.run({
          module: mod.url,
          name: mod.name,
          batched: mod.batched,
          points: view,
          values,
          control,
          count,
          dim,
          grain,
        })) as { rows: number } | { error: string };
        if ('error' in r)
          throw new EvaluationError(`threadEngine: evaluating ${mod.label} failed: ${r.error}`);
      });
      const settled = await Promise.allSettled(tasks);
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined)
        throw evaluationFailure(`threadEngine: evaluating ${mod.label} failed`, failed.reason);
      // every row was claimed once and written before its thread returned
      return Float64Array.from(values);
    },
    close() {
      closed ??= pool.destroy();
      return closed;
    },
  };
}
