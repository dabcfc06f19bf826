import { NonFiniteError, Rng, ShapeError } from '@tenzo/core';
import { gradCheck, randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './crossEntropy.js';
import { mseLoss } from './mse.js';

describe('crossEntropy', () => {
  it('matches −log softmax at the target', () => {
    const logits = tensor(
      [
        [1, 2, 3],
        [1, 1, 1],
      ],
      { dtype: 'float64' },
    );
    const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const expected = (lse0 - 2 + Math.log(3)) / 2;
    expect(crossEntropy(logits, [1, 0]).item()).toBeCloseTo(expected, 14);
    expect(crossEntropy(logits, [1, 0], { reduction: 'none' }).toFlat()[1]).toBeCloseTo(Math.log(3), 14);
  });

  it('label smoothing mixes in the uniform target', () => {
    const logits = tensor([[2, 0, -1]], { dtype: 'float64' });
    const logp = logits.logSoftmax().toFlat();
    const eps = 0.1;
    const expected = -((1 - eps + eps / 3) * logp[0]! + (eps / 3) * (logp[1]! + logp[2]!));
    expect(crossEntropy(logits, [0], { labelSmoothing: eps }).item()).toBeCloseTo(expected, 14);
  });

  it('has the right gradient (softmax − onehot)/N', () => {
    const x = randn([4, 5], new Rng(0), { dtype: 'float64' });
    expect(gradCheck((l) => crossEntropy(l, [0, 4, 2, 2]), [x]).maxRelError).toBeLessThan(1e-6);
  });

  it('reports NaN logits and wrong target counts', () => {
    expect(() => crossEntropy(tensor([[0, Number.NaN]]), [0])).toThrowError(NonFiniteError);
    expect(() => crossEntropy(tensor([[0, Number.NaN]]), [0])).toThrowError(
      'crossEntropy: logits: expected finite values, got NaN at flat index 1',
    );
    expect(() => crossEntropy(tensor([[0, 1]]), [0, 1])).toThrowError(ShapeError);
    expect(() => crossEntropy(tensor([[0, 1]]), [2])).toThrowError(
      /indices\[0\] expected an integer in \[0, 2\), got 2/,
    );
  });
});

describe('mseLoss', () => {
  it('averages squared errors and checks shapes', () => {
    expect(mseLoss(tensor([1, 2]), tensor([3, 2])).item()).toBe(2);
    expect(() => mseLoss(tensor([1, 2]), tensor([1]))).toThrowError(/same shape/);
    expect(() => mseLoss(tensor([Number.POSITIVE_INFINITY]), tensor([1]))).toThrowError(NonFiniteError);
  });
});
