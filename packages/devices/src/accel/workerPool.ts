import { availableParallelism } from 'node:os';
import { checkInt } from '@tenzo/core';
import { Piscina } from 'piscina';
import type { ZoChunk, ZoExecutor } from './executor.js';
import type { ZoKernelSpec } from './zoKernel.js';

/**
 * Options of the ZO worker pool: the number of threads and the work below which an estimate runs in the
 * calling thread.
 */
export interface WorkerPoolOptions {
  /** worker threads (default: the machine's available parallelism) */
  readonly threads?: number;
  /**
   * estimates below this many direction × parameter (× row) updates run in the calling thread
   * (default 2^20: a 32×32 device's 100 directions are cheaper than a round trip to the workers)
   */
  readonly minWork?: number;
}

/** A {@link ZoExecutor} on worker threads, to be closed when done. */
export interface WorkerPool extends ZoExecutor {
  /** chunks run on the worker threads so far */
  readonly completed: number;
  /** ends the worker threads (pending runs finish first) */
  close(): Promise<void>;
}

/**
 * A worker-thread pool (piscina) that runs the direction chunks of projected ZO estimates on
 * every core: pass it as `executor` to `PhysicalLayer` or `layerParamGrad`. The spec's arrays
 * live on SharedArrayBuffers, so a chunk ships no data, only its index range; each chunk writes
 * its own slice of the shared partial sums. With `threads: 1` the chunks run on the main thread
 * (no workers are started). Results are bit-identical for any thread count.
 */
export function workerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  const threads = checkInt('workerPool: threads', opts.threads ?? availableParallelism(), {
    positive: true,
  });
  const minWork = checkInt('workerPool: minWork', opts.minWork ?? 1 << 20, { min: 0 });
  if (threads === 1) {
    return {
      threads: 1,
      shared: false,
      completed: 0,
      async run(spec, chunks) {
        const { runChunk } = await import('./zoKernel.js');
        for (const c of chunks) runChunk(spec, c);
      },
      async close() {},
    };
  }
  let completed = 0;
  const pool = new Piscina({
    // plain JavaScript beside this module (src/accel when running from the sources, dist/ when
    // built), so workers start without a TypeScript loader
    filename: new URL('./zoWorker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    threads,
    shared: true,
    minWork,
    get completed() {
      return completed;
    },
    async run(spec: ZoKernelSpec, chunks: readonly ZoChunk[]): Promise<void> {
      // one task per thread, each a fixed share of the chunks (a round trip costs ~0.1–0.5 ms,
      // as much as a chunk of the cheapest estimates); which thread runs a chunk changes nothing
      const groups: ZoChunk[][] = Array.from({ length: Math.min(threads, chunks.length) }, () => []);
      for (const [i, c] of chunks.entries()) groups[i % groups.length]!.push(c);
      // every task settles before returning (none is left writing to the shared arrays)
      const settled = await Promise.allSettled(groups.map((g) => pool.run({ spec, chunks: g })));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      completed += chunks.length;
    },
    close: () => pool.destroy(),
  };
}
