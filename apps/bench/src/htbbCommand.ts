/**
 * `tenzo-bench htbb approx|opt|sweep|engines`: the HTBB paper's tables (docs/HTBB.md §7) measured with
 * @tenzo/decomp — per (function, seed) runs with a progress bar, saved after every run so an
 * interrupted command resumes where it stopped (`--fresh` starts over), then per-function means,
 * a terminal table, markdown + JSON reports and (opt) SVGs of best-so-far vs evaluations; sweep:
 * the spread of approximation cost over seeds (max/median evaluations per function, with an SVG).
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { barChartSvg, type Column, defineCommand, formatTable, linePlotSvg, markdownTable } from '@tenzo/cli';
import { progressBar, writeReport, writeSvg } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { BENCHMARK_NAMES, type BenchmarkName, type HtbbApproxOptions } from '@tenzo/decomp';
import {
  type ApproxRun,
  approxRun,
  meanTraces,
  OPT_METHODS,
  type OptRun,
  optRun,
  summarizeApprox,
  summarizeOpt,
} from './suites/htbb.js';
import { htbbEnginesSuite } from './suites/htbbEngines.js';
import { type SweepRun, summarizeSweep, sweepRun } from './suites/htbbSweep.js';

export const htbbCommand = defineCommand({
  description:
    'HTBB (arXiv 2402.02890) on the 14 benchmark functions: approx (error, evaluations vs TT-cross) or opt (minimum found vs TT-cross, (1+1)-ES, random search); sweep: spread of the approximation cost over seeds (max/median evaluations per function); engines: speedup and overhead of the evaluation engines (in-process, 2 worker threads, 2 tenzo-worker processes on BullMQ)',
  positionals: {
    name: 'approx|opt|sweep|engines',
    min: 1,
    max: 1,
    help: 'which table of HTBB.md §7, the seed sweep, or engines',
  },
  flags: {
    d: { type: 'integer', default: 256, min: 2, max: 1024, help: 'dimension' },
    seeds: { type: 'range', default: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], min: 0, help: 'run seeds, e.g. 1..10' },
    functions: {
      type: 'string',
      meta: 'list',
      help: `comma-separated subset of ${BENCHMARK_NAMES.join(',')}`,
    },
    budget: { type: 'integer', default: 10_000, min: 1, help: 'opt: unique evaluations per run' },
    sweeps: { type: 'integer', default: 100, min: 1, help: 'approx: HTBB sweeps' },
    dims: { type: 'range', default: [8, 16, 32], min: 2, max: 1024, help: 'sweep: dimensions, e.g. 8,16,32' },
    unbounded: {
      type: 'boolean',
      help: "approx, sweep: the reference's policy (no rank cap, no validation) instead of the bounded default",
    },
    quick: { type: 'boolean', help: 'smoke test: d = 16, seeds 1..2, 10 sweeps, budget 2000' },
    fresh: { type: 'boolean', help: 'ignore saved runs of an earlier, interrupted command' },
    out: {
      type: 'string',
      default: 'runs/bench',
      meta: 'dir',
      help: 'folder for htbb-<mode>-d<d>.json/.md/.svg',
    },
  },
});

export interface HtbbFlags {
  d: number;
  dims?: number[];
  unbounded?: boolean;
  seeds: number[];
  functions?: string | undefined;
  budget: number;
  sweeps: number;
  quick: boolean;
  fresh: boolean;
  out: string;
  json?: string | undefined;
  seed: number;
}

function parseFunctions(list: string | undefined): BenchmarkName[] {
  if (list === undefined) return [...BENCHMARK_NAMES];
  const out: BenchmarkName[] = [];
  for (const raw of list.split(',')) {
    const name = BENCHMARK_NAMES.find((n) => n.toLowerCase() === raw.trim().toLowerCase());
    if (name === undefined) {
      throw new ArgumentError(`--functions: expected names from ${BENCHMARK_NAMES.join(', ')}, got '${raw}'`);
    }
    out.push(name);
  }
  return out;
}

const sci = (v: unknown) => (typeof v === 'number' ? v.toExponential(2) : '');
const fix = (digits: number) => (v: unknown) => (typeof v === 'number' ? v.toFixed(digits) : '');

const approxColumns: Column[] = [
  { key: 'function' },
  { key: 'seeds' },
  { key: 'htbbErr', header: 'HTBB err', format: sci },
  { key: 'refErr', header: 'ref err', format: sci },
  { key: 'htbbEvals', header: 'HTBB evals' },
  { key: 'refEvals', header: 'ref evals' },
  { key: 'ttErr', header: 'TT-cross err', format: sci },
  { key: 'refTtErr', header: 'ref TT err', format: sci },
  { key: 'maxRank', header: 'max rank' },
  { key: 'htbbSeconds', header: 'HTBB s', format: fix(2) },
  { key: 'ttSeconds', header: 'TT s', format: fix(2) },
  { key: 'speedup', header: 'vs ref time', format: (v) => (typeof v === 'number' ? `${v.toFixed(0)}×` : '') },
];

const optColumns: Column[] = [
  { key: 'function' },
  { key: 'seeds' },
  { key: 'htbb', header: 'HTBB', format: (v) => (typeof v === 'number' ? v.toPrecision(4) : '') },
  { key: 'refHtbb', header: 'ref HTBB', format: (v) => (typeof v === 'number' ? v.toPrecision(4) : '') },
  {
    key: 'vsRef',
    header: 'vs ref',
    format: (v) => (typeof v === 'number' ? `${(100 * v).toFixed(2)}%` : ''),
  },
  { key: 'tt-cross', header: 'TT-cross', format: (v) => (typeof v === 'number' ? v.toPrecision(4) : '') },
  { key: 'one-plus-one', header: '(1+1)-ES', format: (v) => (typeof v === 'number' ? v.toPrecision(4) : '') },
  { key: 'random', header: 'random', format: (v) => (typeof v === 'number' ? v.toPrecision(4) : '') },
  { key: 'refOpo', header: 'ref OPO', format: (v) => (typeof v === 'number' ? v.toPrecision(4) : '') },
  { key: 'htbbEvals', header: 'HTBB evals' },
  { key: 'htbbSeconds', header: 'HTBB s', format: fix(2) },
];

/** --unbounded: the reference's policy (no rank cap, no validation), else the library's bounded defaults. */
function policyOptions(flags: HtbbFlags): Partial<HtbbApproxOptions> {
  return flags.unbounded ? { maxRank: Number.POSITIVE_INFINITY, validation: 0 } : {};
}

