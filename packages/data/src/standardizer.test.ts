import { NonFiniteError, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { fitStandardizer } from './standardizer.js';

describe('fitStandardizer', () => {
  it('gives the training rows zero mean and unit variance per feature, and applies the training statistics to other rows', () => {
    // 4 rows × 2 features: feature 0 ∈ {1, 3}, feature 1 constant 5
    const train = Float32Array.from([1, 5, 3, 5, 1, 5, 3, 5]);
    const f = fitStandardizer(train, 2);
    expect(Array.from(f(train))).toEqual([-1, 0, 1, 0, -1, 0, 1, 0]);
    // a constant feature has its variance floored at 1e-12: a test value off it is 1e6 per unit
    const test = f(Float32Array.from([2, 5.5]));
    expect(test[0]).toBe(0);
    expect(test[1]).toBeCloseTo(0.5e6, -1);
  });

  it('refuses arrays that are not whole rows, and non-finite values', () => {
    expect(() => fitStandardizer(new Float32Array(3), 2)).toThrow(ShapeError);
    expect(() => fitStandardizer(new Float32Array(0), 2)).toThrow(ShapeError);
    expect(() => fitStandardizer(Float32Array.from([1, Number.NaN]), 2)).toThrow(NonFiniteError);
    expect(() => fitStandardizer(Float32Array.from([1, 2]), 2)(new Float32Array(3))).toThrow(ShapeError);
  });
});
