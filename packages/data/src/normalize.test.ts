import { ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { fitNormalization, normalize } from './normalize.js';

describe('normalization', () => {
  // 2 rows × 2 features: feature 0 is {0, 2}, feature 1 is constant 1.
  const x = Float32Array.from([0, 1, 2, 1]);

  it('fits a global mean/std and standardises with it', () => {
    const stats = fitNormalization(x, 2);
    expect([...stats.mean]).toEqual([1]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(0.5), 6);
    const z = normalize(x, stats);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 5);
    expect([...x]).toEqual([0, 1, 2, 1]); // input untouched
  });

  it('fits per-feature stats with a floor on constant features, and applies train stats to test data', () => {
    const stats = fitNormalization(x, 2, { perFeature: true, minStd: 0.1 });
    expect([...stats.mean]).toEqual([1, 1]);
    expect([...stats.std]).toEqual([1, Math.fround(0.1)]);
    expect([...normalize(Float32Array.from([3, 1.5]), stats)].map((v) => Number(v.toFixed(4)))).toEqual([
      2, 5,
    ]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => fitNormalization(new Float32Array(5), 2)).toThrow(ShapeError);
    expect(() => normalize(new Float32Array(5), fitNormalization(x, 2, { perFeature: true }))).toThrow(
      'images: expected n×2 values',
    );
  });
});