/** The runs an earlier, interrupted command saved at `path` for the same `config` (none when `fresh`). */
function loadSavedRuns<T>(path: string, config: object, fresh: boolean): T[] {
  if (fresh || !existsSync(path)) return [];
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { config: unknown; runs: T[] };
  return JSON.stringify(doc.config) === JSON.stringify(config) ? doc.runs : [];
}

/** Runs `tenzo-bench htbb <mode>`; returns the files written. */
export async function runHtbb(positionals: string[], flags: HtbbFlags): Promise<string[]> {
  const mode = positionals[0];
  if (mode === 'engines') return runEngines(flags);
  if (mode === 'sweep') return runSweep(flags);
  if (mode !== 'approx' && mode !== 'opt')
    throw new ArgumentError(`htbb: mode must be approx, opt, sweep or engines, got '${mode}'`);
  const d = flags.quick ? 16 : flags.d;
  const seeds = flags.quick ? [1, 2] : flags.seeds;
  const sweeps = flags.quick ? 10 : flags.sweeps;
  const budget = flags.quick ? 2000 : flags.budget;
  const testSize = flags.quick ? 1000 : 10_000;
  const fns = parseFunctions(flags.functions);
  const base = join(
    flags.out,
    `htbb-${mode}-d${d}${mode === 'approx' && flags.unbounded ? '-unbounded' : ''}`,
  );
  // approx: the rank policy is part of the configuration (runs saved before the bounded default
  // carry none, so they are not resumed as bounded runs)
  const policy = mode === 'approx' ? { policy: flags.unbounded ? 'unbounded' : 'bounded' } : {};
  const config = { mode, d, sweeps, budget, testSize, testSeed: flags.seed, ...policy };
  // resume: runs of the same configuration saved by an earlier command
  const savedPath = `${base}.runs.json`;
  const saved = loadSavedRuns<ApproxRun | OptRun>(savedPath, config, flags.fresh);
  const done = new Map(saved.map((r) => [`${r.fn}/${r.seed}`, r]));
  const todo = fns
    .flatMap((fn) => seeds.map((seed) => ({ fn, seed })))
    .filter((j) => !done.has(`${j.fn}/${j.seed}`));
  const bar = progressBar({ label: `htbb ${mode} d=${d}`, total: todo.length, unit: 'runs' });
  for (const job of todo) {
    const run =
      mode === 'approx'
        ? await approxRun(job.fn, d, job.seed, {
            sweeps,
            testSize,
            testSeed: flags.seed,
            htbb: policyOptions(flags),
          })
        : await optRun(job.fn, d, job.seed, { budget });
    done.set(`${job.fn}/${job.seed}`, run);
    writeReport(savedPath, { config, runs: [...done.values()] });
    const last =
      mode === 'approx'
        ? `${job.fn}#${job.seed} err ${(run as ApproxRun).htbbErr.toExponential(1)}`
        : `${job.fn}#${job.seed} best ${(run as OptRun).methods.htbb.value.toPrecision(4)}`;
    bar.tick(1, { last });
  }
  bar.done();
  const runs = fns.flatMap((fn) => seeds.map((seed) => done.get(`${fn}/${seed}`)!));
  const summary =
    mode === 'approx' ? summarizeApprox(runs as ApproxRun[], d) : summarizeOpt(runs as OptRun[], d);
  const columns = mode === 'approx' ? approxColumns : optColumns;
  const usable = columns.filter((c) =>
    summary.some((r) => (r as Record<string, unknown>)[c.key] !== undefined),
  );
  console.log(formatTable(summary, usable));
  const machine = {
    node: process.version,
    platform: process.platform,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  };
  const report = {
    suite: `htbb-${mode}`,
    config: { ...config, seeds, functions: fns },
    machine,
    summary,
    runs,
  };
  const files: string[] = [];
  writeReport(`${base}.json`, report);
  files.push(`${base}.json`);
  const md = [
    `# tenzo-bench htbb ${mode}, d = ${d}`,
    '',
    `Seeds ${seeds.join(', ')}; ${mode === 'approx' ? `${sweeps} sweeps, test set ${testSize} points (seed ${flags.seed})` : `budget ${budget} unique evaluations`}; ${machine.cpuModel} (${machine.cpus} cores), Node ${machine.node}.${d === 256 ? ' Reference columns: HTBB.md §7 (d = 256).' : ''}`,
    '',
    markdownTable(summary, usable),
    '',
  ].join('\n');
  writeFileAtomic(`${base}.md`, md);
  files.push(`${base}.md`);
  if (mode === 'opt') {
    for (const fn of fns) {
      const tr = meanTraces(runs.filter((r) => r.fn === fn) as OptRun[], budget);
      // log scale when every value is positive: baselines sit orders of magnitude above HTBB
      const logY = OPT_METHODS.every((k) => tr[k].y.every((v) => !Number.isFinite(v) || v > 0));
      const svg = linePlotSvg({
        logY,
        title: `${fn}, d = ${d}: mean best-so-far over ${seeds.length} seeds`,
        xLabel: 'unique evaluations',
        yLabel: 'best value found',
        series: OPT_METHODS.map((k) => ({ name: k, x: tr[k].x, y: tr[k].y, dashed: k !== 'htbb' })),
      });
      writeSvg(`${base}-${fn}.svg`, svg);
      files.push(`${base}-${fn}.svg`);
    }
  }
  if (flags.json) {
    writeReport(flags.json, report);
    files.push(flags.json);
  }
  return files;
}

