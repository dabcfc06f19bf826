import { existsSync } from 'node:fs';
import { Rng } from '@tenzo/core';
import type { LayerDevice } from '@tenzo/hybrid';
import { describe, expect, it } from 'vitest';
import { TORCH_SCRIPT, TorchPeer, torchPython } from '../peers/torchPeer.js';
import { HYBRID_DEVICES, hybridSuite, makeDevice, pairedRatio, torchPeerSpecs } from './hybrid.js';
import { TENZO_HYBRID_SETTINGS } from './hybridSettings.js';

const python = torchPython();
// CI installs Debian's python3-torch (.ci/run), so there the peer tests must run, never skip;
// elsewhere they need the optional peer
const needTorch = python !== null || process.env.CI === 'true';

const norm = (a: ArrayLike<number>) => Math.hypot(...Array.from(a));
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let k = 0; k < a.length; k++) dot += a[k]! * b[k]!;
  return dot / (norm(a) * norm(b));
}

describe('bench hybrid', () => {
  it('times every tenzo setting on every device in interleaved rounds (quick, no torch)', async () => {
    const rows = await hybridSuite({ seed: 0, quick: true }, { python: null });
    expect(rows.map((r) => `${r.device}/${r.impl}`)).toEqual(
      HYBRID_DEVICES.flatMap((d) => TENZO_HYBRID_SETTINGS.map((s) => `${d}/${s.label}`)),
    );
    for (const r of rows) {
      expect(r.case).toBe(`${r.device} 16x16 batch 8 r=2 M=4`);
      expect(r.samples).toBe(2);
      expect(r.roundsMs).toHaveLength(2);
      expect(r.medianMs).toBeGreaterThan(0);
      expect(r.epochSeconds).toBeCloseTo((r.medianMs * 125) / 1000, 9);
      const setting = TENZO_HYBRID_SETTINGS.find((s) => s.label === r.impl)!;
      if (setting.scalingOf === undefined) {
        expect(r.note).toMatch(/s per 8,000-digit epoch$/);
        expect(r.threadScaling).toBeUndefined();
      } else {
        // the multi-threaded rows report their speed-up over the 1-thread row, round by round
        const twin = rows.find((t) => t.device === r.device && t.impl === setting.scalingOf)!;
        expect(r.threadScaling).toBe(pairedRatio(twin.roundsMs!, r.roundsMs!));
        expect(r.note).toContain(
          `thread scaling ${r.threadScaling!.toFixed(2)}× over '${setting.scalingOf}'`,
        );
      }
    }
  });

  it('thread scaling is the median of the per-round ratios', () => {
    expect(pairedRatio([10, 30, 20], [5, 10, 20])).toBe(2);
    expect(pairedRatio([4, 9], [2, 3])).toBe(2.5);
  });

  it('names the PyTorch peers by variant and threads', () => {
    expect(torchPeerSpecs(2).map((p) => p.label)).toEqual([
      'pytorch f32 loop 1 thread',
      'pytorch f32 loop 2 threads',
      'pytorch f32 batched 1 thread',
      'pytorch f32 batched 2 threads',
    ]);
    expect(torchPeerSpecs(1).map((p) => p.label)).toEqual([
      'pytorch f32 loop 1 thread',
      'pytorch f32 batched 1 thread',
    ]);
  });

  it('finds the PyTorch script next to the sources', () => {
    expect(existsSync(TORCH_SCRIPT)).toBe(true);
  });

  // the peer must compute what tenzo's simulators compute: same formulas, layout and init
  it.runIf(needTorch)(
    'PyTorch peer: device outputs equal tenzo’s; both ZO estimators match tenzo’s exact ω̄',
    async () => {
      const [d, batch, M] = [8, 3, 4];
      const peer = await TorchPeer.start(python!, { variant: 'loop', threads: 1 });
      try {
        for (const device of HYBRID_DEVICES) {
          const dev = makeDevice(device, d);
          const rng = new Rng(1);
          const omega = dev.initParams(rng);
          const x = rng.fillNormal(new Float64Array(batch * d)) as Float64Array;
          const ybar = rng.fillNormal(new Float64Array(batch * d)) as Float64Array;
          expect(await peer.setup({ device, d, batch, rank: 2, samples: M, seed: 0 })).toBe(dev.paramSize);
          const want = await dev.query(x, omega);
          const got = await peer.query(omega, x);
          const scale = Math.max(...want.map(Math.abs));
          for (const y of [got.y, got.yMany]) {
            expect(y).toHaveLength(want.length);
            for (let k = 0; k < y.length; k++) expect(Math.abs(y[k]! - want[k]!)).toBeLessThan(1e-5 * scale);
          }
          // both estimators on the same directions u_m approach (1/M) Σ_m u_m ⟨u_m, ω̄⟩ with tenzo's exact ω̄
          const p = dev.paramSize;
          const U = rng.fillNormal(new Float64Array(M * p)) as Float64Array;
          const exact = (dev as LayerDevice).exact!.paramVjp(x, ybar, omega);
          const projected = new Float64Array(p);
          for (let m = 0; m < M; m++) {
            let s = 0;
            for (let k = 0; k < p; k++) s += U[m * p + k]! * exact[k]!;
            for (let k = 0; k < p; k++) projected[k]! += (U[m * p + k]! * s) / M;
          }
          const g = await peer.zo(omega, x, ybar, U);
          // float32 differences over μ = 1e-4: equal up to rounding, not bit for bit
          for (const est of [g.loop, g.batched]) {
            expect(cosine(est, projected)).toBeGreaterThan(0.995);
            expect(norm(est) / norm(projected)).toBeCloseTo(1, 1);
          }
        }
      } finally {
        await peer.close();
      }
    },
  );

  // the single-threaded peers only: quick, and free of OpenMP's slowdowns on a busy machine
  it.runIf(needTorch)('with torch: the peers in the same rounds as tenzo, with epoch estimates', async () => {
    const peers = torchPeerSpecs(1);
    const rows = await hybridSuite({ seed: 0, quick: true }, { python, devices: ['slm'], peers });
    expect(rows.map((r) => r.impl)).toEqual([
      ...TENZO_HYBRID_SETTINGS.map((s) => s.label),
      ...peers.map((p) => p.label),
    ]);
    for (const r of rows) expect(r.roundsMs).toHaveLength(2);
    expect(rows.at(-1)!.note).toMatch(/s per 8,000-digit epoch; torch \d/);
  });
});
