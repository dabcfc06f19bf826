import { ArgumentError, checkArray, checkInt, checkObject, describeValue } from '@tenzo/core';
import * as v from 'valibot';
import type { ClassifierEpoch } from '../classifier/fitClassifier.js';

/**
 * The paper's table as a grid of training runs: per seed the digital reference, the layer
 * removed, and per device the frozen device, the ablations and the ZO + surrogate grid of
 * surrogate ranks × samples. Each cell is a command line of the training run that computes it,
 * to run with `runSweep`.
 */

/** One run of a grid: what it is (group, device, rank, samples, mode, seed) and the flags that make it. */
export interface GridCell {
  readonly key: string;
  /** 'digital', 'removed', 'frozen', an ablation mode, or 'zo+surrogate' */
  readonly group: string;
  readonly device: string;
  readonly rank?: number;
  readonly samples?: number;
  readonly mode?: string;
  readonly seed: number;
  /** the training command's extra command-line flags for this run */
  readonly argv: string[];
}

/** What one finished run contributes to the table. */
export interface GridOutcome {
  testAccuracy: number;
  secondsPerEpoch: number;
  queriesPerStep: number | null;
  /** cos(surrogate x̄, Aᵀȳ) averaged over the last epoch's steps (surrogate modes); absent where not recorded */
  surrogateCosine?: number | null;
}

/** A grid cell's record in results.json: the cell without its command line, and its outcome. */
export interface GridResult extends Omit<GridCell, 'argv'>, GridOutcome {}

/** The ablation modes, run at the headline rank and M = 100, in the order they run. */
export const GRID_ABLATIONS = ['exact', 'surrogate-only', 'zo-only'] as const;

/**
 * The axes of a device sweep: devices, ranks, probe counts M, seeds, whether ablations run, the rank of
 * the frozen and ablation cells, and the command-line flags of the digital, layer-removed and device
 * cells.
 */
export interface GridOptions {
  readonly devices: readonly string[];
  readonly ranks: readonly number[];
  readonly samples: readonly number[];
  readonly seeds: readonly number[];
  /** also run zo-only, surrogate-only and exact at the headline rank, M = 100 */
  readonly ablations: boolean;
  /** rank of the frozen and ablation cells: the paper's 10, or the device width if smaller */
  readonly headlineRank: number;
  /** flags of the digital reference cell */
  readonly digital: (seed: number) => string[];
  /** flags of the layer-removed cell */
  readonly removed: (seed: number) => string[];
  /** flags shared by every cell of one device (the device, the network, the seed) */
  readonly device: (device: string, seed: number) => string[];
}

/**
 * The cells of a grid in the order they run (cheap baselines first). Per seed: digital, removed,
 * then per device: frozen (`--freeze-device`), the ablations (`--mode exact|surrogate-only|zo-only`)
 * and the ZO + surrogate grid (`--rank r --samples M`). Keys: 'digital/s1', 'slm/frozen/s1',
 * 'slm/exact/s1', 'slm/r10/m100/s1'.
 */
