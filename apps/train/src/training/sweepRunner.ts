import { join } from 'node:path';
import { kebabCase, type LineSeries, linePlotSvg, markdownTable } from '@tenzo/cli';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { DEVICE_KINDS } from '@tenzo/hybrid';
import { readSweepFile, runSweep } from '@tenzo/train/node';
import { checkAgainst, SweepResultSchema } from './resultFiles.js';

/**
 * The machinery shared by the paper-table sweeps (`sweep` on MNIST, `audio-sweep` on keywords):
 * the grid of cells, a resumable results.json rewritten after every run, the mean-over-seeds
 * summary, table.md and one accuracy-vs-rank plot per device.
 */

/** One run of a sweep: the extra command-line flags of the training command that define it. */
export interface SweepCell {
  key: string;
  group: string;
  device: string;
  rank?: number;
  samples?: number;
  mode?: string;
  seed: number;
  argv: string[];
}

/** What one finished run contributes to the table. */
export interface CellOutcome {
  testAccuracy: number;
  secondsPerEpoch: number;
  queriesPerStep: number | null;
  /** cos(surrogate x̄, Aᵀȳ) averaged over the last epoch's steps (surrogate modes); absent where not recorded */
  surrogateCosine?: number | null;
}

export interface SweepResult extends Omit<SweepCell, 'argv'>, CellOutcome {}

/** The ablation modes, run at the headline rank and M = 100, in the order they run. */
export const SWEEP_ABLATIONS = ['exact', 'surrogate-only', 'zo-only'] as const;

/** `--devices a,b`: the simulated devices (not none/identity, which are the digital and removed cells). */
export function parseSweepDevices(list: string): string[] {
  const devices = list.split(',').map((d) => d.trim());
  for (const d of devices) {
    if (!(DEVICE_KINDS as readonly string[]).includes(d) || d === 'none' || d === 'identity') {
      throw new ArgumentError(`--devices: expected a list of slm, mrr, mzi, matvec, lowrank, got '${d}'`);
    }
  }
  return devices;
}

export interface GridOptions {
  devices: string[];
  ranks: readonly number[];
  samples: readonly number[];
  seeds: readonly number[];
  /** also run zo-only, surrogate-only and exact at the headline rank, M = 100 */
  ablations: boolean;
  /** rank of the frozen and ablation cells: the paper's 10, or the device width if smaller */
  headlineRank: number;
  /** flags of the digital reference cell */
  digital: (seed: number) => string[];
  /** flags of the layer-removed cell */
  removed: (seed: number) => string[];
  /** flags shared by every cell of one device (the device, the network, the seed) */
  device: (device: string, seed: number) => string[];
}

/**
 * The cells of a sweep in the order they run (cheap baselines first). Per seed: digital, removed,
 * then per device: frozen, the ablations (exact, surrogate-only, zo-only) and the ZO + surrogate
 * grid ranks × samples.
 */
export function gridCells(opts: GridOptions): SweepCell[] {
  const r10 = opts.headlineRank;
  const headline = ['--rank', String(r10), '--samples', '100'];
  const cells: SweepCell[] = [];
  for (const seed of opts.seeds) {
    cells.push({ key: `digital/s${seed}`, group: 'digital', device: 'none', seed, argv: opts.digital(seed) });
    cells.push({
      key: `removed/s${seed}`,
      group: 'removed',
      device: 'identity',
      seed,
      argv: opts.removed(seed),
    });
    for (const device of opts.devices) {
      const base = opts.device(device, seed);
      cells.push({
        key: `${device}/frozen/s${seed}`,
        group: 'frozen',
        device,
        rank: r10,
        seed,
        argv: [...base, ...headline, '--freeze-device'],
      });
      if (opts.ablations) {
        for (const mode of SWEEP_ABLATIONS) {
          cells.push({
            key: `${device}/${mode}/s${seed}`,
            group: mode,
            device,
            mode,
            rank: r10,
            samples: 100,
            seed,
            argv: [...base, ...headline, '--mode', mode],
          });
        }
      }
      for (const rank of opts.ranks) {
        for (const samples of opts.samples) {
          cells.push({
            key: `${device}/r${rank}/m${samples}/s${seed}`,
            group: 'zo+surrogate',
            device,
            rank,
            samples,
            seed,
            argv: [...base, '--rank', String(rank), '--samples', String(samples)],
          });
        }
      }
    }
  }
  return cells;
}

/** The flags that pick a sweep's cells and outputs, not what each cell computes. */
export const SWEEP_SELECTION = [
  'devices',
  'ranks',
  'samples',
  'seeds',
  'ablations',
  'out',
  'json',
  'seed',
  // how runs are checkpointed, not what they compute
  'resume',
  'checkpointEvery',
] as const;

