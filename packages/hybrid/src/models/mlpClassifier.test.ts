import { Rng } from '@tenzo/core';
import { multilayerPerceptron } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridCnn } from './hybridCnn.js';
import { HybridMlp } from './hybridMlp.js';
import { mlpClassifier } from './mlpClassifier.js';

const spec = {
  inputs: 16,
  hidden: [12, 8],
  width: 8,
  outputs: 3,
  dropout: 0,
  deviceSeed: 1,
  layer: { rank: 2, zoSamples: 2, sketchSamples: 2 },
} as const;
const rngs = () => [new Rng(1), new Rng(2), new Rng(3)] as const;

describe('mlpClassifier', () => {
  it('without a device or conv front: the plain MLP, the same weights as multilayerPerceptron', () => {
    const c = mlpClassifier({ ...spec, device: 'none', deviceName: 'digital' }, ...rngs());
    expect(c.physical).toBeNull();
    expect(c.shape).toBe('16-12-8-3');
    const ref = multilayerPerceptron(
      { inputs: 16, hidden: [12, 8], outputs: 3, dropout: 0 },
      new Rng(1),
      new Rng(2),
    );
    const x = randn([2, 16], new Rng(4));
    expect((c.forward(x) as ReturnType<typeof ref.forward>).toFlat()).toEqual(ref.forward(x).toFlat());
    expect(c.digital.map(([n]) => n)).toEqual(ref.namedParameters().map(([n]) => n));
  });

  it('with a device: a HybridMlp; its digital parameters leave out ω and the gain; the shape names the device', async () => {
    const c = mlpClassifier({ ...spec, device: 'slm', deviceName: 'slm' }, ...rngs());
    expect(c.model).toBeInstanceOf(HybridMlp);
    expect(c.physical).not.toBeNull();
    expect(c.shape).toBe('16-8-[slm 8→8]-3');
    expect(c.digital.some(([n]) => n.startsWith('device'))).toBe(false);
    expect((await c.forward(randn([2, 16], new Rng(4)))).shape).toEqual([2, 3]);
    const conv = { height: 4, width: 4, channels: 2, kernel: 2, stride: 2, padding: 0 };
    const d = mlpClassifier({ ...spec, device: 'none', deviceName: 'digital', conv }, ...rngs());
    expect(d.shape).toBe('16-conv2x2/2×2-[digital 8→8]-3');
    expect(d.physical).toBeNull();
  });

  it('cnn: the airbench-style HybridCnn with the device in its head, digital or removed alike', async () => {
    const cnn = { ...spec, inputs: 784, cnn: true };
    const c = mlpClassifier({ ...cnn, device: 'mrr', deviceName: 'mrr' }, ...rngs());
    expect(c.model).toBeInstanceOf(HybridCnn);
    expect(c.shape).toBe('784-cnn16,32-1568→8-[mrr 8→8]-3');
    expect(c.physical).not.toBeNull();
    expect((await c.forward(randn([2, 784], new Rng(4)))).shape).toEqual([2, 3]);
    const d = mlpClassifier({ ...cnn, device: 'none', deviceName: 'digital' }, ...rngs());
    expect(d.model).toBeInstanceOf(HybridCnn);
    expect(d.physical).toBeNull();
    expect(() => mlpClassifier({ ...spec, cnn: true, device: 'none', deviceName: 'x' }, ...rngs())).toThrow(
      /mlpClassifier: cnn expected 28×28×1 images \(784 inputs\)/,
    );
  });

  it('cnn with an image spec: colour images (CIFAR 32×32×3), inputs checked against it', async () => {
    const image = { height: 32, width: 32, channels: 3 };
    const c = mlpClassifier(
      { ...spec, inputs: 3072, image, cnn: true, device: 'slm', deviceName: 'slm' },
      ...rngs(),
    );
    expect((c.model as HybridCnn).image).toEqual(image);
    expect(c.shape).toBe('3072-cnn16,32-2048→8-[slm 8→8]-3');
    expect((await c.forward(randn([2, 3072], new Rng(4)))).shape).toEqual([2, 3]);
    expect(() =>
      mlpClassifier({ ...spec, inputs: 784, image, cnn: true, device: 'none', deviceName: 'x' }, ...rngs()),
    ).toThrow(
      'mlpClassifier: cnn expected 32×32×3 images (3072 inputs) without a conv front, got 784 inputs',
    );
  });
});
