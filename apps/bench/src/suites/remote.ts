import { Rng } from '@tenzo/core';
import { buildSimulator, initSegments, startDeviceServer } from '@tenzo/device-app/server';
import { type PhysicalDevice, remoteDevice } from '@tenzo/devices';
import {
  type BenchRow,
  type Implementation,
  interleavedRows,
  measureInterleaved,
  type SuiteContext,
} from '../harness.js';

export const REMOTE_BASELINE = 'in-process';

/**
 * The remote device protocol's cost on loopback: one query of a batch of 64 to an SLM 256×256
 * (16×16, batch 8 in quick mode) through `RemoteDevice` and `tenzo-device`'s server in this
 * process, float64 and float32 bodies, against the same simulator called in-process; interleaved
 * rounds. Two cases: the setting unchanged (X only on the wire) and a new ω with every query (the
 * zeroth-order pattern: 8·paramSize more bytes). Notes give queries/s and the overhead per query
 * (the median time minus the in-process median).
 */
export async function remoteSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const d = ctx.quick ? 16 : 256;
  const batch = ctx.quick ? 8 : 64;
  const local = buildSimulator('slm', d, d, ctx.seed);
  const served = buildSimulator('slm', d, d, ctx.seed);
  const server = await startDeviceServer({ device: served, init: initSegments(served) });
  const rows: BenchRow[] = [];
  try {
    const f64 = await remoteDevice({ url: server.url, seed: ctx.seed });
    const f32 = await remoteDevice({ url: server.url, seed: ctx.seed, dtype: 'float32' });
    const rng = new Rng(ctx.seed);
    const omegas = [local.initParams(rng), local.initParams(rng)];
    const X = rng.fillNormal(new Float64Array(batch * d)) as Float64Array;
    const devices: [string, PhysicalDevice][] = [
      [REMOTE_BASELINE, local],
      ['remote float64', f64],
      ['remote float32', f32],
    ];
    for (const newOmega of [false, true]) {
      for (const [, dev] of devices) dev.setParams(omegas[0]!);
      let k = 0;
      const impls: Implementation[] = devices.map(([name, dev]) => ({
        name,
        // a new ω each call: alternate two settings, so every query reconfigures
        run: () => (newOmega ? dev.query(X, omegas[k++ % 2]!) : dev.query(X)),
      }));
      const result = await measureInterleaved(impls, {
        baseline: REMOTE_BASELINE,
        warmup: 3,
        minRounds: ctx.quick ? 3 : 20,
        minTimeMs: ctx.quick ? 0 : ctx.full ? 5000 : 1500,
        onRound: (r) => ctx.onStatus?.(`remote round ${r}`),
      });
      const base = result.timings[0]!.medianMs;
      const notes: Record<string, string> = {};
      for (const t of result.timings) {
        const qps = Math.round(1000 / t.medianMs).toLocaleString('en-US');
        notes[t.name] =
          t.name === REMOTE_BASELINE
            ? `${qps} queries/s`
            : `${qps} queries/s, +${(t.medianMs - base).toFixed(3)} ms/query`;
      }
      const name = `slm ${d}x${d} batch ${batch}${newOmega ? ', new ω per query' : ''}`;
      for (const row of interleavedRows(result, { suite: 'remote', case: name }, notes)) {
        rows.push(row);
        ctx.onRow?.(row);
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}
