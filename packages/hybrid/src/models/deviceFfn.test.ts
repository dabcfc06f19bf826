import { Rng } from '@tenzo/core';
import { GPT } from '@tenzo/nn';
import { randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { makeDevice } from '../makeDevice.js';
import { PhysicalLayer } from '../physicalLayer.js';
import { DeviceFfn } from './deviceFfn.js';

const layer = (d: number) =>
  new PhysicalLayer(makeDevice('slm', d, { seed: 1, rank: 3 }), new Rng(2), {
    rank: 3,
    zoSamples: 4,
    sketchSamples: 4,
  });

describe('DeviceFfn', () => {
  it('sends the [B, T, d] token rows through the device as one batch of B·T inputs', async () => {
    const d = 8;
    const dev = layer(d);
    const ffn = new DeviceFfn(dev, { center: false });
    const x = randn([2, 3, d], new Rng(3));
    const y = await ffn.forward(x);
    expect(y.shape).toEqual([2, 3, d]);
    expect(dev.queries.forward).toBe(6);
    dev.eval();
    const rows = await dev.forward(x.reshape([6, d]));
    for (const [i, v] of rows.toFlat().entries()) expect(y.toFlat()[i]).toBeCloseTo(v, 6);
    // centred: every token's output has zero mean across the features
    const centred = await new DeviceFfn(dev).forward(x);
    const c = centred.toFlat();
    for (let r = 0; r < 6; r++) {
      const m = c.slice(r * d, (r + 1) * d).reduce((a, b) => a + b, 0) / d;
      expect(Math.abs(m)).toBeLessThan(1e-6);
    }
    await expect(ffn.forward(randn([2, 5], new Rng(4)))).rejects.toThrowError(
      'DeviceFfn: input expected [..., 8], got [2, 5]',
    );
  });

  it("fills a GPT block's feed-forward slot and runs through forwardAsync", async () => {
    const gpt = new GPT({ vocabSize: 11, maxSeqLen: 8, dModel: 8, nLayers: 1, nHeads: 2 }, new Rng(0), {
      ffn: (_, d) => new DeviceFfn(layer(d)),
    });
    expect(gpt.namedParameters().map(([n]) => n)).toContain('block0.mlp.device.omega');
    expect((await gpt.forwardAsync(tensor([[1, 2, 3]]))).shape).toEqual([1, 3, 11]);
  });
});
