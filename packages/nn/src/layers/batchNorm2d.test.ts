import { ArgumentError, OutOfRangeError, Rng, ShapeError } from '@tenzo/core';
import { randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { moduleGradCheck } from '../testing/moduleGradCheck.js';
import { BatchNorm2d } from './batchNorm2d.js';

/** x [B, H, W, C] with channel c scaled by scale[c] and shifted by shift[c]. */
function images(rng: Rng, scale: number[], shift: number[]) {
  return randn([3, 4, 5, scale.length], rng, { dtype: 'float64' })
    .mul(tensor(scale, { dtype: 'float64' }))
    .add(tensor(shift, { dtype: 'float64' }));
}

describe('BatchNorm2d', () => {
  it('normalises each channel over batch, height and width and tracks running statistics', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64', momentum: 0.25 });
    const x = images(new Rng(1), [3, 0.5], [1, -2]);
    const y = bn.forward(x);
    expect(y.shape).toEqual([3, 4, 5, 2]);
    const mu = y.mean({ axis: [0, 1, 2] }).toFlat();
    const v = y.variance({ axis: [0, 1, 2], correction: 0 }).toFlat();
    const xm = x.mean({ axis: [0, 1, 2] }).toFlat();
    const xv = x.variance({ axis: [0, 1, 2], correction: 0 }).toFlat();
    const xvUnbiased = x.variance({ axis: [0, 1, 2], correction: 1 }).toFlat();
    for (let c = 0; c < 2; c++) {
      expect(mu[c]).toBeCloseTo(0, 12);
      expect(v[c]).toBeCloseTo(xv[c]! / (xv[c]! + 1e-5), 12);
      expect(bn.runningMean.toFlat()[c]).toBeCloseTo(0.25 * xm[c]!, 12);
      expect(bn.runningVar.toFlat()[c]).toBeCloseTo(0.75 + 0.25 * xvUnbiased[c]!, 12);
    }
    // a second batch moves the averages again by the momentum
    const x2 = images(new Rng(2), [1, 2], [0, 0]);
    bn.forward(x2);
    const m2 = x2.mean({ axis: [0, 1, 2] }).toFlat();
    expect(bn.runningMean.toFlat()[1]).toBeCloseTo(0.75 * 0.25 * xm[1]! + 0.25 * m2[1]!, 12);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'runningMean', 'runningVar']);
  });

  it('applies γ and β per channel, and the state dict round-trips the running statistics', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64' });
    bn.weight.data.set([2, -1]);
    bn.bias.data.set([0.5, 3]);
    const x = images(new Rng(3), [1, 1], [0, 0]);
    const plain = new BatchNorm2d(2, { dtype: 'float64' }).forward(x).toFlat();
    const y = bn.forward(x).toFlat();
    for (let i = 0; i < y.length; i += 2) {
      expect(y[i]).toBeCloseTo(2 * plain[i]! + 0.5, 12);
      expect(y[i + 1]).toBeCloseTo(-plain[i + 1]! + 3, 12);
    }
    const copy = new BatchNorm2d(2, { dtype: 'float64' });
    copy.loadStateDict(bn.stateDict());
    expect(copy.runningMean.toFlat()).toEqual(bn.runningMean.toFlat());
    expect(copy.runningVar.toFlat()).toEqual(bn.runningVar.toFlat());
    bn.eval();
    copy.eval();
    expect(copy.forward(x).toFlat()).toEqual(bn.forward(x).toFlat());
  });

  it('uses the running statistics in eval, so an image does not depend on its batch', () => {
    const bn = new BatchNorm2d(3, { dtype: 'float64' });
    bn.runningMean.data.set([1, 2, 3]);
    bn.runningVar.data.set([4, 1, 0.25]);
    bn.eval();
    const one = tensor([[[[3, 2, 3.5]]]], { dtype: 'float64' });
    const y = bn.forward(one).toFlat();
    expect(y[0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 12);
    expect(y[1]).toBeCloseTo(0, 12);
    expect(y[2]).toBeCloseTo(0.5 / Math.sqrt(0.25 + 1e-5), 12);
    const batch = randn([4, 2, 2, 3], new Rng(4), { dtype: 'float64' });
    const alone = bn.forward(batch.slice([1, 0, 0, 0], [1, 2, 2, 3])).toFlat();
    expect(bn.forward(batch).slice([1, 0, 0, 0], [1, 2, 2, 3]).toFlat()).toEqual(alone);
    const before = bn.runningMean.toFlat();
    bn.forward(batch);
    expect(bn.runningMean.toFlat()).toEqual(before);
  });

  it('passes float64 gradient checks through input, weight and bias in training and in eval', () => {
    const rng = new Rng(6);
    const bn = new BatchNorm2d(3, { dtype: 'float64' });
    rng.fillNormal(bn.weight.data);
    rng.fillNormal(bn.bias.data);
    const x = randn([2, 3, 2, 3], rng, { dtype: 'float64' });
    expect(moduleGradCheck(() => bn.forward(x), [x, bn.weight, bn.bias])).toBeLessThan(1e-7);
    bn.eval();
    bn.runningVar.data.set([0.5, 2, 1.5]);
    expect(moduleGradCheck(() => bn.forward(x), [x, bn.weight, bn.bias])).toBeLessThan(1e-7);
  });

  it('keeps a float32 layer in float32', () => {
    const bn = new BatchNorm2d(2);
    const x = randn([2, 3, 3, 2], new Rng(7));
    x.requiresGrad = true;
    const y = bn.forward(x);
    expect(y.dtype).toBe('float32');
    y.sum().backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(bn.weight.grad!.dtype).toBe('float32');
  });

  it('rejects bad shapes and options with typed errors', () => {
    const bn = new BatchNorm2d(3);
    expect(() => bn.forward(randn([2, 4, 4, 5], new Rng(0)))).toThrowError(
      new ShapeError('BatchNorm2d(3): x expected [B, H, W, 3] (channels last), got [2, 4, 4, 5]'),
    );
    expect(() => bn.forward(randn([2, 3], new Rng(0)))).toThrowError(ShapeError);
    expect(() => bn.forward(randn([1, 1, 1, 3], new Rng(0)))).toThrowError(
      'BatchNorm2d(3): training expected more than one value per channel, got x [1, 1, 1, 3]',
    );
    expect(() => bn.forward([1, 2, 3] as never)).toThrowError(ArgumentError);
    expect(() => new BatchNorm2d(0)).toThrowError(OutOfRangeError);
    expect(() => new BatchNorm2d(2, { momentum: 1.5 })).toThrowError(OutOfRangeError);
    expect(() => new BatchNorm2d(2, { eps: 0 })).toThrowError(OutOfRangeError);
  });
});
