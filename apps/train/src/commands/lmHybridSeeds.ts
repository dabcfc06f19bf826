import { join } from 'node:path';
import { formatTable, linePlotSvg } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import { ffnVariantDevice } from '@tenzo/hybrid';
import { writeRunFiles } from '@tenzo/train/node';
import type { VariantResult } from '../training/resultFiles.js';
import { type LmHybridFlags, type LmVariant, parseVariants, runLmHybrid } from './lmHybrid.js';

/** One variant over the seeds of `lm-hybrid --seeds`: each seed's validation loss, their mean and spread. */
export interface SeedRow {
  variant: LmVariant;
  ffn: string;
  /** validation loss (nats per token) per seed, in the order of `seeds` */
  valLoss: number[];
  mean: number;
  /** sample standard deviation over the seeds (0 for one seed) */
  sd: number;
  /** digital parameters and device ω of the variant (the same for every seed) */
  parameters: number;
  deviceParameters: number;
}

/** What `lm-hybrid --seeds` returns and writes to <out>/report.json (and --json). */
export interface SeedsSummary {
  seeds: number[];
  rows: SeedRow[];
  /**
   * per device variant: is its mean validation loss strictly between the means of "FFN removed"
   * and digital (the paper's claim for a trained physical FFN)? Absent without both baselines.
   */
  between: Partial<Record<LmVariant, boolean>>;
}

const meanOf = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sdOf = (xs: readonly number[]) => {
  if (xs.length < 2) return 0;
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * `lm-hybrid --seeds a..b`: the single-seed run of every seed under <out>/seed-<s> (each resumable
 * on its own, as `--seed s --out <out>/seed-<s>` would be), then one table of the variants'
 * validation losses per seed with their mean and standard deviation, the strictly-between check
 * on the means, and the mean validation curves (validation-loss-mean.svg). The summary goes to
 * <out>/report.json and --json.
 */
export async function runLmHybridSeeds(flags: LmHybridFlags): Promise<SeedsSummary> {
  const seeds = flags.seeds ?? [];
  if (seeds.length === 0 || new Set(seeds).size !== seeds.length)
    throw new ArgumentError(`--seeds: expected distinct seeds, got ${JSON.stringify(seeds)}`);
  const variants = parseVariants(flags.variants);
  const perSeed: Partial<Record<LmVariant, VariantResult>>[] = [];
  for (const seed of seeds) {
    console.error(`— seed ${seed} (${seeds.indexOf(seed) + 1} of ${seeds.length}) —`);
    const r = await runLmHybrid({
      ...flags,
      seed,
      seeds: undefined,
      out: join(flags.out, `seed-${seed}`),
      json: undefined,
    });
    perSeed.push(r.variants);
  }
  const rows: SeedRow[] = variants.map((variant) => {
    const runs = perSeed.map((r) => r[variant]!);
    const valLoss = runs.map((r) => r.valLoss);
    return {
      variant,
      ffn: runs[0]!.ffn,
      valLoss,
      mean: meanOf(valLoss),
      sd: sdOf(valLoss),
      parameters: runs[0]!.parameters,
      deviceParameters: runs[0]!.deviceParameters,
    };
  });
  const byVariant = new Map(rows.map((r) => [r.variant, r]));
  const removed = byVariant.get('removed');
  const digital = byVariant.get('digital');
  const between: SeedsSummary['between'] = {};
  if (removed && digital)
    for (const r of rows)
      if (ffnVariantDevice(r.variant) !== null)
        between[r.variant] = r.mean < removed.mean && r.mean > digital.mean;

  console.log(
    formatTable(
      rows.map((r) => ({
        variant: r.variant,
        'feed-forward slot': r.ffn,
        ...Object.fromEntries(seeds.map((s, i) => [`seed ${s}`, r.valLoss[i]!])),
        mean: r.mean,
        sd: r.sd,
        params: r.parameters,
        'device ω': r.deviceParameters > 0 ? r.deviceParameters : '–',
      })),
      [
        'variant',
        'feed-forward slot',
        ...seeds.map((s) => ({ key: `seed ${s}`, number: { fixed: 4 } })),
        { key: 'mean', number: { fixed: 4 } },
        { key: 'sd', number: { fixed: 4 } },
        'params',
        'device ω',
      ],
    ),
  );
  if (removed && digital)
    for (const r of rows) {
      if (between[r.variant] === undefined) continue;
      console.log(
        `${r.variant}: mean validation loss ${r.mean.toFixed(4)} over ${seeds.length} seeds ${between[r.variant] ? 'is' : 'is NOT'} strictly between FFN removed (${removed.mean.toFixed(4)}) and digital (${digital.mean.toFixed(4)})`,
      );
    }

  // the mean curve of each variant: every seed evaluates at the same steps
  const meanCurve = (variant: LmVariant) => {
    const curves = perSeed.map((r) => r[variant]!.curve);
    const steps = curves[0]!.map((c) => c.step);
    const from = steps.length > 2 ? 1 : 0;
    return {
      x: steps.slice(from),
      y: steps.slice(from).map((_, i) => meanOf(curves.map((c) => c[i + from]!.valLoss))),
    };
  };
  const summary: SeedsSummary = { seeds, rows, between };
  writeRunFiles({
    out: flags.out,
    json: flags.json,
    report: { command: 'lm-hybrid', ...summary },
    before: seeds.map((s) => join(flags.out, `seed-${s}`, 'results.json')),
    plot: {
      name: 'validation-loss-mean.svg',
      svg: linePlotSvg({
        title: `GPT ${flags.layers}×${flags.dModel}: validation loss, mean of ${seeds.length} seeds (${seeds.join(', ')})`,
        xLabel: 'step',
        yLabel: 'validation loss (nats per token)',
        series: variants.map((variant) => ({
          name: `${variant}: ${byVariant.get(variant)!.ffn}`,
          ...meanCurve(variant),
          ...(variant === 'digital' || variant === 'removed' ? { dashed: true } : {}),
        })),
      }),
    },
  });
  return summary;
}
