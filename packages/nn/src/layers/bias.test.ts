import { ShapeError } from '@tenzo/core';
import { fromTypedArray } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { Bias } from './bias.js';

describe('Bias', () => {
  it('adds b over the last axis, starts at zero, and its gradient is the column sum of ȳ', () => {
    const layer = new Bias(3, { dtype: 'float64' });
    const x = fromTypedArray(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(Array.from(layer.forward(x).data)).toEqual([1, 2, 3, 4, 5, 6]);
    layer.bias.data.set([0.5, -1, 2]);
    const y = layer.forward(x);
    expect(Array.from(y.data)).toEqual([1.5, 1, 5, 4.5, 4, 8]);
    y.mul(fromTypedArray(Float64Array.from([1, 2, 3, 10, 20, 30]), [2, 3]))
      .sum()
      .backward();
    expect(Array.from(layer.bias.grad!.data)).toEqual([11, 22, 33]);
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['bias']);
  });

  it('refuses a wrong width, naming the layer', () => {
    expect(() => new Bias(3).forward(fromTypedArray(new Float32Array(4), [2, 2]))).toThrow(ShapeError);
    expect(() => new Bias(3).forward(fromTypedArray(new Float32Array(4), [2, 2]))).toThrow(/Bias\(3\)/);
    expect(() => new Bias(0)).toThrow(/Bias: features/);
  });
});
