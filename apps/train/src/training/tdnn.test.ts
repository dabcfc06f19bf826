import { Rng } from '@tenzo/core';
import { crossEntropy } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { makeImperfectDevice, TdnnClassifier, type TdnnSpec } from './tdnn.js';

const spec = (device: TdnnSpec['device']): TdnnSpec => ({
  features: 6,
  frames: 10,
  channels: 8,
  blocks: [
    [5, 1],
    [3, 2],
  ],
  embedding: 8,
  classes: 3,
  dropout: 0,
  device,
  layer: { rank: 3, zoSamples: 4, sketchSamples: 4 },
  deviceSeed: 1,
});

describe('TdnnClassifier', () => {
  it('maps [B, T, F] and flat [B, T·F] clips to logits; the projection is digital, a device or removed', async () => {
    for (const device of ['none', 'slm', 'identity'] as const) {
      const m = new TdnnClassifier(spec(device), new Rng(0), new Rng(1), new Rng(2));
      const x = randn([4, 10, 6], new Rng(3));
      expect((await m.forward(x)).shape).toEqual([4, 3]);
      expect((await m.forward(x.reshape([4, 60]))).shape).toEqual([4, 3]);
      const names = m.namedParameters().map(([n]) => n);
      expect(names.includes('projection.weight')).toBe(device === 'none');
      expect(names.includes('device.omega')).toBe(device === 'slm');
      expect(m.digitalParameters().some(([n]) => n.startsWith('device.'))).toBe(false);
    }
    const m = new TdnnClassifier(spec('none'), new Rng(0), new Rng(1), new Rng(2));
    await expect(m.forward(randn([4, 10, 5], new Rng(0)))).rejects.toThrowError(
      'TdnnClassifier: x expected [B, T, 6] or [B, 60], got [4, 10, 5]',
    );
    expect(m.describe()).toBe('10×6 → TDNN 8ch [k/dil 5/1,3/2] → stats 16 → 8 → [Linear 8→8] → 3');
  });

  it('backpropagates through the device (surrogate x̄) into the convolutions', async () => {
    const m = new TdnnClassifier(spec('mrr'), new Rng(0), new Rng(1), new Rng(2));
    const logits = await m.forward(randn([5, 10, 6], new Rng(4)));
    crossEntropy(logits, Int32Array.of(0, 1, 2, 0, 1)).backward();
    const conv = m.namedParameters().find(([n]) => n === 'frames.0.weight')![1];
    expect(conv.grad).not.toBeNull();
    expect(conv.grad!.toFlat().some((v) => v !== 0)).toBe(true);
    const report = await m.physical!.estimateParamGrad();
    expect(report.queries).toBeGreaterThan(0);
  });
});

describe('makeImperfectDevice', () => {
  it('relative output noise perturbs each read-out by about σ·|y|', async () => {
    const dev = makeImperfectDevice('matvec', 32, { seed: 0, rank: 4, noise: 0.01 });
    const clean = makeImperfectDevice('matvec', 32, { seed: 0, rank: 4 });
    const w = dev.initParams(new Rng(1));
    dev.setParams(w);
    clean.setParams(w);
    const X = new Float64Array(64 * 32);
    new Rng(2).fillNormal(X);
    const y = await dev.query(X);
    const y0 = await clean.query(X);
    let num = 0;
    let den = 0;
    for (let i = 0; i < y.length; i++) {
      num += (y[i]! - y0[i]!) ** 2;
      den += y0[i]! ** 2;
    }
    expect(Math.sqrt(num / den)).toBeGreaterThan(0.008);
    expect(Math.sqrt(num / den)).toBeLessThan(0.012);
  });

  it('phase bits reach SLM, MRR and MZI and are refused for digital controls', () => {
    for (const kind of ['slm', 'mrr', 'mzi'] as const) {
      const dev = makeImperfectDevice(kind, 4, { seed: 0, rank: 2, phaseBits: 3 }) as unknown as {
        phaseBits: number | null;
      };
      expect(dev.phaseBits).toBe(3);
    }
    expect(() => makeImperfectDevice('lowrank', 4, { seed: 0, rank: 2, phaseBits: 3 })).toThrowError(
      "phaseBits: device 'lowrank' is a digital control without phases",
    );
  });
});
