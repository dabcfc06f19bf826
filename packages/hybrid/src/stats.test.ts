import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { addCounts, type QueryCounts, subCounts, totalQueries, zeroCounts } from './stats.js';

function randomCounts(rng: Rng): QueryCounts {
  return {
    forward: rng.int(1e6),
    surrogate: rng.int(1e6),
    rebuild: rng.int(1e6),
    zo: rng.int(1e6),
    correction: rng.int(1e6),
  };
}

describe('query counts', () => {
  it('subCounts undoes addCounts and totals add up (200 random cases)', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const a = randomCounts(rng);
      const b = randomCounts(rng);
      expect(subCounts(addCounts(a, b), b)).toEqual(a);
      expect(totalQueries(addCounts(a, b))).toBe(totalQueries(a) + totalQueries(b));
      expect(subCounts(a, a)).toEqual(zeroCounts());
    }
  });
});
