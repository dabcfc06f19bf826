import { Rng } from '@tenzo/core';
import { randn, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { convFrontWidth } from './convFront.js';
import { HybridMlp } from './hybridMlp.js';

describe('HybridMlp', () => {
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

  it('a conv front feeds its flattened feature maps to the device; none puts a digital layer there', async () => {
    const rng = new Rng(1);
    const conv = { height: 6, width: 6, channels: 2, kernel: 3, stride: 2, padding: 1 };
    expect(convFrontWidth(conv)).toBe(2 * 3 * 3);
    const spec = {
      inputs: 36,
      width: 18,
      outputs: 4,
      dropout: 0,
      conv,
      layer: { rank: 2, zoSamples: 4, sketchSamples: 4 },
      deviceSeed: 0,
    };
    const x = randn([3, 36], rng);
    const hybrid = new HybridMlp({ ...spec, device: 'slm' }, rng.fork(), rng.fork(), rng.fork());
    expect((await hybrid.forward(x)).shape).toEqual([3, 4]);
    expect(hybrid.physical!.device.inputSize).toBe(18);
    expect(hybrid.physical!.queries.forward).toBe(3);
    expect(hybrid.digitalParameters().map(([n, p]) => `${n} ${p.shape.join('×')}`)).toEqual([
      'pre.1.weight 2×1×3×3',
      'pre.1.bias 2',
      'post.2.weight 4×18',
      'post.2.bias 4',
    ]);
    const digital = new HybridMlp({ ...spec, device: 'none' }, rng.fork(), rng.fork(), rng.fork());
    expect(digital.physical).toBeNull();
    expect(digital.digitalParameters().map(([n]) => n)).toContain('middle.weight');
    // the digital network of this shape is front → ReLU → Linear(W, W) → ReLU → Linear
    const mid = digital.middle!;
    const [[, outW], [, outB]] = digital.post.namedParameters() as [[string, Tensor], [string, Tensor]];
    const h = digital.pre.forward(x);
    const want = h
      .matmul(mid.weight, { transposeB: true })
      .add(mid.bias!)
      .relu()
      .matmul(outW, { transposeB: true })
      .add(outB);
    const got = await digital.forward(x);
    const g = got.toFlat();
    const w = want.toFlat();
    for (let i = 0; i < w.length; i++) expect(g[i]!).toBeCloseTo(w[i]!, 6);
    expect(() => new HybridMlp({ ...spec, width: 20, device: 'slm' }, rng, rng, rng)).toThrowError(
      "HybridMlp: width: expected the conv front's 2·H_out·W_out = 18 features, got 20",
    );
    expect(() => new HybridMlp({ ...spec, inputs: 30, device: 'slm' }, rng, rng, rng)).toThrowError(
      "HybridMlp: inputs: expected the 6×6 image's 36 pixels, got 30",
    );
  });

  it('centres the device outputs unless center is false; the digital and removed networks have no CenterRows', () => {
    const spec = {
      inputs: 12,
      width: 8,
      outputs: 3,
      dropout: 0.1,
      layer: { rank: 2, zoSamples: 4, sketchSamples: 4 },
      deviceSeed: 0,
    };
    const names = (net: HybridMlp) => net.post.layers.map((l) => l.constructor.name);
    const r = () => new Rng(0);
    expect(names(new HybridMlp({ ...spec, device: 'slm' }, r(), r(), r()))).toEqual([
      'CenterRows',
      'ReLU',
      'Dropout',
      'Linear',
    ]);
    expect(names(new HybridMlp({ ...spec, device: 'slm', center: false }, r(), r(), r()))[0]).toBe('ReLU');
    expect(names(new HybridMlp({ ...spec, device: 'none' }, r(), r(), r()))[0]).toBe('ReLU');
    expect(names(new HybridMlp({ ...spec, device: 'identity' }, r(), r(), r()))[0]).toBe('ReLU');
  });
});
