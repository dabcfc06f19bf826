import { ArgumentError, OutOfRangeError, Rng, ShapeError } from '@tenzo/core';
import { randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { moduleGradCheck } from '../testing/moduleGradCheck.js';
import { MaxPool2d, maxPool2d } from './maxPool2d.js';

/** y[b, i, j, c] = max over the window at (i·s, j·s) of x[b, ·, ·, c], from the definition. */
function naiveMaxPool(x: number[][][][], k: number, s: number): number[][][][] {
  const h = x[0]!.length;
  const w = x[0]![0]!.length;
  const c = x[0]![0]![0]!.length;
  const hOut = Math.floor((h - k) / s) + 1;
  const wOut = Math.floor((w - k) / s) + 1;
  return x.map((img) =>
    Array.from({ length: hOut }, (_, i) =>
      Array.from({ length: wOut }, (_, j) =>
        Array.from({ length: c }, (_, ch) => {
          let m = Number.NEGATIVE_INFINITY;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) m = Math.max(m, img[i * s + ky]![j * s + kx]![ch]!);
          return m;
        }),
      ),
    ),
  );
}

describe('MaxPool2d', () => {
  for (const [k, s, out] of [
    [2, 2, [3, 2]],
    [3, 2, [2, 2]],
    [2, 1, [5, 4]],
  ] as const) {
    it(`matches the definition (kernel ${k}, stride ${s})`, () => {
      const x = randn([2, 6, 5, 3], new Rng(k * 10 + s), { dtype: 'float64' });
      const y = new MaxPool2d(k, s).forward(x);
      expect(y.shape).toEqual([2, ...out, 3]);
      expect(y.toArray()).toEqual(naiveMaxPool(x.toArray() as number[][][][], k, s));
    });
  }

  it('halves each side by default and routes the gradient to each window’s maximum', () => {
    const x = tensor(
      [
        [
          [[1], [5]],
          [[3], [2]],
        ],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const pool = new MaxPool2d(2);
    expect(pool.stride).toBe(2);
    const y = pool.forward(x);
    expect(y.toFlat()).toEqual([5]);
    y.mul(7).sum().backward();
    expect(x.grad!.toFlat()).toEqual([0, 7, 0, 0]);
    // overlapping windows add their gradients on a shared maximum
    const z = tensor([[[[0], [9], [0]]]], { dtype: 'float64', requiresGrad: true });
    maxPool2d(z.reshape([1, 1, 3, 1]).broadcastTo([1, 2, 3, 1]), 2, 1)
      .sum()
      .backward();
    expect(z.grad!.toFlat()).toEqual([0, 2, 0]);
  });

  it('passes a float64 gradient check', () => {
    const x = randn([2, 5, 4, 3], new Rng(9), { dtype: 'float64' });
    expect(moduleGradCheck(() => maxPool2d(x, 2), [x])).toBeLessThan(1e-8);
    expect(moduleGradCheck(() => maxPool2d(x, 3, 1), [x])).toBeLessThan(1e-8);
  });

  it('keeps the dtype', () => {
    expect(maxPool2d(randn([1, 4, 4, 2], new Rng(0)), 2).dtype).toBe('float32');
  });

  it('rejects bad shapes and sizes with typed errors', () => {
    expect(() => maxPool2d(randn([2, 4, 4], new Rng(0)), 2)).toThrowError(
      new ShapeError('maxPool2d: x expected [B, H, W, C] (channels last), got [2, 4, 4]'),
    );
    expect(() => maxPool2d(randn([1, 1, 4, 2], new Rng(0)), 2)).toThrowError(
      new ShapeError('maxPool2d: x is 1×4, smaller than the 2×2 window'),
    );
    expect(() => maxPool2d('x' as never, 2)).toThrowError(ArgumentError);
    expect(() => new MaxPool2d(0)).toThrowError(OutOfRangeError);
    expect(() => new MaxPool2d(2, 1.5)).toThrowError('MaxPool2d: stride: expected an integer');
  });
});
