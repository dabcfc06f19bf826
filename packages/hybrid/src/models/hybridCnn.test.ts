import { ArgumentError, Rng, ShapeError } from '@tenzo/core';
import { fitNormalization, normalize, subset, trainSplit } from '@tenzo/data';
import { loadMnist } from '@tenzo/data/node';
import { Adam, crossEntropy, GELU, moduleGradCheck } from '@tenzo/nn';
import { fromTypedArray, noGrad, randn, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { makeDevice } from '../makeDevice.js';
import { HybridCnn, type HybridCnnSpec } from './hybridCnn.js';

const small: Omit<HybridCnnSpec, 'device'> = {
  image: { height: 6, width: 6, channels: 1 },
  stages: [2, 3],
  width: 5,
  outputs: 3,
  layer: { rank: 2, zoSamples: 4, sketchSamples: 4 },
  deviceSeed: 0,
};

const build = (spec: HybridCnnSpec, seed = 0) => {
  const rng = new Rng(seed);
  return new HybridCnn(spec, rng.fork(), rng.fork(), rng.fork());
};

/** The head after the device slot: GELU (tanh form) → readout Linear, written out. */
function readout(net: HybridCnn, h: Tensor): Tensor {
  const [[, w], [, b]] = net.post.namedParameters() as [[string, Tensor], [string, Tensor]];
  return h.gelu({ approximate: 'tanh' }).matmul(w, { transposeB: true }).add(b);
}

function expectClose(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.toFlat();
  want.toFlat().forEach((v, i) => {
    expect(g[i]).toBeCloseTo(v, 6);
  });
}

describe('HybridCnn', () => {
  it('maps MNIST-sized images of every accepted layout to logits through the device', async () => {
    const net = build({
      outputs: 10,
      device: 'slm',
      layer: { rank: 2, zoSamples: 4, sketchSamples: 4 },
      deviceSeed: 0,
    });
    expect(net.features).toBe(7 * 7 * 32);
    expect(net.physical!.device.inputSize).toBe(128);
    const x = randn([2, 784], new Rng(1));
    const flat = await net.forward(x);
    expect(flat.shape).toEqual([2, 10]);
    expect(net.physical!.queries.forward).toBe(2);
    net.eval();
    const a = (await net.forward(x)).toFlat();
    expect((await net.forward(x.reshape([2, 28, 28, 1]))).toFlat()).toEqual(a);
    expect((await net.forward(x.reshape([2, 1, 28, 28]))).toFlat()).toEqual(a);
    expect(net.digitalParameters().map(([n, p]) => `${n} ${p.shape.join('×')}`)).toEqual([
      'pre.0.weight 16×1×3×3',
      'pre.1.weight 16',
      'pre.1.bias 16',
      'pre.4.weight 32×16×3×3',
      'pre.5.weight 32',
      'pre.5.bias 32',
      'pre.9.weight 128×1568',
      'pre.9.bias 128',
      'post.2.weight 10×128',
      'post.2.bias 10',
    ]);
    expect(net.post.layers.map((l) => l.constructor.name)).toEqual(['CenterRows', 'GELU', 'Linear']);
    expect(Object.keys(net.stateDict())).toContain('pre.5.runningVar');
  });

  it("'none' is the digital CNN with a Linear(W, W) in the device's place; 'identity' removes the layer", async () => {
    const x = randn([4, 36], new Rng(2));
    const digital = build({ ...small, device: 'none' });
    expect(digital.physical).toBeNull();
    expect(digital.post.layers.map((l) => l.constructor.name)).toEqual(['GELU', 'Linear']);
    const mid = digital.middle!;
    const h = digital.pre.forward(x.reshape([4, 6, 6, 1]));
    const want = readout(digital, h.matmul(mid.weight, { transposeB: true }).add(mid.bias!));
    const got = await digital.forward(x);
    expectClose(got, want);
    expect(digital.digitalParameters().map(([n]) => n)).toContain('middle.weight');

    const removed = build({ ...small, device: 'identity' });
    expect(removed.physical).toBeNull();
    expect(removed.middle).toBeNull();
    expect(removed.digitalParameters().map(([n]) => n)).not.toContain('middle.weight');
    const hr = removed.pre.forward(x.reshape([4, 6, 6, 1]));
    const r = await removed.forward(x);
    expectClose(r, readout(removed, hr));
    // a device layer without centring has the same head layers as the digital twin
    expect(
      build({ ...small, device: 'mrr', center: false }).post.layers.map((l) => l.constructor.name),
    ).toEqual(['GELU', 'Linear']);
  });

  it("uses the tanh GELU by default, within 1e-3 of the exact form that gelu: 'none' selects", () => {
    const forms = (net: HybridCnn) =>
      [...net.pre.layers, ...net.post.layers]
        .filter((l) => l instanceof GELU)
        .map((l) => (l as GELU).approximate);
    expect(forms(build({ ...small, device: 'none' }))).toEqual(['tanh', 'tanh', 'tanh', 'tanh']);
    expect(forms(build({ ...small, device: 'none', gelu: 'none' }))).toEqual([
      'none',
      'none',
      'none',
      'none',
    ]);
    const grid = fromTypedArray(
      Float64Array.from({ length: 2001 }, (_, i) => -10 + i / 100),
      [2001],
    );
    const gap = grid.gelu({ approximate: 'tanh' }).sub(grid.gelu()).abs().max().item();
    expect(gap).toBeGreaterThan(1e-5);
    expect(gap).toBeLessThan(1e-3);
  });

  it('passes a float64 gradient check of the digital path (convs, batch norms, pools, head)', () => {
    const net = build({ ...small, device: 'none', dtype: 'float64' }, 3);
    const x = randn([3, 6, 6, 1], new Rng(4), { dtype: 'float64' });
    const f = () => net.post.forward(net.middle!.forward(net.pre.forward(x)));
    const params = net.digitalParameters().map(([, p]) => p);
    expect(params.length).toBe(12);
    expect(moduleGradCheck(f, [x, ...params])).toBeLessThan(1e-6);
  });

  it('round-trips its state dict (weights, batch-norm statistics, device ω and gain)', async () => {
    for (const device of ['none', 'slm'] as const) {
      const net = build({ ...small, device }, 5);
      const x = randn([8, 36], new Rng(6));
      const opt = new Adam(
        net.parameters().filter((p) => p.dtype === 'float32'),
        { lr: 1e-2 },
      );
      crossEntropy(await net.forward(x), [0, 1, 2, 0, 1, 2, 0, 1]).backward();
      opt.step();
      const copy = build({ ...small, device }, 99);
      const state = net.stateDict();
      expect(copy.loadStateDict(state)).toEqual({ missing: [], unexpected: [] });
      expect(copy.stateDict()['pre.1.runningMean']!.toFlat()).toEqual(state['pre.1.runningMean']!.toFlat());
      net.eval();
      copy.eval();
      expect((await copy.forward(x)).toFlat()).toEqual((await net.forward(x)).toFlat());
    }
  });

  it('rejects bad specs and inputs with typed errors', async () => {
    const rng = new Rng(0);
    const wrong = makeDevice('slm', 4, { seed: 0, rank: 2 });
    expect(() => build({ ...small, device: wrong })).toThrowError(
      new ArgumentError(
        "HybridCnn: device: expected a 5 → 5 device (width), got 'slm-phase-matrix 4x4' 4 → 4",
      ),
    );
    expect(() => build({ ...small, stages: [2, 2, 2], device: 'none' })).toThrowError(
      'HybridCnn: stages: stage 2 gets a 1×1 map, too small to pool; use fewer stages or a larger image',
    );
    expect(() => build({ ...small, stages: [], device: 'none' })).toThrowError(ArgumentError);
    expect(() => build({ ...small, width: 0, device: 'none' })).toThrowError('HybridCnn: width');
    expect(() => build({ ...small, dropout: 1, device: 'none' })).toThrowError('HybridCnn: dropout');
    expect(() => build({ ...small, gelu: 'erf' as never, device: 'none' })).toThrowError(
      new ArgumentError(`HybridCnn: gelu expected 'none' or 'tanh', got "erf"`),
    );
    const net = build({ ...small, device: 'none' });
    await expect(net.forward(randn([2, 35], rng))).rejects.toThrowError(
      new ShapeError('HybridCnn: x expected [B, 6, 6, 1], [B, 36] or [B, 1, 6, 6], got [2, 35]'),
    );
    await expect(net.forward(randn([2, 6, 6, 2], rng))).rejects.toThrowError(ShapeError);
    await expect(net.forward([1, 2] as never)).rejects.toThrowError(ArgumentError);
  });

  it('the digital CNN learns MNIST far above chance from 1,200 digits in one epoch (18 steps)', async () => {
    const mnist = loadMnist();
    const split = trainSplit(mnist.labels, { seed: 0, testFraction: 0.88 });
    const train = subset(mnist, split.train);
    const test = subset(mnist, split.test.slice(0, 600));
    const stats = fitNormalization(train.images, 784);
    const net = build(
      { outputs: 10, stages: [8, 16], width: 64, device: 'none', layer: {}, deviceSeed: 0 },
      7,
    );
    const opt = new Adam(
      net.digitalParameters().map(([, p]) => p),
      { lr: 3e-3 },
    );
    const order = new Rng(8).permutation(train.n);
    const x = normalize(train.images, stats);
    for (let s = 0; s + 64 <= train.n; s += 64) {
      const idx = order.subarray(s, s + 64);
      const xb = new Float32Array(64 * 784);
      idx.forEach((i, r) => {
        xb.set(x.subarray(i * 784, (i + 1) * 784), r * 784);
      });
      net.zeroGrad();
      crossEntropy(
        await net.forward(fromTypedArray(xb, [64, 784])),
        Array.from(idx, (i) => train.labels[i]!),
      ).backward();
      opt.step();
    }
    net.eval();
    const logits = await noGrad(() =>
      net.forward(fromTypedArray(normalize(test.images, stats), [test.n, 784])),
    );
    const pred = logits.argmax(1).toFlat();
    const accuracy = pred.filter((p, i) => p === test.labels[i]).length / test.n;
    expect(accuracy).toBeGreaterThan(0.85); // 0.947 at these seeds; chance is 0.1
  }, 60_000);
});