const engineColumns: Column[] = [
  { key: 'case' },
  { key: 'impl', header: 'engine' },
  { key: 'medianMs', header: 'median ms', format: fix(0) },
  { key: 'p25Ms', header: 'p25 ms', format: fix(0) },
  { key: 'p75Ms', header: 'p75 ms', format: fix(0) },
  { key: 'samples', header: 'rounds' },
  { key: 'note' },
];

/** `tenzo-bench htbb engines`: the evaluation engines' speedup and overhead (suites/htbbEngines.ts). */
async function runEngines(flags: HtbbFlags): Promise<string[]> {
  const { rows: benchRows, notes } = await htbbEnginesSuite({ rounds: flags.quick ? 1 : 3 });
  const rows = benchRows.map(({ roundsMs: _, ...r }) => ({ ...r }) as Record<string, unknown>);
  console.log(formatTable(rows, engineColumns));
  for (const n of notes) console.log(n);
  const machine = `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), Node ${process.version}`;
  const base = join(flags.out, 'htbb-engines');
  writeReport(`${base}.json`, { suite: 'htbb-engines', machine, notes, rows });
  writeFileAtomic(
    `${base}.md`,
    [
      `# tenzo-bench htbb engines`,
      '',
      `${machine}.`,
      '',
      markdownTable(rows, engineColumns),
      '',
      ...notes,
      '',
    ].join('\n'),
  );
  const files = [`${base}.json`, `${base}.md`];
  if (flags.json) {
    writeReport(flags.json, { suite: 'htbb-engines', machine, notes, rows });
    files.push(flags.json);
  }
  return files;
}

