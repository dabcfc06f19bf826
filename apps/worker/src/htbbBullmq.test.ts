import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlackBox, benchmarkFunction, benchmarkModuleSource, htbbApprox } from '@tenzo/decomp';
import { bullmqEngine, redisReachable } from '@tenzo/engines/node';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from './testing/bundleCli.js';

// issue #25's integration test: HTBB at d = 64 evaluated through BullMQ by 2 `tenzo-worker`
// processes gives exactly the in-process result and evaluation count; a worker SIGKILLed in the
// middle of a job loses nothing and counts nothing twice; a client restarted with the same run id
// resumes from the queue. Redis: TENZO_REDIS_URL (.ci/run), or one on the default port; CI=true
// forces the tests.
const url = process.env.TENZO_REDIS_URL ?? 'redis://127.0.0.1:6379';
const needRedis = (await redisReachable(url)) || process.env.CI === 'true';

const d = 64;
const bf = benchmarkFunction('Alpine', d);
const opts = { d, n: bf.n, sweeps: 4, seed: 11 };
const dir = mkdtempSync(join(tmpdir(), 'tenzo-worker-'));
writeFileSync(join(dir, 'alpine.mjs'), benchmarkModuleSource(bf));
// the worker's module: Alpine, logging each call's point count; TENZO_TEST_DIE_AT=k makes the
// k-th call SIGKILL its own process halfway through the call (a worker dying mid-job)
const module = join(dir, 'box.mjs');
writeFileSync(
  module,
  `import { appendFileSync } from 'node:fs';
import { batch as alpine } from './alpine.mjs';
let calls = 0;
export function batch(points, count, dim) {
  calls++;
  const y = alpine(points, count, dim);
  if (Number(process.env.TENZO_TEST_DIE_AT) === calls) process.kill(process.pid, 'SIGKILL');
  appendFileSync(process.env.TENZO_TEST_LOG, count + '\\n');
  return y;
}
`,
);
const run = `w${process.pid}-${Date.now().toString(36)}`;
let cli = '';
const children: ChildProcess[] = [];
const closers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  if (needRedis) cli = await bundleCli();
}, 60_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(closers.map((c) => c.close()));
  if (cli) rmSync(cli, { force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a `tenzo-worker` process on `queue` and resolves once it takes jobs. */
function startWorker(queue: string, log: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const argv = [cli, '--redis', url, '--queue', queue, '--module', module, '--export', 'batch'];
  const child = spawn(process.execPath, [...argv, '--lock-ms', '1000', '--stalled-ms', '300'], {
    env: { ...process.env, TENZO_TEST_LOG: log, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('tenzo-worker: ready')) resolve(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`tenzo-worker exited (${code}) before it was ready: ${err}`)),
    );
  });
}

const logged = (log: string) =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .reduce((s, l) => s + Number(l), 0);

function engine(queue: string, runId: string) {
  const e = bullmqEngine({ connection: url, queue, runId, chunk: 16 });
  closers.push(e);
  return e;
}

describe.runIf(needRedis)('HTBB through BullMQ and tenzo-worker processes', () => {
  let ref: Awaited<ReturnType<typeof htbbApprox>>;
  beforeAll(async () => {
    ref = await htbbApprox(bf.batch, opts);
  });

  it('2 workers: exactly the in-process interpolant and evaluation count; a worker SIGKILLed mid-job loses and double-counts nothing', async () => {
    const queue = `${run}-kill`;
    const log = join(dir, 'kill.log');
    writeFileSync(log, '');
    // the first worker dies in its 4th job, halfway through evaluating it
    const [dying] = await Promise.all([
      startWorker(queue, log, { TENZO_TEST_DIE_AT: '4' }),
      startWorker(queue, log),
    ]);
    const died = new Promise<NodeJS.Signals | null>((resolve) => dying!.once('exit', (_c, s) => resolve(s)));
    const e = engine(queue, 'kill');
    const res = await htbbApprox(e, opts);
    expect(await died).toBe('SIGKILL');
    expect(res.ht).toEqual(ref.ht);
    expect(res.evaluations).toBe(ref.evaluations);
    expect(res.box.batches).toBe(ref.box.batches);
    // each point taken once by the client, each completed evaluation logged once
    expect(e.stats.points).toBe(ref.evaluations);
    expect(logged(log)).toBe(ref.evaluations);
    // the job the dead worker held went back to the queue (BullMQ's stalled-job check) and was done elsewhere
    const u = new URL(url);
    const q = new Queue(queue, { connection: { host: u.hostname, port: Number(u.port || 6379) } });
    closers.push(q);
    const jobs = await q.getJobs(['completed']);
    expect(jobs.length).toBe(e.stats.jobs);
    expect(jobs.filter((j) => j.stalledCounter > 0).length).toBe(1);
  });

  it('a client restarted with the same run id takes the finished jobs from the queue and evaluates the rest', async () => {
    const queue = `${run}-resume`;
    const log = join(dir, 'resume.log');
    writeFileSync(log, '');
    await Promise.all([startWorker(queue, log), startWorker(queue, log)]);
    // the first client dies after its 5th batch
    const first = engine(queue, 'resume');
    let calls = 0;
    const crashing = {
      name: 'crashing',
      evaluate: (p: Int32Array | Float64Array, c: number, dd: number) => {
        if (++calls > 5) return Promise.reject(new Error('the client crashed'));
        return first.evaluate(p, c, dd);
      },
      close: () => first.close(),
    };
    await expect(htbbApprox(new BlackBox(crashing, { n: bf.n, d }), opts)).rejects.toThrow(/client crashed/);
    const done = logged(log);
    expect(done).toBe(first.stats.points);
    const second = engine(queue, 'resume');
    const res = await htbbApprox(second, opts);
    expect(res.ht).toEqual(ref.ht);
    expect(res.evaluations).toBe(ref.evaluations);
    expect(second.stats.foundJobs).toBe(first.stats.jobs);
    // nothing the first client had evaluated was evaluated again
    expect(logged(log)).toBe(ref.evaluations);
  });
});
