import { checkInt, checkObject, EvaluationError, ShapeError } from '@tenzo/core';
import { Job, type Queue, type QueueEvents } from 'bullmq';
import { checkBatch, type EvaluationEngine, splitBatch } from '../engine.js';
import type { RedisConnection } from './connection.js';
import {
  checkRunId,
  digest,
  type EvaluationJobData,
  type EvaluationJobResult,
  fromBase64,
  jobId,
  toBase64,
} from './jobs.js';
import { type QueueLink, queueLink } from './queueLink.js';

/**
 * Options of `bullmqEngine`: the Redis connection and BullMQ queue the `tenzo-worker` processes share, the
 * run id that makes a restarted run find its jobs, points per job, attempts per job and BullMQ's key
 * prefix.
 */
export interface BullmqEngineOptions {
  /** the Redis every worker also reads: a redis:// URL or ioredis options */
  readonly connection: RedisConnection;
  /** the BullMQ queue the `tenzo-worker` processes listen on */
  readonly queue: string;
  /**
   * the run's name: job ids are `<runId>.<batch>.<part>`, so a client restarted with the same run
   * id (and the same seeded algorithm, hence the same batches) finds the jobs it had already
   * sent, takes the finished ones' values from Redis and waits for the rest
   */
  readonly runId: string;
  /** points per job (default 16) */
  readonly chunk?: number;
  /** tries of a job whose evaluation throws, before the batch fails (default 3) */
  readonly attempts?: number;
  /**
   * how often (ms) each job in flight is also looked up in Redis besides waiting for its
   * 'completed' event (default 2000): what a lost event costs at most
   */
  readonly pollMs?: number;
  /** BullMQ's key prefix (default 'bull', BullMQ's own; the workers must use the same) */
  readonly prefix?: string;
  /**
   * how long (ms) a call waits for Redis while the engine is not yet connected (default 10 000):
   * past it the call fails with an EvaluationError naming the address and the connection error,
   * and the next call connects again. Once connected, a Redis restart stalls calls instead.
   */
  readonly connectTimeoutMs?: number;
}

/** What a BullMQ engine has done, for accounting and tests. */
export interface BullmqEngineStats {
  /**
   * evaluate calls (the next batch index); a call that failed before sending a job (Redis not
   * reachable) gives its index back while no later call took one
   */
  batches: number;
  /** jobs whose values were taken, one per (batch, part) */
  jobs: number;
  /** points whose values were taken: each row of each batch once */
  points: number;
  /** jobs found in the queue already when added (a restarted or duplicated client) */
  foundJobs: number;
}

export interface BullmqEngine extends EvaluationEngine {
  readonly runId: string;
  readonly stats: Readonly<BullmqEngineStats>;
}

/**
 * The engine across machines: every batch is cut into jobs of `chunk` consecutive rows on a
 * BullMQ queue in Redis, `tenzo-worker` processes anywhere evaluate them (`startEvaluationWorker`),
 * and the values are set at their rows as the jobs complete.
 *
 * Exactness: a job's id names its run, batch and part, so the queue holds at most one job per
 * piece of a batch however often it is added; the client takes each piece's values once, from
 * the job's stored result, after checking the digest of the points the worker evaluated against
 * its own. A worker that dies mid-job stops renewing its lock, BullMQ's stalled-job check puts the
 * job back in the queue and another worker evaluates it; a job that throws is retried `attempts`
 * times. Finished jobs are kept (not removed on completion), which is what makes a run resumable.
 * The batch index counts `evaluate` calls, so a resumed run must make the same calls in the
 * same order — what a seeded HTBB or TT-cross does.
 *
 * The link to Redis is set up on the first call (`queueLink`): a call that cannot reach Redis
 * within `connectTimeoutMs`, or whose setup Redis refuses, fails with an EvaluationError naming
 * the address and the cause, sends nothing and gives its batch index back; the next call sets
 * the link up again with new connections.
 */
