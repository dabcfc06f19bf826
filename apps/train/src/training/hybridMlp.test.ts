import { Rng } from '@tenzo/core';
import { randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { CenterRows, HybridMlp } from './hybridMlp.js';

describe('HybridMlp', () => {
  it('centres rows: removes the per-sample mean, keeps the rest', () => {
    const y = new CenterRows().forward(
      tensor([
        [1, 2, 3],
        [10, 10, 13],
      ]),
    );
    expect(y.toArray()).toEqual([
      [-1, 0, 1],
      [-1, -1, 2],
    ]);
  });

  it('routes through the device and counts its queries; identity removes the layer', async () => {
    const rng = new Rng(0);
    const spec = {
      inputs: 12,
      width: 8,
      outputs: 3,
      dropout: 0,
      layer: { rank: 2, zoSamples: 4, sketchSamples: 4 },
      deviceSeed: 0,
    };
    const net = new HybridMlp({ ...spec, device: 'mrr' }, rng.fork(), rng.fork(), rng.fork());
    const x = randn([5, 12], rng);
    const logits = await net.forward(x);
    expect(logits.shape).toEqual([5, 3]);
    expect(net.physical!.queries.forward).toBe(5);
    expect(net.physical!.queries.rebuild).toBe(8);
    expect(net.digitalParameters().map(([n]) => n)).toEqual([
      'pre.0.weight',
      'pre.0.bias',
      'post.2.weight',
      'post.2.bias',
    ]);
    const removed = new HybridMlp({ ...spec, device: 'identity' }, rng.fork(), rng.fork(), rng.fork());
    expect(removed.physical).toBeNull();
    expect((await removed.forward(x)).shape).toEqual([5, 3]);
  });
});
