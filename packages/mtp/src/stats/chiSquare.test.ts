import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit, gammaQ } from './chiSquare.js';

describe('chi-square', () => {
  it('gammaQ matches closed forms and table values', () => {
    for (const x of [0.1, 1, 3, 10]) expect(gammaQ(1, x)).toBeCloseTo(Math.exp(-x), 12);
    expect(gammaQ(0.5, 3.841458820694124 / 2)).toBeCloseTo(0.05, 8); // χ²₁ at 95%
    expect(gammaQ(5, 18.307038053275146 / 2)).toBeCloseTo(0.05, 8); // χ²₁₀ at 95%
  });

  it('tests counts against probabilities, pooling sparse cells', () => {
    const res = chiSquareGoodnessOfFit([50, 30, 20], [0.5, 0.3, 0.2]);
    expect(res.statistic).toBe(0);
    expect(res.dof).toBe(2);
    expect(res.pValue).toBeCloseTo(1, 12);
    expect(chiSquareGoodnessOfFit([90, 10, 0], [0.5, 0.3, 0.2]).pValue).toBeLessThan(1e-6);
    expect(chiSquareGoodnessOfFit([98, 1, 1], [0.98, 0.01, 0.01]).dof).toBe(1);
    expect(() => chiSquareGoodnessOfFit([1], [0.5, 0.5])).toThrowError(
      'chiSquare: observed and probs expected equal lengths, got 1 and 2',
    );
  });
});
