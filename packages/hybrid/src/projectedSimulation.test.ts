import { Rng } from '@tenzo/core';
import { clementsMesh, mrrWeightBank, slmPhaseMatrix } from '@tenzo/devices';
import { workerPool } from '@tenzo/devices/node';
import { Adam } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { layerParamGrad } from '@tenzo/zo';
import { afterAll, describe, expect, it } from 'vitest';
import type { PhysicalLayerOptions } from './options.js';
import { PhysicalLayer } from './physicalLayer.js';

const pool2 = workerPool({ threads: 2, minWork: 0 });
const pool3 = workerPool({ threads: 3, minWork: 0 });
afterAll(async () => {
  await Promise.all([pool2.close(), pool3.close()]);
});

/** ω after `steps` training steps of a lone layer on fixed data */
async function train(
  device: 'slm' | 'mrr' | 'mzi',
  opts: PhysicalLayerOptions,
  steps = 3,
  d = 16,
): Promise<Float64Array> {
  const dev =
    device === 'slm'
      ? slmPhaseMatrix({ dIn: d, dOut: d })
      : device === 'mrr'
        ? mrrWeightBank({ dIn: d, dOut: d })
        : clementsMesh({ dIn: d, dOut: d });
  const rng = new Rng(4);
  const layer = new PhysicalLayer(dev, rng, { rank: 3, zoSamples: 24, sketchSamples: 8, seed: 5, ...opts });
  const opt = new Adam(layer.deviceParameters(), { lr: 1e-2 });
  const x = randn([9, d], rng).setRequiresGrad();
  const dy = randn([9, d], rng);
  for (let s = 0; s < steps; s++) {
    const y = await layer.forward(x);
    y.mul(dy).sum().backward();
    await layer.estimateParamGrad();
    opt.step();
    opt.zeroGrad();
    x.grad = null;
  }
  return Float64Array.from(layer.omega.data);
}

describe("PhysicalLayer with simulation: 'projected'", () => {
  for (const device of ['slm', 'mrr', 'mzi'] as const) {
    it(`${device}: training is bit-identical on 1, 2 and 3 threads (Gaussian and Rademacher)`, async () => {
      for (const directions of ['gaussian', 'rademacher'] as const) {
        const base = { simulation: 'projected', directions } as const;
        const one = await train(device, base);
        expect(Array.from(await train(device, { ...base, executor: pool2 }))).toEqual(Array.from(one));
        expect(Array.from(await train(device, { ...base, executor: pool3 }))).toEqual(Array.from(one));
        // and it trains: ω moved
        const init = await train(device, base, 0);
        expect(one.some((v, k) => v !== init[k])).toBe(true);
      }
    });
  }

  for (const device of ['slm', 'mrr'] as const) {
    it(`${device}, 40×40: sharded queries and G = WᵀP blocks leave training bit-identical on 1, 2 and 3 threads`, async () => {
      // large enough that the pools shard the forward, surrogate and rebuild queries by output
      // blocks and form G = WᵀP by row blocks
      const base = { simulation: 'projected', directions: 'rademacher' } as const;
      const one = await train(device, base, 3, 40);
      const before = pool2.completed;
      expect(Array.from(await train(device, { ...base, executor: pool2 }, 3, 40))).toEqual(Array.from(one));
      // 2 threads: 4 output blocks per sharded query and per G = WᵀP, 16 direction chunks and 16
      // reduce slices per estimate. Step 1: the rebuild's identity query, the forward query, G,
      // directions, reduce (44); steps 2 and 3 add the surrogate's f0 and f1 queries (48 each)
      expect(pool2.completed - before).toBe(44 + 2 * 48);
      expect(Array.from(await train(device, { ...base, executor: pool3 }, 3, 40))).toEqual(Array.from(one));
    });
  }

  it('estimates the same ω̄ as the materialised queries (mean over many draws)', async () => {
    // E[ω̄] is the same smoothed gradient for both paths: compare their averages to the exact vjp
    const dev = slmPhaseMatrix({ dIn: 6, dOut: 5 });
    const rng = new Rng(6);
    const omega = dev.initParams(rng);
    const X = rng.fillNormal(new Float64Array(4 * 6)) as Float64Array;
    const W = rng.fillNormal(new Float64Array(4 * 5)) as Float64Array;
    const exact = dev.exact.paramVjp(X, W, omega);
    const mean = async (simulation: 'projected' | 'materialised') => {
      const r = await layerParamGrad(dev, omega, X, W, { q: 3000, mu: 1e-5, rng: new Rng(7), simulation });
      expect(r.projected).toBe(simulation === 'projected');
      return r.grad;
    };
    for (const g of [await mean('projected'), await mean('materialised')]) {
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let k = 0; k < g.length; k++) {
        ab += g[k]! * exact[k]!;
        aa += g[k]! ** 2;
        bb += exact[k]! ** 2;
      }
      expect(ab / Math.sqrt(aa * bb)).toBeGreaterThan(0.9);
    }
  });

  it('counts the same queries in the device ledger as the materialised path', async () => {
    const rng = new Rng(4);
    const a = slmPhaseMatrix({ dIn: 12, dOut: 10 });
    const b = slmPhaseMatrix({ dIn: 12, dOut: 10 });
    const omega = a.initParams(rng);
    const X = rng.fillNormal(new Float64Array(7 * 12)) as Float64Array;
    const W = rng.fillNormal(new Float64Array(7 * 10)) as Float64Array;
    const base = await a.query(X, omega);
    await b.query(X, omega);
    const common = { q: 6, mu: 1e-4, baseline: base };
    const fast = await layerParamGrad(a, omega, X, W, {
      ...common,
      rng: new Rng(5),
      simulation: 'projected',
    });
    const slow = await layerParamGrad(b, omega, X, W, { ...common, rng: new Rng(5) });
    expect([fast.projected, slow.projected]).toEqual([true, false]);
    expect(fast.inputs).toBe(slow.inputs);
    expect(fast.calls).toBe(slow.calls);
    const { wallMs: _a, ...la } = a.ledger.snapshot();
    const { wallMs: _b, ...lb } = b.ledger.snapshot();
    expect(la).toEqual(lb);
    expect(a.params()).toEqual(b.params());
  });

  it('falls back to materialised queries where the projection is unavailable', async () => {
    const dev = slmPhaseMatrix({ dIn: 6, dOut: 5, phaseBits: 8 });
    const rng = new Rng(8);
    const omega = dev.initParams(rng);
    const X = rng.fillNormal(new Float64Array(3 * 6)) as Float64Array;
    const W = rng.fillNormal(new Float64Array(3 * 5)) as Float64Array;
    const r = await layerParamGrad(dev, omega, X, W, { q: 2, mu: 0.05, rng, simulation: 'projected' });
    expect(r.projected).toBe(false);
    expect(r.inputs).toBe(2 * 3 + 3);
    await expect(
      layerParamGrad(dev, omega, X, W, { q: 2, mu: 0.05, rng, simulation: 'fast' as 'projected' }),
    ).rejects.toThrow(/layerParamGrad: simulation/);
  });
});
