import { Rng } from '@tenzo/core';
import {
  clementsMesh,
  lowRankDevice,
  matrixDevice,
  mrrWeightBank,
  type PhysicalDevice,
  reckMesh,
  slmFreeSpace,
  slmPhaseMatrix,
} from '@tenzo/devices';
import { type BenchRow, measure, type SuiteContext } from '../harness.js';

/** The simulators at one size, with the names the table shows. */
function simulators(d: number): [string, PhysicalDevice][] {
  return [
    ['slm-phase-matrix', slmPhaseMatrix({ dIn: d, dOut: d })],
    ['mrr-weight-bank', mrrWeightBank({ dIn: d, dOut: d })],
    ['mzi-clements', clementsMesh({ dIn: d, dOut: d })],
    ['mzi-reck', reckMesh({ dIn: d, dOut: d })],
    ['matrix', matrixDevice({ dIn: d, dOut: d })],
    ['low-rank r=8', lowRankDevice({ dIn: d, dOut: d, rank: Math.min(8, d) })],
    ['slm-free-space', slmFreeSpace({ dIn: d, dOut: d, grid: d <= 64 ? 64 : 128 })],
  ];
}

/**
 * Device simulation speed: one query of a batch of 256 input vectors (ω fixed), per simulator at
 * d_in = d_out = 64 (--full: also 256; 16 in quick mode). The note states input vectors per second.
 * One implementation per case, so plain `measure`, not interleaved rounds.
 */
export async function devicesSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const batch = ctx.quick ? 32 : 256;
  for (const d of ctx.quick ? [16] : ctx.full ? [64, 256] : [64]) {
    for (const [name, dev] of simulators(d)) {
      const rng = new Rng(ctx.seed);
      dev.setParams(dev.initParams(rng));
      const X = rng.fillNormal(new Float64Array(batch * d)) as Float64Array;
      const m = await measure(
        () => dev.query(X),
        ctx.quick ? { warmup: 1, minSamples: 2, minTimeMs: 0 } : { warmup: 2, minSamples: 5, minTimeMs: 500 },
      );
      const row: BenchRow = {
        suite: 'devices',
        case: `${name} ${d}x${d} batch ${batch}`,
        impl: 'tenzo',
        ...m,
        note: `${Math.round((batch * 1000) / m.medianMs).toLocaleString('en-US')} inputs/s`,
      };
      rows.push(row);
      ctx.onRow?.(row);
    }
  }
  return rows;
}
