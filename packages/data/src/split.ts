import { ArgumentError, checkNumber, describeValue, Rng, type Seed } from '@tenzo/core';
import type { Labels } from './dataset.js';

/**
 * Options of `stratifiedSplit`: the share of each class that goes to the test set and the seed of the
 * shuffle.
 */
export interface SplitOptions {
  /** fraction of each class that goes to the test set, in [0, 1] (default 0.2) */
  testFraction?: number;
  seed: Seed;
}

/** Row indices into the dataset, each ascending. */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/**
 * A seeded stratified train/test split: within each class, round(count · testFraction) examples
 * chosen uniformly at random go to the test set, so class proportions match in both parts (which
 * a plain random split only does on average). Same labels and seed → same split.
 *
 * MNIST's 10,000 digits with the default 0.2 give exactly 8,000 / 2,000.
 */
export function trainSplit(labels: Labels | readonly number[], opts: SplitOptions): Split {
  const fraction = checkNumber('testFraction', opts.testFraction ?? 0.2, { min: 0, max: 1 });
  const rng = new Rng(opts.seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0) {
      throw new ArgumentError(`labels[${i}]: expected a non-negative integer class, got ${describeValue(y)}`);
    }
    let list = byClass.get(y);
    if (!list) byClass.set(y, (list = []));
    list.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  // Classes in ascending order so the stream of draws does not depend on label order.
  for (const y of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(byClass.get(y)!) as number[];
    const nTest = Math.round(members.length * fraction);
    for (let k = 0; k < members.length; k++) (k < nTest ? test : train).push(members[k]!);
  }
  const sorted = (xs: number[]) => Int32Array.from(xs).sort();
  return { train: sorted(train), test: sorted(test) };
}
