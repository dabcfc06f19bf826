/**
 * `tenzo-bench htbb-table`: the HTBB paper's optimisation table with every column of issue #25
 * (suites/htbbTable.ts). A run is one (function, seed) with all methods; runs are saved after
 * each one so an interrupted command resumes (`--fresh` starts over), ordered seed by seed so
 * a partial run covers every function. Prints the table of means (`*` marks the best per
 * function), writes markdown + JSON and one SVG per function of mean best-so-far vs evaluations.
 * The paper's protocol (d = 256, seeds 1..10, budget 10⁴) takes tens of minutes: it is `--full`;
 * the default is a one-minute version (d = 32, seeds 1..3, budget 2000).
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type Column, defineCommand, formatTable, linePlotSvg, markdownTable } from '@tenzo/cli';
import { progressBar, writeReport, writeSvg } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { BENCHMARK_NAMES, type BenchmarkName } from '@tenzo/decomp';
import { summarizeTable, TABLE_METHODS, type TableRun, tableRun, tableTraces } from './suites/htbbTable.js';

export const htbbTableCommand = defineCommand({
  description:
    "the HTBB paper's optimisation table (HTBB.md §7) with every column: HTBB, TTOpt, PROTES, nevergrad's OnePlusOne / DiscreteOnePlusOne / SPSA / PSO, (1+1)-ES, random search, and the reference's stored columns at d = 256; --full: the paper's protocol (d = 256, seeds 1..10, budget 10⁴)",
  flags: {
    d: { type: 'integer', min: 2, max: 1024, help: 'dimension (default 32; --full 256; --quick 8)' },
    seeds: { type: 'range', min: 0, help: 'run seeds (default 1..3; --full 1..10; --quick 1)' },
    budget: {
      type: 'integer',
      min: 1,
      help: 'unique evaluations per run (default 2000; --full 10000; --quick 300)',
    },
    functions: {
      type: 'string',
      meta: 'list',
      help: `comma-separated subset of ${BENCHMARK_NAMES.join(',')}`,
    },
    quick: { type: 'boolean', help: 'smoke test: d = 8, seed 1, budget 300' },
    full: {
      type: 'boolean',
      help: "the paper's protocol: d = 256, seeds 1..10, budget 10⁴ (tens of minutes)",
    },
    fresh: { type: 'boolean', help: 'ignore saved runs of an earlier, interrupted command' },
    out: {
      type: 'string',
      default: 'runs/bench',
      meta: 'dir',
      help: 'folder for htbb-table-d<d>.json/.md/.svg',
    },
  },
});

export interface HtbbTableFlags {
  d?: number | undefined;
  seeds?: number[] | undefined;
  budget?: number | undefined;
  functions?: string | undefined;
  quick: boolean;
  full: boolean;
  fresh: boolean;
  out: string;
  json?: string | undefined;
}

function parseFunctions(list: string | undefined): BenchmarkName[] {
  if (list === undefined) return [...BENCHMARK_NAMES];
  return list.split(',').map((raw) => {
    const name = BENCHMARK_NAMES.find((n) => n.toLowerCase() === raw.trim().toLowerCase());
    if (name === undefined)
      throw new ArgumentError(`--functions: expected names from ${BENCHMARK_NAMES.join(', ')}, got '${raw}'`);
    return name;
  });
}

const value = (v: unknown) => (typeof v === 'number' ? v.toPrecision(4) : '');

/** the table's columns; `*` marks each function's best mean */
function columns(summary: Record<string, number | string>[], d: number): Column[] {
  const cols: Column[] = [{ key: 'function' }, { key: 'seeds' }];
  for (const m of TABLE_METHODS)
    cols.push({
      key: m.key,
      header: m.header,
      format: (v, row) => `${value(v)}${(row as Record<string, unknown>).best === m.key ? '*' : ''}`,
    });
  cols.push({
    key: 'gap',
    header: 'tenzo vs best baseline',
    format: (v) => (typeof v === 'number' ? `${(100 * v).toFixed(1)}%` : ''),
  });
  if (d === 256)
    for (const [key, header] of [
      ['refHtbb', 'ref HTBB'],
      ['refTtopt', 'ref TTOpt'],
      ['refOpo', 'ref OPO'],
      ['refSpsa', 'ref SPSA'],
      ['refPso', 'ref PSO'],
    ] as const)
      cols.push({ key, header, format: value });
  return cols.filter((c) => summary.some((r) => r[c.key] !== undefined));
}