export function gridCells(opts: GridOptions): GridCell[] {
  const fn = 'gridCells';
  checkObject(`${fn}: options`, opts);
  for (const k of ['devices', 'ranks', 'samples', 'seeds'] as const)
    checkArray<unknown>(`${fn}: ${k}`, opts[k]);
  for (const k of ['digital', 'removed', 'device'] as const)
    if (typeof opts[k] !== 'function')
      throw new ArgumentError(`${fn}: ${k} expected a function, got ${describeValue(opts[k])}`);
  const r10 = checkInt(`${fn}: headlineRank`, opts.headlineRank, { positive: true });
  const headline = ['--rank', String(r10), '--samples', '100'];
  const cells: GridCell[] = [];
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
        for (const mode of GRID_ABLATIONS) {
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

const finite = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A {@link GridResult} as results.json must hold it (for `runSweep`'s `checkResult`). */
export const GridResultSchema = v.looseObject({
  key: v.string(),
  group: v.string(),
  device: v.string(),
  rank: v.optional(count),
  samples: v.optional(count),
  mode: v.optional(v.string()),
  seed: count,
  testAccuracy: v.pipe(finite, v.minValue(0), v.maxValue(1)),
  secondsPerEpoch: v.pipe(finite, v.minValue(0)),
  queriesPerStep: v.nullable(v.pipe(finite, v.minValue(0))),
  surrogateCosine: v.optional(v.nullable(v.pipe(finite, v.minValue(-1), v.maxValue(1)))),
});

/** One row of the table: a (group, device, rank, samples) averaged over the seeds that finished. */
export interface GridSummaryRow {
  group: string;
  device: string;
  rank: number | null;
  samples: number | null;
  seeds: number;
  testAccuracy: number;
  secondsPerEpoch: number;
  /** the first seed's (the same for every seed) */
  queriesPerStep: number | null;
  surrogateCosine: number | null;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean test accuracy, time and surrogate cosine per (group, device, rank, samples), in first-seen order. */
export function summarizeGrid(results: readonly GridResult[]): GridSummaryRow[] {
  checkArray('summarizeGrid: results', results);
  const groups = new Map<string, GridResult[]>();
  for (const r of results) {
    const k = [r.group, r.device, r.rank ?? '', r.samples ?? ''].join('|');
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const r = rs[0]!;
    const cos = rs.map((x) => x.surrogateCosine ?? null).filter((x): x is number => x !== null);
    return {
      group: r.group,
      device: r.device,
      rank: r.rank ?? null,
      samples: r.samples ?? null,
      seeds: rs.length,
      testAccuracy: mean(rs.map((x) => x.testAccuracy)),
      secondsPerEpoch: mean(rs.map((x) => x.secondsPerEpoch)),
      queriesPerStep: r.queriesPerStep,
      surrogateCosine: cos.length === 0 ? null : mean(cos),
    };
  });
}

/** A curve of {@link rankCurves}: plain data a line plot takes (`@tenzo/cli`'s `linePlotSvg` series). */
export interface RankCurve {
  name: string;
  x: number[];
  y: number[];
  markers?: boolean;
  dashed?: boolean;
}

/**
 * The accuracy-vs-rank plot of one device: one curve per sample count M over the ZO + surrogate
 * rows (sorted by rank), then each `references` group (e.g. digital) that has a row as a dashed
 * horizontal line across `ranks`.
 */
export function rankCurves(
  rows: readonly GridSummaryRow[],
  o: { device: string; samples: readonly number[]; ranks: readonly number[]; references: readonly string[] },
): RankCurve[] {
  checkArray('rankCurves: rows', rows);
  checkObject('rankCurves: options', o);
  const curves: RankCurve[] = o.samples.map((m) => {
    const pts = rows
      .filter((r) => r.group === 'zo+surrogate' && r.device === o.device && r.samples === m)
      .sort((a, b) => a.rank! - b.rank!);
    return { name: `M = ${m}`, x: pts.map((p) => p.rank!), y: pts.map((p) => p.testAccuracy), markers: true };
  });
  for (const group of o.references) {
    const acc = rows.find((r) => r.group === group)?.testAccuracy;
    if (acc === undefined) continue;
    curves.push({
      name: group,
      x: [Math.min(...o.ranks), Math.max(...o.ranks)],
      y: [acc, acc],
      dashed: true,
    });
  }
  return curves;
}

/**
 * What a finished classifier run contributes to the table: the last epoch's test accuracy and
 * device queries per step, the mean seconds per epoch, and with `cosine` the last epoch's
 * surrogate cosine (null when not recorded).
 */
export function gridOutcome(
  history: readonly (ClassifierEpoch & { surrogateCosine?: number })[],
  cosine: boolean,
): GridOutcome {
  const last = history[history.length - 1];
  if (last === undefined)
    throw new ArgumentError('gridOutcome: history expected at least one epoch, got none');
  return {
    testAccuracy: last.testAccuracy,
    secondsPerEpoch: history.reduce((s, h) => s + h.seconds, 0) / history.length,
    queriesPerStep: last.deviceQueries?.perStep ?? null,
    ...(cosine ? { surrogateCosine: last.surrogateCosine ?? null } : {}),
  };
}
