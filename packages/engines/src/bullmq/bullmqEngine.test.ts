import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, EvaluationError } from '@tenzo/core';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineBatchFunction } from '../engine.js';
import { inProcessEngine } from '../inProcess.js';
import { bullmqEngine } from './bullmqEngine.js';
import { redisClient } from './connection.js';
import { type EvaluationWorker, startEvaluationWorker } from './evaluationWorker.js';
import { jobId } from './jobs.js';
import { redisReachable } from './reachable.js';

// Redis: .ci/run starts one and exports its URL; elsewhere the tests run when one answers on the
// default port. CI=true forces them, so a CI without Redis fails instead of skipping.
const url = process.env.TENZO_REDIS_URL ?? 'redis://127.0.0.1:6379';
const needRedis = (await redisReachable(url)) || process.env.CI === 'true';
// Debian's redis-server, for the tests that start their own Redis late (CI installs it)
const haveRedisServer = spawnSync('redis-server', ['--version']).status === 0 || process.env.CI === 'true';

// the black box, logging every point it evaluates (one line per row) to count evaluations
const dir = mkdtempSync(join(tmpdir(), 'tenzo-bullmq-'));
const log = join(dir, 'evaluated.log');
const file = join(dir, 'box.mjs');
writeFileSync(
  file,
  `import { appendFileSync } from 'node:fs';
export function batch(points, count, dim) {
  const out = new Float64Array(count);
  let lines = '';
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += Math.sin(0.7 * points[i * dim + k] + k) / (1 + k);
    out[i] = s;
    lines += Array.from(points.subarray(i * dim, (i + 1) * dim)).join(',') + '\\n';
  }
  appendFileSync(${JSON.stringify(log)}, lines);
  return out;
}
// the same values 150 ms later (without blocking this process's event loop): a job still running
// when the client checks it after adding it
export async function slow(points, count, dim) {
  await new Promise((r) => setTimeout(r, 150));
  return batch(points, count, dim);
}
export function broken() { throw new Error('the simulation diverged'); }
`,
);
const { batch } = (await import(file)) as { batch: EngineBatchFunction };
const evaluatedLines = () => {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

const run = `t${process.pid}-${Date.now().toString(36)}`;
const closers: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(closers.map((c) => c.close())));
function workers(queue: string, n: number, exp = 'batch', connection = url): EvaluationWorker[] {
  return Array.from({ length: n }, () => {
    const w = startEvaluationWorker({ connection, queue, module: file, export: exp, kind: 'batched' });
    closers.push(w);
    return w;
  });
}
function engine(queue: string, runId: string, chunk = 7) {
  const e = bullmqEngine({ connection: url, queue, runId, chunk, attempts: 2 });
  closers.push(e);
  return e;
}

// a loopback port nothing listens on (until a test starts a Redis there)
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// redis-server on loopback at `port`, answering PING; resolves to its stop
async function startRedis(port: number): Promise<() => Promise<void>> {
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const stop = () =>
    new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) return r();
      child.once('exit', () => r());
      child.kill();
    });
  closers.push({ close: stop });
  for (let k = 0; k < 100; k++) {
    if (await redisReachable(`redis://127.0.0.1:${port}`, 500)) return stop;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`redis-server on port ${port} did not answer within 10 s`);
}

