import { Rng } from '@tenzo/core';
import { svdValues } from '@tenzo/linalg';
import { randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { LowRankFfn } from './lowRankFfn.js';

describe('LowRankFfn', () => {
  it('is a rank-r d → d map W₂W₁ without biases', () => {
    const f = new LowRankFfn(8, 2, new Rng(5));
    expect(f.parameterCount()).toBe(32);
    expect(f.forward(randn([3, 4, 8], new Rng(6))).shape).toEqual([3, 4, 8]);
    // the map's matrix: rows of f(I)
    const eye = tensor(Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => +(i === j))));
    const s = svdValues({ rows: 8, cols: 8, data: Float64Array.from(f.forward(eye).toFlat()) });
    expect(s.filter((v) => v > 1e-6 * s[0]!)).toHaveLength(2);
  });

  it('rejects a rank above d', () => {
    expect(() => new LowRankFfn(8, 9, new Rng(5))).toThrowError(
      'LowRankFfn: rank: expected an integer >= 1 and <= 8, got 9',
    );
  });
});