/** `{ flag: default }` of a command's flag specs (for {@link checkResumable}). */
export function flagDefaults(specs: Record<string, object>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(specs).map(([k, spec]) => [k, 'default' in spec ? spec.default : undefined]),
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanOrNull(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : mean(v);
}

export interface RunCellsOptions {
  /** the command's name, recorded in results.json and used in log lines */
  command: string;
  /** the sweep's flags, recorded in results.json */
  config: object;
  out: string;
  cells: SweepCell[];
  /** runs one cell's training with its output in `runDir` */
  run: (cell: SweepCell, runDir: string) => Promise<CellOutcome>;
  /** amends results loaded from an older results.json (e.g. fields recorded since) */
  backfill?: (result: SweepResult, runDir: string) => void;
  /**
   * keys of `config` that pick cells or outputs (devices, seeds, --out, ...) rather than change
   * what a cell computes; with it, every other key must match the results.json being resumed
   */
  selection?: readonly string[];
  /** the flags' defaults, for keys an older results.json does not record */
  defaults?: Record<string, unknown>;
}

/**
 * Runs the cells not yet in `<out>/results.json` (`runSweep` from @tenzo/train), each in its own
 * folder where its training checkpoints, so an interrupted sweep resumes where it stopped, inside
 * the cell it stopped in. Returns the results of `cells`, old and new, in the order they were
 * recorded.
 */
export async function runCells(opts: RunCellsOptions): Promise<SweepResult[]> {
  const done = readSweepFile<SweepResult>(join(opts.out, 'results.json')).results.length;
  console.error(
    `${opts.command}: ${opts.cells.length} runs, ${done} already in ${join(opts.out, 'results.json')}`,
  );
  return runSweep({
    name: opts.command,
    config: opts.config as Record<string, unknown>,
    out: opts.out,
    cells: opts.cells,
    run: opts.run,
    record: ({ argv: _argv, ...meta }) => meta,
    checkResult: (r) => void checkAgainst(SweepResultSchema, r, 'result'),
    ...(opts.selection ? { selection: opts.selection } : {}),
    ...(opts.defaults ? { defaults: opts.defaults } : {}),
    settingName: (key) => `--${kebabCase(key)}`,
    ...(opts.backfill ? { backfill: opts.backfill } : {}),
    onCell: (cell, i, total) => console.error(`\n[${i + 1}/${total}] ${cell.key}`),
  });
}

/** Mean test accuracy per (group, device, rank, samples) over the seeds that finished. */
export function summarize(results: SweepResult[]) {
  const groups = new Map<string, SweepResult[]>();
  for (const r of results) {
    const k = [r.group, r.device, r.rank ?? '', r.samples ?? ''].join('|');
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const r = rs[0]!;
    return {
      group: r.group,
      device: r.device,
      rank: r.rank ?? null,
      samples: r.samples ?? null,
      seeds: rs.length,
      testAccuracy: mean(rs.map((x) => x.testAccuracy)),
      secondsPerEpoch: mean(rs.map((x) => x.secondsPerEpoch)),
      queriesPerStep: r.queriesPerStep,
      surrogateCosine: meanOrNull(rs.map((x) => x.surrogateCosine ?? null)),
    };
  });
}

export interface SweepOutputOptions {
  command: string;
  config: object;
  out: string;
  results: SweepResult[];
  devices: string[];
  ranks: readonly number[];
  samples: readonly number[];
  /** the plot's title for one device */
  title: (device: string) => string;
  /** add the surrogate-cosine column to the table */
  cosine: boolean;
  /** baseline groups drawn as dashed horizontal lines across the rank axis (e.g. digital) */
  references: readonly string[];
  /** also write the summary and every result here */
  json?: string | undefined;
}

/** Prints and writes `<out>/table.md` and `<out>/accuracy-vs-rank-<device>.svg`; returns the summary. */
export function writeSweepOutputs(opts: SweepOutputOptions): ReturnType<typeof summarize> {
  const rows = summarize(opts.results);
  const table = markdownTable(
    rows.map((r) => ({ ...r, testAccuracy: `${(100 * r.testAccuracy).toFixed(2)}%` })),
    [
      'group',
      'device',
      'rank',
      'samples',
      'seeds',
      'testAccuracy',
      { key: 'secondsPerEpoch', number: { fixed: 1 } },
      'queriesPerStep',
      ...(opts.cosine ? [{ key: 'surrogateCosine' as const, number: { fixed: 2 } }] : []),
    ],
  );
  console.log(table);
  writeFileAtomic(join(opts.out, 'table.md'), `${table}\n`);
  for (const device of opts.devices) {
    const series: LineSeries[] = opts.samples.map((m) => {
      const pts = rows
        .filter((r) => r.group === 'zo+surrogate' && r.device === device && r.samples === m)
        .sort((a, b) => a.rank! - b.rank!);
      return {
        name: `M = ${m}`,
        x: pts.map((p) => p.rank!),
        y: pts.map((p) => p.testAccuracy),
        markers: true,
      };
    });
    for (const group of opts.references) {
      const acc = rows.find((r) => r.group === group)?.testAccuracy;
      if (acc === undefined) continue;
      series.push({
        name: group,
        x: [Math.min(...opts.ranks), Math.max(...opts.ranks)],
        y: [acc, acc],
        dashed: true,
      });
    }
    writeSvg(
      join(opts.out, `accuracy-vs-rank-${device}.svg`),
      linePlotSvg({
        title: opts.title(device),
        xLabel: 'rank r',
        yLabel: 'test accuracy',
        logX: true,
        series,
      }),
    );
  }
  if (opts.json)
    writeReport(opts.json, {
      command: opts.command,
      config: opts.config,
      summary: rows,
      results: opts.results,
    });
  return rows;
}
