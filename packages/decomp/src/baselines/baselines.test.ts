import { describe, expect, it } from 'vitest';
import { benchmarkFunction } from '../benchmarks/functions.js';
import { onePlusOneMinimize, randomSearchMinimize, ttCrossMinimize } from './blackBoxBaselines.js';

describe('black-box baselines', () => {
  it('spend the budget, return the best evaluated point and a decreasing trace', async () => {
    const d = 12;
    const bf = benchmarkFunction('Sphere', d);
    for (const run of [randomSearchMinimize, onePlusOneMinimize, ttCrossMinimize]) {
      const r = await run(bf.batch, { d, n: 8, budget: 400, seed: 3 });
      expect(r.evaluations).toBeLessThanOrEqual(400);
      expect(r.evaluations).toBeGreaterThan(300);
      const x = Float64Array.from(r.index, (i, k) => bf.grids[k]![i]!);
      expect(bf.f(x)).toBe(r.value);
      for (let j = 1; j < r.trace.length; j++) expect(r.trace[j]!.value).toBeLessThan(r.trace[j - 1]!.value);
      expect(r.trace.at(-1)!.value).toBe(r.value);
    }
  });
});
