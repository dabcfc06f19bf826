import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@tenzo/core';

/** A CLI to run as a child process: the script and its environment. */
export interface CliProcess {
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
}

interface RunResult {
  code: number | null;
  killed: boolean;
  stderr: string;
  /** ms from the training banner to exit (null when the banner never came) */
  trainMs: number | null;
}

/**
 * Runs the CLI once; with `killAfterMs` it is killed with SIGKILL that long after `banner`
 * first appears on its stderr (when training starts, so the kill lands in the work itself).
 */
function runOnce(
  cli: CliProcess,
  argv: readonly string[],
  banner: string,
  killAfterMs: number | null,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.script, ...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: cli.env,
    });
    let stderr = '';
    let startedAt: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    let killed = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (startedAt === null && stderr.includes(banner)) {
        startedAt = performance.now();
        if (killAfterMs !== null)
          timer = setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      const trainMs = startedAt === null ? null : performance.now() - startedAt;
      resolve({ code, killed: killed && code === null, stderr, trainMs });
    });
  });
}

/** Checkpoint files under `dir` with their modification times: changes when a run made progress. */
function checkpointMarker(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (e === 'checkpoint.safetensors' || e === 'sweep-state.json') out.push(`${p}@${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort().join('|');
}

export interface KillResumeResult {
  /** SIGKILLs that landed */
  readonly kills: number;
  /** of them, kills after which the checkpoints had moved on since the previous start */
  readonly killsAfterProgress: number;
  readonly runs: number;
}

/**
 * Interrupts a resumable CLI run with SIGKILL at `kills` random moments spread over its
 * training, restarting it each time, then lets the last run finish. The moments are random
 * points of the uninterrupted run's training time `trainMs` (from `banner` to exit), sorted, so
 * each restart is killed the gap to the next point after its own banner. Throws if a run fails.
 */
export async function killAndResume(
  cli: CliProcess,
  argv: readonly string[],
  opts: { kills: number; trainMs: number; seed: number; banner: string; outDir: string },
): Promise<KillResumeResult> {
  const rng = new Rng(opts.seed);
  // up to 90% of the training time, so timing noise rarely lets a run finish before its kill
  const points = Array.from({ length: opts.kills }, () => rng.uniform() * 0.9 * opts.trainMs).sort(
    (a, b) => a - b,
  );
  let kills = 0;
  let killsAfterProgress = 0;
  let runs = 0;
  let prev = 0;
  for (const p of points) {
    const before = checkpointMarker(opts.outDir);
    const r = await runOnce(cli, argv, opts.banner, Math.max(1, p - prev));
    runs++;
    if (r.killed) {
      kills++;
      // a restart spends time loading before it trains again: when a kill came before the next
      // checkpoint, the next run gets this gap as well as its own
      if (checkpointMarker(opts.outDir) !== before) {
        killsAfterProgress++;
        prev = p;
      }
    } else if (r.code !== 0) throw new Error(`run ${runs} exited with ${r.code}:\n${r.stderr.slice(-2000)}`);
    else return { kills, killsAfterProgress, runs };
  }
  const last = await runOnce(cli, argv, opts.banner, null);
  runs++;
  if (last.code !== 0) throw new Error(`the last run exited with ${last.code}:\n${last.stderr.slice(-2000)}`);
  return { kills, killsAfterProgress, runs };
}

/** One uninterrupted run; returns its training time (banner to exit) in ms. */
export async function runToEnd(cli: CliProcess, argv: readonly string[], banner: string): Promise<number> {
  const r = await runOnce(cli, argv, banner, null);
  if (r.code !== 0 || r.trainMs === null)
    throw new Error(
      `the run exited with ${r.code}${r.trainMs === null ? ` before '${banner}'` : ''}:\n${r.stderr.slice(-2000)}`,
    );
  return r.trainMs;
}