/** Runs `tenzo-bench htbb-table`; returns the files written. */
export async function runHtbbTable(flags: HtbbTableFlags): Promise<string[]> {
  if (flags.quick && flags.full) throw new ArgumentError('--quick and --full exclude each other');
  const preset = flags.full
    ? { d: 256, seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], budget: 10_000 }
    : flags.quick
      ? { d: 8, seeds: [1], budget: 300 }
      : { d: 32, seeds: [1, 2, 3], budget: 2000 };
  const d = flags.d ?? preset.d;
  const seeds = flags.seeds ?? preset.seeds;
  const budget = flags.budget ?? preset.budget;
  const fns = parseFunctions(flags.functions);
  const base = join(flags.out, `htbb-table-d${d}`);
  const config = { d, budget, methods: TABLE_METHODS.map((m) => m.key) };
  const savedPath = `${base}.runs.json`;
  let saved: TableRun[] = [];
  if (!flags.fresh && existsSync(savedPath)) {
    const doc = JSON.parse(readFileSync(savedPath, 'utf8')) as { config: typeof config; runs: TableRun[] };
    if (JSON.stringify(doc.config) === JSON.stringify(config)) saved = doc.runs;
  }
  const done = new Map(saved.map((r) => [`${r.fn}/${r.seed}`, r]));
  const todo = seeds
    .flatMap((seed) => fns.map((fn) => ({ fn, seed })))
    .filter((j) => !done.has(`${j.fn}/${j.seed}`));
  const bar = progressBar({ label: `htbb-table d=${d}`, total: todo.length, unit: 'runs' });
  for (const job of todo) {
    const run = await tableRun(job.fn, d, job.seed, budget);
    done.set(`${job.fn}/${job.seed}`, run);
    writeReport(savedPath, { config, runs: [...done.values()] });
    bar.tick(1, { last: `${job.fn}#${job.seed} HTBB ${run.methods.htbb.value.toPrecision(4)}` });
  }
  bar.done();
  const runs = fns.flatMap((fn) => seeds.map((seed) => done.get(`${fn}/${seed}`)!));
  const summary = summarizeTable(runs, d);
  const cols = columns(summary, d);
  console.log(formatTable(summary, cols));
  const behind = summary.filter((r) => (r.gap as number) > 0).map((r) => r.function);
  const verdict =
    behind.length === 0
      ? "tenzo's best method (HTBB or its (1+1)-ES) is ≤ every baseline's mean on every function"
      : `tenzo's best method is behind the best baseline on: ${behind.join(', ')}`;
  console.log(verdict);
  const machine = `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), Node ${process.version}`;
  const report = {
    suite: 'htbb-table',
    config: { ...config, seeds, functions: fns },
    machine,
    verdict,
    summary,
    runs,
  };
  const files: string[] = [];
  writeReport(`${base}.json`, report);
  files.push(`${base}.json`);
  writeFileAtomic(
    `${base}.md`,
    [
      `# tenzo-bench htbb-table, d = ${d}`,
      '',
      `Seeds ${seeds.join(', ')}; budget ${budget} unique evaluations; means over seeds, \`*\` the best per function; ${machine}.${d === 256 ? ' ref columns: the reference repository’s stored results (HTBB.md §7), not run here.' : ''}`,
      '',
      markdownTable(summary, cols),
      '',
      verdict,
      '',
    ].join('\n'),
  );
  files.push(`${base}.md`);
  for (const fn of fns) {
    const series = tableTraces(
      runs.filter((r) => r.fn === fn),
      budget,
    );
    const logY = series.every((s) => s.y.every((v) => !Number.isFinite(v) || v > 0));
    writeSvg(
      `${base}-${fn}.svg`,
      linePlotSvg({
        logY,
        title: `${fn}, d = ${d}: mean best-so-far over ${seeds.length} seeds`,
        xLabel: 'unique evaluations',
        yLabel: 'best value found',
        series: series.map((s) => ({ ...s, dashed: s.name !== 'HTBB' })),
      }),
    );
    files.push(`${base}-${fn}.svg`);
  }
  if (flags.json) {
    writeReport(flags.json, report);
    files.push(flags.json);
  }
  return files;
}
