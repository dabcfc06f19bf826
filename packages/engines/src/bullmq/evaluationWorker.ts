import { checkInt, EvaluationError } from '@tenzo/core';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { evaluateSlice } from '../module/evaluateSlice.js';
import { type FunctionModule, resolveModule } from '../module/functionModule.js';
import { type RedisConnection, redisClient } from './connection.js';
import { digest, type EvaluationJobData, type EvaluationJobResult, readJobData, toBase64 } from './jobs.js';

export interface EvaluationWorkerOptions extends FunctionModule {
  readonly connection: RedisConnection;
  readonly queue: string;
  /** BullMQ's key prefix (default 'bull'; the same as the engine's) */
  readonly prefix?: string;
  /** jobs evaluated at once (default 1: a black box is usually one simulation at a time) */
  readonly concurrency?: number;
  /**
   * ms a job's lock lasts without renewal (default 30 000). A worker that dies holds its job this
   * long before the stalled check hands it to another; a job's synchronous work (which blocks
   * the renewal timer) must take less than this.
   */
  readonly lockDuration?: number;
  /** ms between this worker's checks for other workers' stalled jobs (default 30 000) */
  readonly stalledInterval?: number;
  /** times a job may stall (its worker die) before it fails (default 5) */
  readonly maxStalledCount?: number;
  /**
   * ms an idle worker blocks waiting for jobs before it looks again (default 20). Redis wakes one
   * blocked worker per batch added, so the others find the batch's remaining jobs only on this
   * poll: short keeps every worker busy on small batches, at the cost of an idle worker's polls.
   */
  readonly pollMs?: number;
}

/**
 * A running BullMQ evaluation worker: the jobs and points it has done, a promise that resolves once it
 * takes jobs, and `close()`.
 */
export interface EvaluationWorker {
  /** jobs this worker completed */
  readonly jobs: number;
  /** points this worker evaluated (a job that stalled and went elsewhere is not counted here) */
  readonly points: number;
  /** the worker is connected and taking jobs */
  readonly ready: Promise<void>;
  /** stops taking jobs, waits for the ones in hand and disconnects */
  close(): Promise<void>;
}

/**
 * A BullMQ worker that evaluates `bullmqEngine` jobs with a function module — what
 * `tenzo-worker` runs. Each job's points are decoded, evaluated with the module's export and
 * returned as the job's result with the digest of the points, so the client can tell the values
 * belong to its points. A throwing evaluation fails the job (BullMQ retries it).
 */
export function startEvaluationWorker(opts: EvaluationWorkerOptions): EvaluationWorker {
  const mod = resolveModule('startEvaluationWorker', opts);
  const concurrency = checkInt('startEvaluationWorker: concurrency', opts.concurrency ?? 1, {
    positive: true,
  });
  const lockDuration = checkInt('startEvaluationWorker: lockDuration', opts.lockDuration ?? 30_000, {
    min: 100,
  });
  const stalledInterval = checkInt('startEvaluationWorker: stalledInterval', opts.stalledInterval ?? 30_000, {
    min: 100,
  });
  const pollMs = checkInt('startEvaluationWorker: pollMs', opts.pollMs ?? 20, { min: 1 });
  const maxStalledCount = checkInt('startEvaluationWorker: maxStalledCount', opts.maxStalledCount ?? 5);
  let jobs = 0;
  let points = 0;
  const connection: Redis = redisClient('startEvaluationWorker', opts.connection);
  const process = async (job: Job<EvaluationJobData, EvaluationJobResult>): Promise<EvaluationJobResult> => {
    const data = readJobData(String(job.id), job.data);
    const r = await evaluateSlice({
      module: mod.url,
      name: mod.name,
      batched: mod.batched,
      points: data.decoded,
      count: data.count,
      dim: data.dim,
    });
    if ('error' in r) throw new EvaluationError(`tenzo-worker: evaluating ${mod.label} failed: ${r.error}`);
    if (r.values.length !== data.count)
      throw new EvaluationError(
        `tenzo-worker: ${mod.label} returned ${r.values.length} values for ${data.count} points`,
      );
    jobs++;
    points += data.count;
    return { digest: digest(data.decoded, data.count, data.dim), values: toBase64(r.values) };
  };
  const worker = new Worker<EvaluationJobData, EvaluationJobResult>(opts.queue, process, {
    connection,
    prefix: opts.prefix ?? 'bull',
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    drainDelay: pollMs / 1000,
  });
  // errors of the connection are retried by ioredis; keep them from being unhandled 'error' events
  worker.on('error', () => undefined);
  let closed: Promise<void> | null = null;
  return {
    get jobs() {
      return jobs;
    },
    get points() {
      return points;
    },
    ready: worker.waitUntilReady().then(() => undefined),
    close() {
      closed ??= (async () => {
        await worker.close();
        await connection.quit().catch(() => undefined);
      })();
      return closed;
    },
  };
}
