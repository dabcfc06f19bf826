/**
 * The machine's own ceiling on thread scaling, measured beside the hybrid step: a float64 kernel
 * with no shared state and no serial part (a dot-product sweep over a cache-resident array, the
 * shape of a ZO direction's work) split over 1 and over N persistent worker threads, interleaved.
 * Whatever a step's scaling falls short of this is the step's own serial work; what this falls
 * short of N is the machine's (shared cores, frequency, memory).
 */
import { Worker } from 'node:worker_threads';
import { type InterleaveOptions, measureInterleaved } from '../harness.js';
import { pairedRatio } from './hybrid.js';

// the worker: on { reps, size } run the kernel and answer with its checksum (so nothing is elided)
const KERNEL = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ reps, size }) => {
  const a = new Float64Array(size);
  const b = new Float64Array(size);
  for (let i = 0; i < size; i++) { a[i] = (i % 7) - 3; b[i] = (i % 5) - 2; }
  let s = 0;
  for (let r = 0; r < reps; r++) for (let i = 0; i < size; i++) s += a[i] * b[(i * 7) % size];
  parentPort.postMessage(s);
});
`;

/** What {@link parallelCeiling} measured: the median per-round times and their paired ratio. */
export interface ParallelCeiling {
  threads: number;
  oneThreadMs: number;
  nThreadsMs: number;
  /** median over rounds of (1-thread time / N-thread time): the most any N-thread code can gain */
  scaling: number;
}

/**
 * Times `work` kernel repetitions (4,096 doubles each) on one worker thread and the same work split
 * over `threads` worker threads, in interleaved rounds; the workers start before timing begins.
 */
export async function parallelCeiling(
  threads: number,
  opts: { work?: number; rounds?: InterleaveOptions } = {},
): Promise<ParallelCeiling> {
  const size = 4096;
  const work = opts.work ?? 4000;
  const workers = Array.from({ length: threads }, () => new Worker(KERNEL, { eval: true }));
  const run = (w: Worker, reps: number) =>
    new Promise<number>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.postMessage({ reps, size });
    });
  try {
    const share = Math.ceil(work / threads);
    const result = await measureInterleaved(
      [
        { name: '1 thread', run: () => run(workers[0]!, share * threads) },
        { name: `${threads} threads`, run: () => Promise.all(workers.map((w) => run(w, share))) },
      ],
      opts.rounds ?? { warmup: 1, minRounds: 5, minTimeMs: 0 },
    );
    const [one, many] = result.timings as [(typeof result.timings)[0], (typeof result.timings)[0]];
    return {
      threads,
      oneThreadMs: one.medianMs,
      nThreadsMs: many.medianMs,
      scaling: pairedRatio(one.roundsMs ?? [], many.roundsMs ?? []),
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
