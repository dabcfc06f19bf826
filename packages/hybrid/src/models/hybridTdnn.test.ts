import { Rng } from '@tenzo/core';
import { crossEntropy, TdnnClassifier } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridTdnn, type HybridTdnnSpec } from './hybridTdnn.js';

const spec = (device: HybridTdnnSpec['device']): HybridTdnnSpec => ({
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

describe('HybridTdnn', () => {
  it('maps [B, T, F] and flat [B, T·F] clips to logits; the projection is digital, a device or removed', async () => {
    for (const device of ['none', 'slm', 'identity'] as const) {
      const m = new HybridTdnn(spec(device), new Rng(0), new Rng(1), new Rng(2));
      const x = randn([4, 10, 6], new Rng(3));
      expect((await m.forward(x)).shape).toEqual([4, 3]);
      expect((await m.forward(x.reshape([4, 60]))).shape).toEqual([4, 3]);
      const names = m.namedParameters().map(([n]) => n);
      expect(names.includes('projection.weight')).toBe(device === 'none');
      expect(names.includes('device.omega')).toBe(device === 'slm');
      expect(m.physical === null).toBe(device !== 'slm');
      expect(m.digitalParameters().some(([n]) => n.startsWith('device.'))).toBe(false);
    }
    expect(new HybridTdnn(spec('mrr'), new Rng(0), new Rng(1), new Rng(2)).describe()).toBe(
      '10×6 → TDNN 8ch [k/dil 5/1,3/2] → stats 16 → 8 → [mrr 8→8] → 3',
    );
  });

  it("with device 'none' it is @tenzo/nn's TdnnClassifier: the same weights from the same generators", () => {
    const hybrid = new HybridTdnn(spec('none'), new Rng(0), new Rng(1), new Rng(2)).stateDict();
    const digital = new TdnnClassifier(spec('none'), new Rng(0), new Rng(1)).stateDict();
    expect(Object.keys(hybrid)).toEqual(Object.keys(digital));
    for (const k of Object.keys(digital)) expect(hybrid[k]!.toFlat()).toEqual(digital[k]!.toFlat());
  });

  it('centres the device output before the BatchNorm unless center is false', () => {
    const centred = new HybridTdnn(spec('slm'), new Rng(0), new Rng(1), new Rng(2));
    expect(centred.post.layers[0]!.constructor.name).toBe('CenterRows');
    const raw = new HybridTdnn({ ...spec('slm'), center: false }, new Rng(0), new Rng(1), new Rng(2));
    expect(raw.post.layers[0]!.constructor.name).toBe('BatchNorm1d');
  });

  it('backpropagates through the device (surrogate x̄) into the convolutions', async () => {
    const m = new HybridTdnn(spec('mrr'), new Rng(0), new Rng(1), new Rng(2));
    const logits = await m.forward(randn([5, 10, 6], new Rng(4)));
    crossEntropy(logits, Int32Array.of(0, 1, 2, 0, 1)).backward();
    const conv = m.namedParameters().find(([n]) => n === 'frames.0.weight')![1];
    expect(conv.grad).not.toBeNull();
    expect(conv.grad!.toFlat().some((v) => v !== 0)).toBe(true);
    const report = await m.physical!.estimateParamGrad();
    expect(report.queries).toBeGreaterThan(0);
  });

  it('passes the imperfections to the device', async () => {
    const s = { ...spec('mrr'), imperfections: { phaseBits: 3 } };
    const m = new HybridTdnn(s, new Rng(0), new Rng(1), new Rng(2));
    expect((m.physical!.device as unknown as { phaseBits: number | null }).phaseBits).toBe(3);
    expect(() => new HybridTdnn({ ...s, device: 'matvec' }, new Rng(0), new Rng(1), new Rng(2))).toThrowError(
      "makeDevice: phaseBits: device 'matvec' is a digital control without phases",
    );
  });
});