const sweepColumns: Column[] = [
  { key: 'function' },
  { key: 'd' },
  { key: 'seeds' },
  { key: 'medianEvals', header: 'median evals' },
  { key: 'maxEvals', header: 'max evals' },
  { key: 'maxOverMedian', header: 'max/median', format: fix(2) },
  { key: 'meanErr', header: 'mean err', format: sci },
  { key: 'maxErr', header: 'max err', format: sci },
  { key: 'maxRank', header: 'max rank' },
  { key: 'budgetStops', header: 'budget stops' },
  { key: 'meanSeconds', header: 'mean s', format: fix(2) },
];

/**
 * `tenzo-bench htbb sweep`: approximation runs over `--seeds` × `--dims` × functions (resumable),
 * the per-function spread of evaluations (the bar: max ≤ 3 × median) and errors, a table, JSON,
 * markdown and an SVG of max/median per function.
 */
async function runSweep(flags: HtbbFlags): Promise<string[]> {
  const dims = flags.quick ? [8] : (flags.dims ?? [8, 16, 32]);
  const seeds = flags.quick ? [1, 2] : flags.seeds;
  const sweeps = flags.quick ? 10 : flags.sweeps;
  const testSize = flags.quick ? 1000 : 10_000;
  const fns = parseFunctions(flags.functions);
  const policy = flags.unbounded ? 'unbounded' : 'bounded';
  const htbb = policyOptions(flags);
  const base = join(flags.out, `htbb-sweep-${policy}-d${dims.join('_')}`);
  const config = { mode: 'sweep', policy, dims, sweeps, testSize, testSeed: flags.seed };
  const savedPath = `${base}.runs.json`;
  const saved = loadSavedRuns<SweepRun>(savedPath, config, flags.fresh);
  const key = (fn: string, d: number, seed: number) => `${fn}/${d}/${seed}`;
  const done = new Map(saved.map((r) => [key(r.fn, r.d, r.seed), r]));
  const jobs = dims.flatMap((d) => fns.flatMap((fn) => seeds.map((seed) => ({ fn, d, seed }))));
  const todo = jobs.filter((j) => !done.has(key(j.fn, j.d, j.seed)));
  const bar = progressBar({ label: `htbb sweep (${policy})`, total: todo.length, unit: 'runs' });
  for (const job of todo) {
    const run = await sweepRun(job.fn, job.d, job.seed, { sweeps, testSize, testSeed: flags.seed, htbb });
    done.set(key(job.fn, job.d, job.seed), run);
    writeReport(savedPath, { config, runs: [...done.values()] });
    bar.tick(1, { last: `${job.fn} d=${job.d} #${job.seed}: ${run.evals} evals` });
  }
  bar.done();
  const runs = jobs.map((j) => done.get(key(j.fn, j.d, j.seed))!);
  const summary = summarizeSweep(runs);
  console.log(formatTable(summary as unknown as Record<string, unknown>[], sweepColumns));
  const worst = Math.max(...summary.map((r) => r.maxOverMedian));
  console.log(`largest max/median: ${worst.toFixed(2)} (bar: ≤ 3)`);
  const machine = `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), Node ${process.version}`;
  const report = {
    suite: 'htbb-sweep',
    config: { ...config, seeds, functions: fns },
    machine,
    summary,
    runs,
  };
  const md = [
    `# tenzo-bench htbb sweep (${policy}), d = ${dims.join(', ')}`,
    '',
    `Seeds ${seeds.join(', ')}; ${sweeps} sweeps, test set ${testSize} points (seed ${flags.seed}); ${machine}.`,
    '',
    markdownTable(summary as unknown as Record<string, unknown>[], sweepColumns),
    '',
  ].join('\n');
  writeReport(`${base}.json`, report);
  writeFileAtomic(`${base}.md`, md);
  const files = [`${base}.json`, `${base}.md`];
  const svg = barChartSvg({
    title: `HTBB approximation (${policy}): max / median evaluations over ${seeds.length} seeds`,
    yLabel: 'max / median evaluations',
    categories: fns,
    series: dims.map((d) => ({
      name: `d = ${d}`,
      values: fns.map(
        (fn) => summary.find((r) => r.function === fn && r.d === d)?.maxOverMedian ?? Number.NaN,
      ),
    })),
  });
  writeSvg(`${base}.svg`, svg);
  files.push(`${base}.svg`);
  if (flags.json) {
    writeReport(flags.json, report);
    files.push(flags.json);
  }
  return files;
}
