import { OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { trainSplit } from './split.js';

// 3 classes of sizes 50, 31, 19, interleaved.
const labels = Uint8Array.from({ length: 100 }, (_, i) =>
  i < 50 ? (i % 2) * 2 : i < 81 ? 1 : i % 2 ? 0 : 2,
);

function classCounts(idx: Int32Array): number[] {
  const c = [0, 0, 0];
  for (const i of idx) c[labels[i]!]!++;
  return c;
}

describe('trainSplit', () => {
  it('takes round(count · testFraction) of each class for the test set', () => {
    const total = [0, 0, 0];
    for (const y of labels) total[y]!++;
    const { train, test } = trainSplit(labels, { testFraction: 0.2, seed: 1 });
    expect(classCounts(test)).toEqual(total.map((c) => Math.round(c * 0.2)));
    expect(classCounts(train)).toEqual(total.map((c) => c - Math.round(c * 0.2)));
  });

  it('is disjoint, covers every index, ascending, and reproducible for a seed', () => {
    const a = trainSplit(labels, { seed: 7 });
    const all = [...a.train, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...a.train]).toEqual([...a.train].sort((x, y) => x - y));
    expect(trainSplit(labels, { seed: 7 })).toEqual(a);
    expect(trainSplit(labels, { seed: 8 }).test).not.toEqual(a.test);
  });

  it('handles the extremes and rejects fractions outside [0, 1]', () => {
    expect(trainSplit(labels, { testFraction: 0, seed: 1 }).test).toHaveLength(0);
    expect(trainSplit(labels, { testFraction: 1, seed: 1 }).train).toHaveLength(0);
    expect(() => trainSplit(labels, { testFraction: 1.5, seed: 1 })).toThrow(OutOfRangeError);
    expect(() => trainSplit(labels, { testFraction: 1.5, seed: 1 })).toThrow(
      'testFraction: expected a finite number >= 0 and <= 1, got 1.5',
    );
    expect(() => trainSplit([0, -1], { seed: 1 })).toThrow(
      'labels[1]: expected a non-negative integer class, got -1',
    );
  });
});
