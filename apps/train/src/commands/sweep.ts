import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defineCommand,
  type FlagValues,
  type LineSeries,
  linePlotSvg,
  markdownTable,
  parseCommand,
} from '@tenzo/cli';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { ArgumentError, FormatError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { DEVICE_KINDS } from '../training/devices.js';
import { type MnistFlags, mnistCommand, runMnist } from './mnist.js';

export const sweepCommand = defineCommand({
  description:
    "the paper's table on MNIST: accuracy vs rank and samples per device, the ablations, frozen/removed baselines and the digital reference, over seeds (resumable)",
  flags: {
    devices: {
      type: 'string',
      default: 'slm,mrr,mzi',
      help: 'comma-separated devices (slm, mrr, mzi, matvec, lowrank)',
    },
    ranks: { type: 'range', default: [1, 5, 10, 50], min: 1, help: 'surrogate ranks r' },
    samples: { type: 'range', default: [10, 100, 1000], min: 1, help: 'M_BB = M_SM values' },
    seeds: { type: 'range', default: [1, 2, 3], min: 0, help: 'seeds, e.g. 1..3' },
    epochs: { type: 'integer', default: 3, min: 1, help: 'epochs per run' },
    width: { type: 'integer', default: 256, min: 2, help: 'hidden width W (784-W-[device W→W]-10)' },
    ablations: {
      type: 'boolean',
      default: true,
      help: 'also run zo-only, surrogate-only and exact at rank 10, M = 100',
    },
    out: {
      type: 'string',
      default: 'runs/sweep',
      meta: 'dir',
      help: 'folder for results.json, the table and the plot',
    },
  },
});

type SweepFlags = FlagValues<typeof sweepCommand.flags>;

/** One run of the sweep: the extra `tenzo-train mnist` flags that define it. */
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

export interface SweepResult extends Omit<SweepCell, 'argv'> {
  testAccuracy: number;
  secondsPerEpoch: number;
  queriesPerStep: number | null;
  /** cos(surrogate x̄, Aᵀȳ) averaged over the last epoch's steps (surrogate modes) */
  surrogateCosine?: number | null;
}

/** The cells of a sweep, in the order they run (cheap baselines first). */
export function sweepCells(
  flags: Pick<SweepFlags, 'devices' | 'ranks' | 'samples' | 'seeds' | 'width' | 'ablations'>,
): SweepCell[] {
  const devices = flags.devices.split(',').map((d) => d.trim());
  for (const d of devices) {
    if (!(DEVICE_KINDS as readonly string[]).includes(d) || d === 'none' || d === 'identity') {
      throw new ArgumentError(`--devices: expected a list of slm, mrr, mzi, matvec, lowrank, got '${d}'`);
    }
  }
  const w = ['--width', String(flags.width)];
  const cells: SweepCell[] = [];
  for (const seed of flags.seeds) {
    const s = ['--seed', String(seed)];
    cells.push({
      key: `digital/s${seed}`,
      group: 'digital',
      device: 'none',
      seed,
      argv: ['--device', 'none', '--hidden', `${flags.width},${flags.width}`, ...s],
    });
    cells.push({
      key: `removed/s${seed}`,
      group: 'removed',
      device: 'identity',
      seed,
      argv: ['--device', 'identity', ...w, ...s],
    });
    for (const device of devices) {
      const base = ['--device', device, ...w, ...s];
      // baselines and ablations at the paper's headline setting: rank 10 (or W if smaller), M = 100
      const r10 = Math.min(10, flags.width);
      const headline = ['--rank', String(r10), '--samples', '100'];
      cells.push({
        key: `${device}/frozen/s${seed}`,
        group: 'frozen',
        device,
        rank: r10,
        seed,
        argv: [...base, ...headline, '--freeze-device'],
      });
      if (flags.ablations) {
        for (const mode of ['exact', 'surrogate-only', 'zo-only']) {
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
      for (const rank of flags.ranks) {
        for (const samples of flags.samples) {
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

function runDir(out: string, key: string): string {
  return join(out, 'runs', key.replaceAll('/', '_'));
}

function loadResults(path: string): SweepResult[] {
  if (!existsSync(path)) return [];
  try {
    return JSON.parse(readFileSync(path, 'utf8')).results as SweepResult[];
  } catch (cause) {
    throw new FormatError(`${path}: cannot read the sweep's results`, { cause });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanOrNull(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : mean(v);
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

export async function runSweep(flags: SweepFlags): Promise<SweepResult[]> {
  const cells = sweepCells(flags);
  const resultsPath = join(flags.out, 'results.json');
  const results = loadResults(resultsPath);
  // results written before the cosine was recorded: read it back from the run's own report
  for (const r of results) {
    if (r.surrogateCosine !== undefined) continue;
    const report = join(runDir(flags.out, r.key), 'report.json');
    if (!existsSync(report)) continue;
    const epochs = JSON.parse(readFileSync(report, 'utf8')).epochs as { surrogateCosine?: number }[];
    r.surrogateCosine = epochs[epochs.length - 1]?.surrogateCosine ?? null;
  }
  const done = new Set(results.map((r) => r.key));
  console.error(`sweep: ${cells.length} runs, ${done.size} already in ${resultsPath}`);
  for (const [i, cell] of cells.entries()) {
    if (done.has(cell.key)) continue;
    console.error(`\n[${i + 1}/${cells.length}] ${cell.key}`);
    const argv = [...cell.argv, '--epochs', String(flags.epochs), '--out', runDir(flags.out, cell.key)];
    const parsed = parseCommand(argv, { name: 'tenzo-train' }, 'mnist', mnistCommand);
    if ('kind' in parsed) throw new ArgumentError(`sweep: cell ${cell.key} asked for help`);
    const history = await runMnist(parsed.flags as MnistFlags);
    const last = history[history.length - 1]!;
    const { argv: _argv, ...meta } = cell;
    results.push({
      ...meta,
      testAccuracy: last.testAccuracy,
      secondsPerEpoch: mean(history.map((h) => h.seconds)),
      queriesPerStep: last.deviceQueries?.perStep ?? null,
      surrogateCosine: last.surrogateCosine ?? null,
    });
    // after every run, so an interrupted sweep resumes where it stopped
    writeReport(resultsPath, { command: 'sweep', config: flags, results });
  }
  writeOutputs(flags, results);
  return results;
}

function writeOutputs(flags: SweepFlags, results: SweepResult[]): void {
  const rows = summarize(results);
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
      { key: 'surrogateCosine', number: { fixed: 2 } },
    ],
  );
  console.log(table);
  writeFileAtomic(join(flags.out, 'table.md'), `${table}\n`);
  const digital = rows.find((r) => r.group === 'digital')?.testAccuracy;
  for (const device of flags.devices.split(',').map((d) => d.trim())) {
    const series: LineSeries[] = flags.samples.map((m) => {
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
    if (digital !== undefined) {
      series.push({
        name: 'digital',
        x: [Math.min(...flags.ranks), Math.max(...flags.ranks)],
        y: [digital, digital],
        dashed: true,
      });
    }
    writeSvg(
      join(flags.out, `accuracy-vs-rank-${device}.svg`),
      linePlotSvg({
        title: `MNIST, ${device} layer: test accuracy vs surrogate rank`,
        xLabel: 'rank r',
        yLabel: 'test accuracy',
        logX: true,
        series,
      }),
    );
  }
  if (flags.json) writeReport(flags.json, { command: 'sweep', config: flags, summary: rows, results });
}
