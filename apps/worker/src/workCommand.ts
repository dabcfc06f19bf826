import { defineCommand, type FlagValues } from '@tenzo/cli';
import { type EvaluationWorker, startEvaluationWorker } from '@tenzo/engines/node';

export const workCommand = defineCommand({
  description:
    'evaluate the jobs of a BullMQ queue on Redis (bullmqEngine of @tenzo/engines) with a function module, until SIGINT/SIGTERM',
  flags: {
    redis: {
      type: 'string',
      default: 'redis://127.0.0.1:6379',
      meta: 'url',
      help: 'the Redis the client uses too',
    },
    queue: { type: 'string', meta: 'name', help: 'the queue name given to bullmqEngine (required)' },
    module: { type: 'string', meta: 'path', help: 'the ES module that exports the black box (required)' },
    export: { type: 'string', default: 'default', meta: 'name', help: 'the export to call' },
    kind: {
      type: 'enum',
      choices: ['pointwise', 'batched'],
      default: 'batched',
      help: 'batched: f(points, count, dim) → values; pointwise: f(row) → value',
    },
    concurrency: { type: 'integer', default: 1, min: 1, max: 1024, help: 'jobs evaluated at once' },
    lockMs: {
      type: 'integer',
      default: 30_000,
      min: 100,
      meta: 'ms',
      help: 'job lock duration: how long a dead worker holds its job (longer than one job takes)',
    },
    stalledMs: {
      type: 'integer',
      default: 30_000,
      min: 100,
      meta: 'ms',
      help: "interval of this worker's checks for stalled jobs of dead workers",
    },
    pollMs: {
      type: 'integer',
      default: 20,
      min: 1,
      meta: 'ms',
      help: 'how long an idle worker blocks before looking for jobs again (Redis wakes one worker per batch)',
    },
    prefix: { type: 'string', default: 'bull', help: "BullMQ's key prefix (the client's)" },
  },
});

export type WorkFlags = FlagValues<typeof workCommand.flags>;

/** Resolves on the first SIGINT or SIGTERM (how a worker is stopped). */
export function shutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * Runs one worker until `until` resolves, then closes it (jobs in hand finish first). Prints one
 * line when it takes jobs and one when it stops.
 */
export async function runWork(
  flags: WorkFlags,
  until: (w: EvaluationWorker) => Promise<void> = shutdownSignal,
): Promise<{ jobs: number; points: number }> {
  const worker = startEvaluationWorker({
    connection: flags.redis,
    queue: flags.queue ?? '',
    module: flags.module ?? '',
    export: flags.export,
    kind: flags.kind,
    concurrency: flags.concurrency,
    lockDuration: flags.lockMs,
    stalledInterval: flags.stalledMs,
    pollMs: flags.pollMs,
    prefix: flags.prefix,
  });
  await worker.ready;
  console.log(
    `tenzo-worker: ready (queue ${flags.queue}, ${flags.module}#${flags.export}, pid ${process.pid})`,
  );
  await until(worker);
  await worker.close();
  console.log(`tenzo-worker: stopped after ${worker.jobs} jobs, ${worker.points} points`);
  return { jobs: worker.jobs, points: worker.points };
}
