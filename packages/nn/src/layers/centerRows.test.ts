import { Rng } from '@tenzo/core';
import { randn, tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moduleGradCheck } from '../testing/moduleGradCheck.js';
import { CenterRows } from './centerRows.js';

describe('CenterRows', () => {
  it('removes the per-row mean and keeps the rest', () => {
    const y = new CenterRows().forward(
      tensor([
        [1, 2, 3],
        [10, 10, 13],
      ]),
    );
    expect(y.toArray()).toEqual([
      [-1, 0, 1],
      [-1, -1, 2],
    ]);
  });

  it('every row of [..., d] has zero mean, and a constant added to a row vanishes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (seed, c) => {
          const x = randn([2, 3, 5], new Rng(seed), { dtype: 'float64' });
          const y = new CenterRows().forward(x).toFlat();
          const shifted = new CenterRows().forward(x.add(c)).toFlat();
          for (let r = 0; r < 6; r++) {
            const row = y.slice(r * 5, r * 5 + 5);
            expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
          }
          for (let i = 0; i < y.length; i++) expect(shifted[i]!).toBeCloseTo(y[i]!, 10);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('passes a gradient check', () => {
    const x = randn([4, 6], new Rng(1), { dtype: 'float64' });
    expect(moduleGradCheck(() => new CenterRows().forward(x), [x])).toBeLessThan(1e-6);
  });
});
