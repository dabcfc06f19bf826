/**
 * `tenzo-bench htbb engines`: HTBB (approximation, Alpine) through each evaluation engine of
 * @tenzo/engines, interleaved with the in-process run it must equal — the speedup for an
 * expensive black box (every evaluation busy-waits `costMs`, keeping a core busy as a simulation
 * would) with 2 worker threads and with 2 `tenzo-worker` processes on BullMQ, and the overhead per
 * evaluation of each engine on the bare (trivial) function. Every run is checked to give the
 * in-process interpolant and evaluation count exactly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { benchmarkFunction, benchmarkModuleSource, htbbApprox } from '@tenzo/decomp';
import type { EvaluationEngine } from '@tenzo/engines';
import { bullmqEngine, redisReachable, threadEngine } from '@tenzo/engines/node';
import { type BenchRow, interleavedRows, measureInterleaved } from '../harness.js';

export interface EnginesCase {
  label: string;
  d: number;
  sweeps: number;
  costMs: number;
  /**
   * how an evaluation spends `costMs`: 'busy' keeps a core busy (a simulation; the default),
   * 'sleep' waits (Atomics.wait: a remote instrument or service) — the engine's own overhead,
   * unaffected by how many cores other processes leave free
   */
  cost?: 'busy' | 'sleep';
  /** rows per BullMQ job */
  chunk: number;
}

/** The default cases: short enough for `pnpm bench`-sized runs (≈ 45 s on 2 cores). */
export const ENGINE_CASES: EnginesCase[] = [
  { label: 'Alpine d=8, 2 sweeps, 10 ms/evaluation (busy-wait)', d: 8, sweeps: 2, costMs: 10, chunk: 1 },
  {
    label: 'Alpine d=8, 2 sweeps, 10 ms/evaluation (sleep)',
    d: 8,
    sweeps: 2,
    costMs: 10,
    cost: 'sleep',
    chunk: 1,
  },
  { label: 'Alpine d=64, 4 sweeps, trivial', d: 64, sweeps: 4, costMs: 0, chunk: 16 },
];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** A Redis: TENZO_REDIS_URL, one on the default port, or a redis-server started here (null: none). */
async function redis(): Promise<{ url: string; stop: () => void } | null> {
  const env = process.env.TENZO_REDIS_URL;
  if (env !== undefined) return (await redisReachable(env)) ? { url: env, stop: () => {} } : null;
  if (await redisReachable('redis://127.0.0.1:6379'))
    return { url: 'redis://127.0.0.1:6379', stop: () => {} };
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const failed = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  const url = `redis://127.0.0.1:${port}`;
  if (failed || !(await redisReachable(url))) return null;
  return { url, stop: () => child.kill('SIGTERM') };
}

/** `tenzo-worker` processes (apps/worker's build) on `queue`, resolved once each takes jobs. */
async function startWorkers(n: number, url: string, queue: string, module: string): Promise<ChildProcess[]> {
  const cli = join(
    dirname(createRequire(import.meta.url).resolve('@tenzo/worker-app/package.json')),
    'dist',
    'cli.js',
  );
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [cli, '--redis', url, '--queue', queue, '--module', module, '--export', 'batch'],
            {
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          // the line may come in pieces
          let out = '';
          child.stdout!.on('data', (b: Buffer) => {
            out += b.toString();
            if (out.includes('tenzo-worker: ready')) resolve(child);
          });
          child.once('exit', (code) =>
            reject(new Error(`tenzo-worker exited (${code}) before it was ready`)),
          );
        }),
    ),
  );
}

