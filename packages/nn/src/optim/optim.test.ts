import { NonFiniteError, OutOfRangeError, Rng } from '@tenzo/core';
import { randn, type Tensor, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../layers/activation.js';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../layers/sequential.js';
import { crossEntropy } from '../losses/crossEntropy.js';
import { Adam, AdamW } from './adam.js';
import { clipGradNorm } from './clipGradNorm.js';
import { cosineLR, stepLR, withWarmup } from './schedules.js';
import { SGD } from './sgd.js';

const quad = (p: Tensor) => p.square().sum().mul(0.5); // ∇ = p

describe('SGD', () => {
  it('follows the heavy-ball and Nesterov recurrences exactly', () => {
    for (const nesterov of [false, true]) {
      const p = tensor([1], { dtype: 'float64', requiresGrad: true });
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov });
      let x = 1;
      let v = 0;
      for (let t = 0; t < 5; t++) {
        opt.zeroGrad();
        quad(p).backward();
        opt.step();
        const g = x;
        v = t === 0 ? g : 0.9 * v + g;
        x -= 0.1 * (nesterov ? g + 0.9 * v : v);
        expect(p.item()).toBeCloseTo(x, 14);
      }
    }
  });

  it('applies weight decay as an L2 term', () => {
    const p = tensor([2], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([p], { lr: 0.5, weightDecay: 0.1 });
    p.grad = tensor([0], { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBeCloseTo(2 - 0.5 * 0.1 * 2, 14);
  });
});

describe('Adam / AdamW', () => {
  it('first step moves every coordinate by ≈ lr against the gradient sign', () => {
    const p = tensor([3, -2, 0.001], { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([p], { lr: 0.01 });
    quad(p).backward();
    opt.step();
    expect(p.toFlat()).toEqual(
      [3 - 0.01, -2 + 0.01, 0.001 - 0.01].map((v, i) => expect.closeTo(v, i === 2 ? 6 : 8)),
    );
  });

  it('minimises a quadratic', () => {
    const p = randn([10], new Rng(0), { dtype: 'float64' }).setRequiresGrad();
    const opt = new Adam([p], { lr: 0.05 });
    for (let t = 0; t < 500; t++) {
      opt.zeroGrad();
      quad(p).backward();
      opt.step();
    }
    expect(quad(p).item()).toBeLessThan(1e-6);
  });

  it('AdamW decays decoupled from the gradient', () => {
    const p = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.5 });
    p.grad = tensor([0], { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBeCloseTo(1 - 0.1 * 0.5, 14);
  });

  it('round-trips its state (for resuming training)', () => {
    const mk = () => tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const a = mk();
    const opt = new Adam([a], { lr: 0.1 });
    for (let t = 0; t < 3; t++) {
      opt.zeroGrad();
      quad(a).backward();
      opt.step();
    }
    const b = tensor(a.toFlat(), { dtype: 'float64', requiresGrad: true });
    const opt2 = new Adam([b], { lr: 0.1 });
    opt2.loadStateDict(opt.stateDict());
    for (const [p, o] of [
      [a, opt],
      [b, opt2],
    ] as const) {
      o.zeroGrad();
      quad(p).backward();
      o.step();
    }
    expect(b.toFlat()).toEqual(a.toFlat());
  });
});

describe('optimizer input checks', () => {
  it('refuses NaN gradients and bad settings, leaving weights untouched', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1 }, ['fc.weight']);
    p.grad = tensor([0, Number.NaN]);
    expect(() => opt.step()).toThrowError(NonFiniteError);
    expect(() => opt.step()).toThrowError('optimizer step 1: gradient of fc.weight has NaN at flat index 1');
    expect(p.toFlat()).toEqual([1, 2]);
    expect(() => new SGD([p], { lr: -1 })).toThrowError(OutOfRangeError);
    expect(() => new Adam([p], { beta1: 1 })).toThrowError(
      'Adam: beta1: expected a finite number >= 0 and < 1, got 1',
    );
  });
});

describe('clipGradNorm and schedules', () => {
  it('clips the global norm', () => {
    const a = tensor([3], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    a.grad = tensor([3]);
    b.grad = tensor([4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(a.grad.item(), b.grad.item())).toBeCloseTo(1, 5);
  });

  it('computes step, cosine and warm-up schedules', () => {
    const s = stepLR({ lr: 1, stepSize: 10, gamma: 0.5 });
    expect([s(0), s(9), s(10), s(25)]).toEqual([1, 1, 0.5, 0.25]);
    const c = cosineLR({ lr: 1, totalSteps: 100, minLr: 0.1 });
    expect(c(0)).toBe(1);
    expect(c(50)).toBeCloseTo(0.55, 12);
    expect(c(100)).toBeCloseTo(0.1, 12);
    const w = withWarmup(c, 10);
    expect(w(0)).toBeCloseTo(0.1, 12);
    expect(w(9)).toBe(1);
    expect(w(10)).toBe(1);
  });
});

describe('end to end', () => {
  it('an MLP learns XOR-like two-class data', () => {
    const rng = new Rng(7);
    const n = 200;
    const x = randn([n, 2], rng);
    const y = Array.from({ length: n }, (_, i) => (x.data[2 * i]! * x.data[2 * i + 1]! > 0 ? 1 : 0));
    const net = new Sequential(new Linear(2, 16, rng), new ReLU(), new Linear(16, 2, rng));
    const opt = new Adam(net.parameters(), { lr: 0.03 });
    for (let t = 0; t < 300; t++) {
      opt.zeroGrad();
      crossEntropy(net.forward(x), y).backward();
      opt.step();
    }
    const pred = net.forward(x).argmax(1).toFlat();
    const acc = pred.filter((p, i) => p === y[i]).length / n;
    expect(acc).toBeGreaterThan(0.95);
  });
});
