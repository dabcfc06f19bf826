import { availableParallelism } from 'node:os';
import { checkInt } from '@tenzo/core';
import { type WorkerPool, workerPool } from './workerPool.js';

/**
 * `--threads` as an `@tenzo/cli` flag spec (plain data): the worker threads that run a simulated
 * device's projected ZO directions ({@link workerPool}). Results are bit-identical for any count,
 * so a command leaves it out of a run's config and a run may resume with another. Default: every
 * core (`availableParallelism()`), at most 256.
 */
export const threadsFlag = {
  threads: {
    type: 'integer',
    min: 1,
    max: 256,
    default: availableParallelism(),
    help: 'worker threads for the simulated device (default: all cores; results do not depend on it)',
  },
} as const;

let shared: WorkerPool | null = null;

/**
 * The process's pool of `threads` workers, the `--threads` of {@link threadsFlag}: one pool shared
 * by every network a process runs (a second call with the same count returns the same pool, one
 * with another count closes it and starts a new one); null for 1 thread, which runs the directions
 * in this thread. End it with {@link closeExecutors}.
 */
export function executorFor(threads: number): WorkerPool | null {
  checkInt('executorFor: threads', threads, { min: 1 });
  if (threads === 1) return null;
  if (shared !== null && shared.threads === threads) return shared;
  void shared?.close();
  shared = workerPool({ threads });
  return shared;
}

/** Ends the worker threads of {@link executorFor}'s pool, if any (a CLI calls it when a command is done). */
export async function closeExecutors(): Promise<void> {
  const p = shared;
  shared = null;
  await p?.close();
}