/** Rows of the engines benchmark: per case, in-process, threads×2 and (with a Redis) bullmq×2. */
export async function htbbEnginesSuite(opts: { cases?: EnginesCase[]; rounds?: number } = {}): Promise<{
  rows: BenchRow[];
  notes: string[];
}> {
  const cases = opts.cases ?? ENGINE_CASES;
  const rounds = opts.rounds ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'tenzo-bench-engines-'));
  const r = await redis();
  const notes: string[] = [];
  if (r === null)
    notes.push('no Redis (TENZO_REDIS_URL, port 6379 or a redis-server binary): BullMQ rows left out');
  const rows: BenchRow[] = [];
  const children: ChildProcess[] = [];
  const open: EvaluationEngine[] = [];
  try {
    for (const [ci, c] of cases.entries()) {
      const bf = benchmarkFunction('Alpine', c.d);
      let module = join(dir, `case${ci}.mjs`);
      const sleep = c.cost === 'sleep';
      writeFileSync(module, benchmarkModuleSource(bf, { costMs: sleep ? 0 : c.costMs }));
      if (sleep) {
        // the same values after an Atomics.wait of costMs per evaluation
        module = join(dir, `case${ci}-sleep.mjs`);
        writeFileSync(
          module,
          [
            `import { batch as values } from './case${ci}.mjs';`,
            'const cell = new Int32Array(new SharedArrayBuffer(4));',
            'export function batch(points, count, d) {',
            `  for (let i = 0; i < count; i++) Atomics.wait(cell, 0, 0, ${c.costMs});`,
            '  return values(points, count, d);',
            '}',
            'export default batch;',
            '',
          ].join('\n'),
        );
      }
      const { batch } = (await import(module)) as { batch: typeof bf.batch };
      const opts0 = { d: c.d, n: bf.n, sweeps: c.sweeps, seed: 1 };
      const ref = await htbbApprox(batch, opts0);
      const check = (name: string, res: typeof ref) => {
        if (
          res.evaluations !== ref.evaluations ||
          JSON.stringify(res.ht.cores) !== JSON.stringify(ref.ht.cores)
        )
          throw new Error(`htbb engines: ${name} differs from the in-process run`);
      };
      const threads = threadEngine({ module, export: 'batch', kind: 'batched', threads: 2 });
      open.push(threads);
      const impls = [
        { name: 'in-process', run: async () => check('in-process', await htbbApprox(batch, opts0)) },
        { name: 'threads×2', run: async () => check('threads×2', await htbbApprox(threads, opts0)) },
      ];
      if (r !== null) {
        const queue = `bench-${process.pid}-${ci}`;
        children.push(...(await startWorkers(2, r.url, queue, module)));
        let engine: EvaluationEngine | null = null;
        let k = 0;
        impls.push({
          name: 'bullmq×2',
          // a fresh run id per run (untimed): a reused one would be answered from the queue
          prepare: async () => {
            await engine?.close();
            engine = bullmqEngine({ connection: r.url, queue, runId: `r${k++}`, chunk: c.chunk });
            open.push(engine);
          },
          run: async () => check('bullmq×2', await htbbApprox(engine!, opts0)),
        } as (typeof impls)[number]);
      }
      const result = await measureInterleaved(impls, {
        warmup: 1,
        minRounds: rounds,
        minTimeMs: 0,
        baseline: 'in-process',
      });
      const base = result.timings[0]!.medianMs;
      const perEval = (ms: number) => (ms - base) / ref.evaluations;
      const caseNotes: Record<string, string> = {};
      for (const t of result.timings) {
        const ratio = result.ratios.get(t.name)!;
        caseNotes[t.name] =
          t.name === 'in-process'
            ? `${ref.evaluations} evaluations in ${ref.box.batches} batches`
            : c.costMs > 0
              ? `speedup ${(1 / ratio.median).toFixed(2)}× (per-round ${(1 / ratio.p75).toFixed(2)}–${(1 / ratio.p25).toFixed(2)}×)`
              : `overhead ${(1000 * perEval(t.medianMs)).toFixed(0)} µs/evaluation (${ratio.median.toFixed(1)}× in-process time)`;
      }
      rows.push(...interleavedRows(result, { suite: 'htbb-engines', case: c.label }, caseNotes));
    }
  } finally {
    await Promise.all(open.map((e) => e.close()));
    for (const ch of children) ch.kill('SIGTERM');
    r?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}