export function bullmqEngine(opts: BullmqEngineOptions): BullmqEngine {
  checkObject('bullmqEngine: options', opts);
  const runId = checkRunId('bullmqEngine', opts.runId);
  const chunk = checkInt('bullmqEngine: chunk', opts.chunk ?? 16, { positive: true });
  const attempts = checkInt('bullmqEngine: attempts', opts.attempts ?? 3, { positive: true });
  const pollMs = checkInt('bullmqEngine: pollMs', opts.pollMs ?? 2000, {
    positive: true,
    max: 2 ** 31 - 1, // setTimeout's longest delay
  });
  const prefix = opts.prefix ?? 'bull';
  const queueName = opts.queue;
  if (typeof queueName !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(queueName))
    throw new EvaluationError(
      `bullmqEngine: queue expected 1–128 characters of [A-Za-z0-9_-], got ${String(queueName)}`,
    );
  const connectTimeoutMs = checkInt('bullmqEngine: connectTimeoutMs', opts.connectTimeoutMs ?? 10_000, {
    positive: true,
    max: 2 ** 31 - 1,
  });
  const redis = queueLink({
    fn: 'bullmqEngine',
    connection: opts.connection,
    queue: queueName,
    prefix,
    connectTimeoutMs,
  });
  const stats: BullmqEngineStats = { batches: 0, jobs: 0, points: 0, foundJobs: 0 };
  let closed: Promise<void> | null = null;
  // indices of calls that failed before sending a job: given back while they are the last ones
  // taken, so a call repeated once Redis answers gets the job ids a fresh client would give it
  const unsent = new Set<number>();
  const giveBack = (batch: number) => {
    unsent.add(batch);
    while (unsent.delete(stats.batches - 1)) stats.batches--;
  };

  async function evaluate(
    points: Int32Array | Float64Array,
    count: number,
    dim: number,
  ): Promise<Float64Array> {
    checkBatch('bullmqEngine.evaluate', points, count, dim);
    if (closed !== null) throw new EvaluationError('bullmqEngine.evaluate: the engine is closed');
    const batch = stats.batches++;
    const out = new Float64Array(count);
    if (count === 0) return out;
    let link: QueueLink;
    try {
      link = await redis.ready();
    } catch (err) {
      giveBack(batch);
      throw err;
    }
    const { queue, events } = link;
    const dtype = points instanceof Int32Array ? 'int32' : 'float64';
    const parts = splitBatch(count, chunk).map(({ start, size }, part) => {
      const block = points.slice(start * dim, (start + size) * dim);
      const data: EvaluationJobData = {
        v: 1,
        runId,
        batch,
        part,
        count: size,
        dim,
        dtype,
        points: toBase64(block),
        digest: digest(block, size, dim),
      };
      return { id: jobId(runId, batch, part), start, data };
    });
    // which pieces the queue holds already (a restarted or duplicated client); failed ones go again
    const existing = await Promise.all(parts.map((p) => Job.fromId(queue, p.id)));
    for (const job of existing) {
      if (job === undefined) continue;
      stats.foundJobs++;
      if (await job.isFailed()) await job.retry('failed');
    }
    const jobs = await queue.addBulk(
      parts.map((p) => ({
        name: 'evaluate',
        data: p.data,
        opts: {
          jobId: p.id,
          attempts,
          backoff: { type: 'fixed', delay: 100 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    const settled = await Promise.allSettled(
      jobs.map(async (job, k) => {
        const p = parts[k]!;
        let result: unknown;
        try {
          result = await finished(job, queue, events);
        } catch (err) {
          throw new EvaluationError(
            `bullmqEngine: job ${p.id} on queue '${queueName}' failed: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err },
          );
        }
        const r = result as Partial<EvaluationJobResult> | null;
        if (r === null || typeof r !== 'object' || r.digest !== p.data.digest)
          throw new EvaluationError(
            `bullmqEngine: job ${p.id} holds the values of other points (digest ${String(r?.digest)}, expected ${p.data.digest}): run id '${runId}' was used before for another run`,
          );
        const values = fromBase64(
          `bullmqEngine: job ${p.id} values`,
          r.values,
          'float64',
          p.data.count,
        ) as Float64Array;
        if (values.length !== p.data.count)
          throw new ShapeError(
            `bullmqEngine: job ${p.id} returned ${values.length} values for ${p.data.count} points`,
          );
        return { start: p.start, values };
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    // each piece is taken once, here, after all have settled: nothing is counted twice
    for (const s of settled as PromiseFulfilledResult<{ start: number; values: Float64Array }>[]) {
      out.set(s.value.values, s.value.start);
      stats.jobs++;
      stats.points += s.value.values.length;
    }
    return out;
  }

  /** The job's result once it completed (its error once it failed for good), by event or by poll. */
  async function finished(
    job: Job<EvaluationJobData, EvaluationJobResult>,
    queue: Queue<EvaluationJobData, EvaluationJobResult>,
    events: QueueEvents,
  ): Promise<unknown> {
    const byEvent = job.waitUntilFinished(events);
    // the loser of the race below may settle later (at close, 'closing' rejects it): observed here
    byEvent.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const byPoll = new Promise<unknown>((resolve, reject) => {
      const tick = async () => {
        if (done) return;
        try {
          // the state first, then the job's hash: BullMQ writes the result and moves the job to
          // 'completed' in one script, so a hash read after the state holds the result (one read
          // before it may predate both — the CI run of b775fdc saw a completed job with no value)
          const state = await job.getState();
          if (state === 'completed' || state === 'failed') {
            const j = await Job.fromId<EvaluationJobData, EvaluationJobResult>(queue, job.id!);
            if (j !== undefined && state === 'completed' && j.returnvalue != null)
              return resolve(j.returnvalue);
            if (j !== undefined && state === 'failed') return reject(new Error(j.failedReason));
          }
        } catch {
          // a lost connection: the event path reports it, the next tick tries again
        }
        if (!done) timer = setTimeout(tick, pollMs);
      };
      timer = setTimeout(tick, pollMs);
    });
    try {
      return await Promise.race([byEvent, byPoll]);
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }

  return {
    name: `bullmq:${queueName}`,
    runId,
    stats,
    evaluate,
    close() {
      closed ??= redis.close();
      return closed;
    },
  };
}
