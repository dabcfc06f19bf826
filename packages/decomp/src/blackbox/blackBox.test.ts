import { BudgetError, NonFiniteError, OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { type BatchFunction, BlackBox } from './blackBox.js';
import { chebyshevGrid, gridFunction, uniformGrid } from './grid.js';

const sumFn: BatchFunction = (p, count, d) => {
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) for (let k = 0; k < d; k++) y[i]! += (k + 1) * p[i * d + k]!;
  return y;
};

describe('BlackBox', () => {
  it('caches unique points across and inside batches and counts only those', async () => {
    let calls = 0;
    let rowsSeen = 0;
    const box = new BlackBox(
      (p, c, d) => {
        calls++;
        rowsSeen += c;
        return sumFn(p, c, d);
      },
      { n: 4, d: 3 },
    );
    const y = await box.evaluate(Int32Array.of(1, 2, 3, 1, 2, 3, 0, 0, 1));
    expect([...y]).toEqual([14, 14, 3]);
    expect(box.evaluations).toBe(2);
    expect(box.cacheHits).toBe(1);
    const y2 = await box.evaluate(Int32Array.of(0, 0, 1, 3, 3, 3));
    expect([...y2]).toEqual([3, 18]);
    expect(box.evaluations).toBe(3);
    expect(box.requests).toBe(5);
    expect(box.cacheHits).toBe(2);
    expect(calls).toBe(2);
    expect(rowsSeen).toBe(3);
    expect(box.lookup([1, 2, 3])).toBe(14);
    expect(box.lookup([2, 2, 2])).toBeUndefined();
    expect(box.bestMin()).toEqual({ index: Int32Array.of(0, 0, 1), value: 3 });
    expect(box.bestMax()?.value).toBe(18);
  });

  it('keeps many distinct points apart (hash chains compare whole rows)', async () => {
    const d = 5;
    const box = new BlackBox(sumFn, { n: 6, d });
    const all = new Int32Array(6 ** d * d);
    for (let p = 0; p < 6 ** d; p++)
      for (let k = 0, q = p; k < d; k++, q = Math.floor(q / 6)) all[p * d + k] = q % 6;
    const y = await box.evaluate(all);
    const again = await box.evaluate(all);
    expect(box.evaluations).toBe(6 ** d);
    expect([...again]).toEqual([...y]);
    expect([...(sumFn(all, 6 ** d, d) as Float64Array)]).toEqual([...y]);
  });

  it('throws BudgetError without evaluating when a batch exceeds the budget', async () => {
    const box = new BlackBox(sumFn, { n: 4, d: 2, budget: 3 });
    await box.evaluate(Int32Array.of(0, 0, 0, 1));
    await expect(box.evaluate(Int32Array.of(1, 1, 2, 2, 0, 0))).rejects.toBeInstanceOf(BudgetError);
    expect(box.evaluations).toBe(2);
    // the failed batch left nothing behind: the same points are still new
    expect(box.lookup([1, 1])).toBeUndefined();
    await box.evaluate(Int32Array.of(1, 1, 0, 0));
    expect(box.remaining).toBe(0);
  });

  it('tryEvaluate spends the rest of the budget in row order and marks the rest NaN', async () => {
    const box = new BlackBox(sumFn, { n: 4, d: 2, budget: 2 });
    const r = await box.tryEvaluate(Int32Array.of(0, 1, 0, 1, 1, 0, 3, 3));
    expect(r.complete).toBe(false);
    expect([...r.values]).toEqual([2, 2, 1, Number.NaN]);
    expect(box.evaluations).toBe(2);
  });

  it('rejects out-of-range indices and non-finite values, rolling the batch back', async () => {
    const box = new BlackBox(sumFn, { n: [2, 3] });
    await expect(box.evaluate(Int32Array.of(0, 0, 1, 3))).rejects.toBeInstanceOf(OutOfRangeError);
    expect(box.lookup([0, 0])).toBeUndefined();
    const bad = new BlackBox(() => Float64Array.of(Number.NaN), { n: 2, d: 2 });
    await expect(bad.evaluate(Int32Array.of(0, 1))).rejects.toBeInstanceOf(NonFiniteError);
    expect(bad.evaluations).toBe(0);
  });
});

describe('grids', () => {
  it('Chebyshev nodes run from b (index 0) to a, uniform from a to b', () => {
    const c = chebyshevGrid(5, -2, 4);
    expect(c[0]).toBeCloseTo(4, 14);
    expect(c[4]).toBeCloseTo(-2, 14);
    expect(c[2]).toBeCloseTo(1, 14);
    expect([...uniformGrid(3, 0, 1)]).toEqual([0, 0.5, 1]);
    expect(() => uniformGrid(3, 1, 0)).toThrow(/a < b/);
  });

  it('gridFunction maps indices to grid points', () => {
    const g = gridFunction((x) => x[0]! * 10 + x[1]!, [uniformGrid(3, 0, 2), uniformGrid(2, 5, 6)]);
    expect([...(g(Int32Array.of(2, 1, 0, 0), 2, 2) as Float64Array)]).toEqual([26, 5]);
  });
});
