import { availableParallelism } from 'node:os';
import { checkInt, checkObject } from '@tenzo/core';
import { Piscina } from 'piscina';
import { checkZoRun, type ZoChunk, type ZoExecutor } from './executor.js';
import { claimChunks, type KernelSpec, runChunk } from './zoKernel.js';

/**
 * Options of the ZO worker pool: the number of threads and the work below which an estimate runs in the
 * calling thread.
 */
export interface WorkerPoolOptions {
  /**
   * threads that run chunks, the calling thread included: threads − 1 workers are started
   * (default: the machine's available parallelism; at most max(8, 4 × that))
   */
  readonly threads?: number;
  /**
   * estimates below this many direction × parameter (× row) updates run in the calling thread
   * (default 2^20: a 32×32 device's 100 directions are cheaper than a round trip to the workers)
   */
  readonly minWork?: number;
}

/** A {@link ZoExecutor} on worker threads, to be closed when done. */
export interface WorkerPool extends ZoExecutor {
  /** chunks the pool has run so far (on its workers or on the calling thread) */
  readonly completed: number;
  /** ends the worker threads (pending runs finish first) */
  close(): Promise<void>;
}

/**
 * A worker-thread pool (piscina) that runs the chunks of projected ZO estimates and sharded
 * device queries on every core: pass it as `executor` to `PhysicalLayer` or `layerParamGrad`.
 * The spec's arrays live on SharedArrayBuffers, so a chunk ships no data, only its index range;
 * each chunk writes its own slice of the shared outputs. The calling thread is one of the
 * `threads`: a run posts one task to each of the threads − 1 workers and then takes chunks
 * itself, every thread claiming the next unclaimed chunk from a shared counter, so a run costs
 * one round trip per worker and no thread waits while chunks are left. With `threads: 1` the
 * chunks run on the calling thread (no workers are started). Results are bit-identical for any
 * thread count: chunks are fixed by index, and which thread ran one changes nothing.
 */
export function workerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  checkObject('workerPool: options', opts);
  // every thread is started at once: a huge count would exhaust memory, and more than 4 per core
  // only adds contention
  const threads = checkInt('workerPool: threads', opts.threads ?? availableParallelism(), {
    positive: true,
    max: Math.max(8, 4 * availableParallelism()),
  });
  const minWork = checkInt('workerPool: minWork', opts.minWork ?? 1 << 20, { min: 0 });
  if (threads === 1) {
    return {
      threads: 1,
      shared: false,
      completed: 0,
      async run(spec, chunks) {
        checkZoRun('workerPool.run', spec, chunks);
        for (const c of chunks) runChunk(spec, c);
      },
      async close() {},
    };
  }
  let completed = 0;
  const counters: Int32Array[] = [];
  const pool = new Piscina({
    // plain JavaScript beside this module (src/accel when running from the sources, dist/ when
    // built), so workers start without a TypeScript loader
    filename: new URL('./zoWorker.js', import.meta.url).href,
    minThreads: threads - 1,
    maxThreads: threads - 1,
    idleTimeout: 60_000,
  });
  return {
    threads,
    shared: true,
    minWork,
    get completed() {
      return completed;
    },
    async run(spec: KernelSpec, chunks: readonly ZoChunk[]): Promise<void> {
      checkZoRun('workerPool.run', spec, chunks);
      // next[0]: the next unclaimed chunk, for every participating thread (counters are reused:
      // a run takes a free one, so runs in flight at once never share one)
      const next = counters.pop() ?? new Int32Array(new SharedArrayBuffer(4));
      next[0] = 0;
      const helpers = Math.min(threads - 1, chunks.length - 1);
      const tasks: Promise<number>[] = [];
      for (let w = 0; w < helpers; w++) tasks.push(pool.run({ spec, chunks, next }));
      let failure: unknown = null;
      try {
        claimChunks(spec, chunks, next);
      } catch (e) {
        failure = e;
        // stop the workers claiming more (they finish the chunk they hold)
        Atomics.store(next, 0, chunks.length);
      }
      // every task settles before returning (none is left writing to the shared arrays)
      const settled = await Promise.allSettled(tasks);
      counters.push(next);
      if (failure !== null) throw failure;
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      completed += chunks.length;
    },
    close: () => pool.destroy(),
  };
}