// the promise's value, or a note that it was still pending after `ms` (an assertion then fails)
async function within<T>(ms: number, p: Promise<T>): Promise<T | string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((r) => {
    timer = setTimeout(() => r(`still pending after ${ms} ms`), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const dim = 5;
const count = 50;
const points = Int32Array.from({ length: count * dim }, (_, k) => (k * 31) % 17);
// the reference, in this process (before any count of the log is taken)
const expected = await inProcessEngine(batch).evaluate(points, count, dim);

describe('bullmqEngine', () => {
  it('checks its options', () => {
    expect(() => bullmqEngine({ connection: url, queue: 'q', runId: 'a:b' })).toThrow(ArgumentError);
    expect(() => bullmqEngine({ connection: 'http://x', queue: 'q', runId: 'a' })).toThrow(/redis:\/\/ URL/);
    expect(() => bullmqEngine({ connection: url, queue: 'q', runId: 'a', chunk: 0 })).toThrow(/chunk/);
    expect(() => bullmqEngine({ connection: url, queue: 'q', runId: 'a', pollMs: 0 })).toThrow(/pollMs/);
  });

  it.runIf(needRedis)('equals the in-process values, each row evaluated once, in row order', async () => {
    const queue = `${run}-order`;
    const ws = workers(queue, 2);
    await Promise.all(ws.map((w) => w.ready));
    const before = evaluatedLines().length;
    const e = engine(queue, 'order');
    expect(await e.evaluate(points, count, dim)).toEqual(expected);
    expect(await e.evaluate(points.subarray(0, 3 * dim), 3, dim)).toEqual(expected.subarray(0, 3));
    expect(e.stats).toEqual({ batches: 2, jobs: 8 + 1, points: count + 3, foundJobs: 0 });
    expect(evaluatedLines().length - before).toBe(count + 3);
    expect(ws[0]!.jobs + ws[1]!.jobs).toBe(9);
  });

  it.runIf(needRedis)(
    'a duplicated client or a re-added job is counted once; a restarted client resumes',
    async () => {
      const queue = `${run}-dup`;
      const ws = workers(queue, 2);
      const before = evaluatedLines().length;
      // two clients of one run at once (a client restarted while the old one still runs)
      const [a, b] = [engine(queue, 'dup'), engine(queue, 'dup')];
      const [va, vb] = await Promise.all([a.evaluate(points, count, dim), b.evaluate(points, count, dim)]);
      expect(va).toEqual(expected);
      expect(vb).toEqual(expected);
      // a producer re-adding a job by hand adds nothing
      const q = new Queue(queue, { connection: redisClient('test', url) });
      await q.add('evaluate', {}, { jobId: jobId('dup', 0, 0) });
      expect(await q.getJobCountByTypes('completed', 'waiting', 'active')).toBe(8);
      await q.close();
      // a client restarted later takes every finished job's values from the queue
      const c = engine(queue, 'dup');
      expect(await c.evaluate(points, count, dim)).toEqual(expected);
      expect(c.stats.foundJobs).toBe(8);
      expect(c.stats.points).toBe(count);
      expect(ws[0]!.points + ws[1]!.points).toBe(count);
      expect(evaluatedLines().length - before).toBe(count);
    },
  );

  it.runIf(needRedis)('refuses values computed for other points under the same run id', async () => {
    const queue = `${run}-reuse`;
    workers(queue, 1);
    await engine(queue, 'reused').evaluate(points, count, dim);
    const other = points.map((v) => (v + 1) % 17);
    await expect(engine(queue, 'reused').evaluate(other, count, dim)).rejects.toThrow(
      /run id 'reused' was used before/,
    );
  });

  // A loopback proxy to the Redis that holds back (or swallows) every XREAD — the command BullMQ's
  // QueueEvents reads job events with: what a busy machine does to the first XREAD, late after
  // connecting, and what a lost event looks like.
  async function xreadProxy(mode: 'delay' | 'drop', delayMs = 600): Promise<{ url: string; server: Server }> {
    const target = new URL(url);
    const server = createServer((socket) => {
      const upstream = createConnection(Number(target.port || 6379), target.hostname);
      upstream.on('data', (b) => socket.write(b));
      upstream.on('error', () => socket.destroy());
      upstream.on('close', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
      socket.on('close', () => upstream.destroy());
      let held: Promise<void> = Promise.resolve();
      socket.on('data', (b) => {
        const xread = /\bxread\b/i.test(b.toString('latin1'));
        if (xread && mode === 'drop') return;
        held = held.then(() =>
          xread
            ? new Promise<void>((r) => setTimeout(r, delayMs)).then(() => void upstream.write(b))
            : void upstream.write(b),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
    return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, server };
  }

  it.runIf(needRedis)(
    "a job finished before the client's first XREAD reaches Redis is still taken (by its event)",
    async () => {
      const queue = `${run}-late`;
      await Promise.all(workers(queue, 2, 'slow').map((w) => w.ready));
      const proxy = await xreadProxy('delay');
      // no poll in this test's time: only the event can finish the batch
      const e = bullmqEngine({ connection: proxy.url, queue, runId: 'late', chunk: 25, pollMs: 2 ** 31 - 1 });
      closers.push(e);
      expect(await e.evaluate(points, count, dim)).toEqual(expected);
      expect(e.stats).toEqual({ batches: 1, jobs: 2, points: count, foundJobs: 0 });
    },
    20_000,
  );

  it.runIf(needRedis)('a batch whose events never arrive is finished by polling the jobs', async () => {
    const queue = `${run}-lost`;
    await Promise.all(workers(queue, 2, 'slow').map((w) => w.ready));
    const proxy = await xreadProxy('drop');
    const e = bullmqEngine({ connection: proxy.url, queue, runId: 'lost', chunk: 7, pollMs: 50 });
    closers.push(e);
    expect(await e.evaluate(points, count, dim)).toEqual(expected);
    expect(e.stats).toEqual({ batches: 1, jobs: 8, points: count, foundJobs: 0 });
  });

  it.runIf(needRedis)(
    'a job that keeps failing fails the batch with a typed error naming the job',
    async () => {
      const queue = `${run}-broken`;
      workers(queue, 1, 'broken');
      const e = engine(queue, 'broken');
      const err = await e.evaluate(points.subarray(0, 3 * dim), 3, dim).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(EvaluationError);
      expect(String(err)).toMatch(/job broken\.0\.0 .* failed: .*the simulation diverged/);
    },
  );

  it.runIf(needRedis)('a setup that Redis refuses fails typed, and the next call sets up again', async () => {
    const queue = `${run}-setup`;
    const c = redisClient('test', url);
    // the queue's events stream is a string: the setup's XREVRANGE of it fails with WRONGTYPE
    await c.set(`bull:${queue}:events`, 'not a stream');
    const e = engine(queue, 'setup');
    const err = await within(
      15_000,
      e.evaluate(points, count, dim).catch((x: unknown) => x),
    );
    expect(err).toBeInstanceOf(EvaluationError);
    expect(String(err)).toContain(`bullmqEngine.evaluate: setting up queue '${queue}' on Redis at `);
    expect(String(err)).toMatch(/failed: WRONGTYPE/);
    expect(e.stats.batches).toBe(0);
    await c.del(`bull:${queue}:events`);
    await c.quit();
    await Promise.all(workers(queue, 2).map((w) => w.ready));
    expect(await within(20_000, e.evaluate(points, count, dim))).toEqual(expected);
    expect(e.stats).toEqual({ batches: 1, jobs: 8, points: count, foundJobs: 0 });
  });

  it.runIf(haveRedisServer)(
    'a Redis not there yet fails the first calls (typed, in bounded time); once it answers, the next call connects and counts each piece once',
    async () => {
      const port = await freePort();
      const at = `redis://127.0.0.1:${port}`;
      const queue = `${run}-late-redis`;
      const e = bullmqEngine({ connection: at, queue, runId: 'lateredis', chunk: 7, connectTimeoutMs: 1000 });
      closers.push(e);
      // two calls at once, both while nothing listens on the port
      const tries = await within(
        15_000,
        Promise.all(
          [e.evaluate(points, count, dim), e.evaluate(points.subarray(0, 3 * dim), 3, dim)].map((p) =>
            p.catch((x: unknown) => x),
          ),
        ),
      );
      expect(tries).toHaveLength(2);
      for (const err of tries as unknown[]) {
        expect(err).toBeInstanceOf(EvaluationError);
        expect((err as Error).message).toContain(
          `bullmqEngine.evaluate: Redis at ${at} did not answer within 1000 ms (connect ECONNREFUSED 127.0.0.1:${port})`,
        );
        expect(((err as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
      }
      // nothing was sent: both batch indices are given back
      expect(e.stats).toEqual({ batches: 0, jobs: 0, points: 0, foundJobs: 0 });
      const stop = await startRedis(port);
      const ws = workers(queue, 2, 'batch', at);
      try {
        await Promise.all(ws.map((w) => w.ready));
        const before = evaluatedLines().length;
        expect(await within(20_000, e.evaluate(points, count, dim))).toEqual(expected);
        expect(e.stats).toEqual({ batches: 1, jobs: 8, points: count, foundJobs: 0 });
        expect(ws[0]!.points + ws[1]!.points).toBe(count);
        expect(evaluatedLines().length - before).toBe(count);
        // the jobs carry batch 0, the ids a client that never failed would have given them
        const qc = redisClient('test', at);
        const q = new Queue(queue, { connection: qc });
        expect(await q.getJobCountByTypes('completed')).toBe(8);
        expect(await q.getJob(jobId('lateredis', 0, 7))).toBeDefined();
        await q.close();
        await qc.quit();
      } finally {
        await Promise.all(ws.map((w) => w.close()));
        await e.close();
        await stop();
      }
    },
    60_000,
  );

  it('close() after a call that could not reach Redis, or during one, ends promptly', async () => {
    const at = `redis://127.0.0.1:${await freePort()}`;
    const e = bullmqEngine({ connection: at, queue: 'nowhere', runId: 'nowhere', connectTimeoutMs: 300 });
    const err = await within(
      10_000,
      e.evaluate(points, count, dim).catch((x: unknown) => x),
    );
    expect(err).toBeInstanceOf(EvaluationError);
    expect(String(err)).toMatch(/did not answer within 300 ms .*ECONNREFUSED/);
    expect(
      await within(
        5_000,
        e.close().then(() => 'closed'),
      ),
    ).toBe('closed');
    await expect(e.evaluate(points, count, dim)).rejects.toThrow(/the engine is closed/);
    // closed while a call still waits for Redis: the call ends too
    const f = bullmqEngine({ connection: at, queue: 'nowhere', runId: 'nowhere', connectTimeoutMs: 60_000 });
    const waiting = f.evaluate(points, count, dim).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      await within(
        5_000,
        f.close().then(() => 'closed'),
      ),
    ).toBe('closed');
    const ended = await within(5_000, waiting);
    expect(ended).toBeInstanceOf(EvaluationError);
    expect(String(ended)).toMatch(/closed while connecting to Redis at redis:\/\/127\.0\.0\.1:\d+/);
  }, 30_000);
});
