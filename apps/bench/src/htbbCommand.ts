/**
 * `tenzo-bench htbb approx|opt`: the HTBB paper's tables (docs/HTBB.md §7) measured with
 * @tenzo/decomp — per (function, seed) runs with a progress bar, saved after every run so an
 * interrupted command resumes where it stopped (`--fresh` starts over), then per-function means,
 * a terminal table, markdown + JSON reports and (opt) SVGs of best-so-far vs evaluations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type Column, defineCommand, formatTable, linePlotSvg, markdownTable } from '@tenzo/cli';
import { progressBar, writeReport, writeSvg } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { BENCHMARK_NAMES, type BenchmarkName } from '@tenzo/decomp';
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

export const htbbCommand = defineCommand({
  description:
    'HTBB (arXiv 2402.02890) on the 14 benchmark functions: approx (error, evaluations vs TT-cross) or opt (minimum found vs TT-cross, (1+1)-ES, random search); engines: speedup and overhead of the evaluation engines (in-process, 2 worker threads, 2 tenzo-worker processes on BullMQ)',
  positionals: { name: 'approx|opt|engines', min: 1, max: 1, help: 'which table of HTBB.md §7, or engines' },
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

/** Runs `tenzo-bench htbb <mode>`; returns the files written. */
export async function runHtbb(positionals: string[], flags: HtbbFlags): Promise<string[]> {
  const mode = positionals[0];
  if (mode === 'engines') return runEngines(flags);
  if (mode !== 'approx' && mode !== 'opt')
    throw new ArgumentError(`htbb: mode must be approx, opt or engines, got '${mode}'`);
  const d = flags.quick ? 16 : flags.d;
  const seeds = flags.quick ? [1, 2] : flags.seeds;
  const sweeps = flags.quick ? 10 : flags.sweeps;
  const budget = flags.quick ? 2000 : flags.budget;
  const testSize = flags.quick ? 1000 : 10_000;
  const fns = parseFunctions(flags.functions);
  const base = join(flags.out, `htbb-${mode}-d${d}`);
  const config = { mode, d, sweeps, budget, testSize, testSeed: flags.seed };
  // resume: runs of the same configuration saved by an earlier command
  const savedPath = `${base}.runs.json`;
  let saved: (ApproxRun | OptRun)[] = [];
  if (!flags.fresh && existsSync(savedPath)) {
    const doc = JSON.parse(readFileSync(savedPath, 'utf8')) as {
      config: typeof config;
      runs: (ApproxRun | OptRun)[];
    };
    if (JSON.stringify(doc.config) === JSON.stringify(config)) saved = doc.runs;
  }
  const done = new Map(saved.map((r) => [`${r.fn}/${r.seed}`, r]));
  const todo = fns
    .flatMap((fn) => seeds.map((seed) => ({ fn, seed })))
    .filter((j) => !done.has(`${j.fn}/${j.seed}`));
  const bar = progressBar({ label: `htbb ${mode} d=${d}`, total: todo.length, unit: 'runs' });
  for (const job of todo) {
    const run =
      mode === 'approx'
        ? await approxRun(job.fn, d, job.seed, { sweeps, testSize, testSeed: flags.seed })
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
