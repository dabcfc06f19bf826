import { availableParallelism } from 'node:os';
import type { FlagSpecs } from '@tenzo/cli';
import { type WorkerPool, workerPool } from '@tenzo/devices/node';

/**
 * `--threads`, on every command: the worker threads that run a simulated device's projected ZO
 * directions (`@tenzo/devices/node`'s `workerPool`). Results are bit-identical for any count, so
 * it is not part of a run's config and a run may resume with another.
 */
export const threadsFlag = {
  threads: {
    type: 'integer',
    min: 1,
    max: 256,
    default: availableParallelism(),
    help: 'worker threads for the simulated device (default: all cores; results do not depend on it)',
  },
} as const satisfies FlagSpecs;

let shared: WorkerPool | null = null;

/**
 * The process's pool of `threads` workers (commands that run several networks, like `hybrid` and
 * `sweep`, share one); null for 1 thread, which runs the directions in this thread.
 */
export function executorFor(threads: number): WorkerPool | null {
  if (threads <= 1) return null;
  if (shared !== null && shared.threads === threads) return shared;
  void shared?.close();
  shared = workerPool({ threads });
  return shared;
}

/** Ends the worker threads (the CLI calls it when a command is done). */
export async function closeExecutors(): Promise<void> {
  const p = shared;
  shared = null;
  await p?.close();
}
