import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { batches } from '../batches.js';
import { subset } from '../dataset.js';
import { trainSplit } from '../split.js';
import { decodeMnistDigits } from './decode.js';
import { loadMnist } from './loadMnist.js';

// Per-class counts of the `mnist` package's 10,000 digits.
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('loadMnist', () => {
  const mnist = loadMnist();

  it('returns 10,000 28×28 images in [0, 1] with labels 0..9', () => {
    expect(mnist.n).toBe(10000);
    expect([mnist.height, mnist.width]).toEqual([28, 28]);
    expect(mnist.images).toHaveLength(10000 * 784);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of mnist.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    const counts = new Array(10).fill(0);
    for (const y of mnist.labels) counts[y]++;
    expect(counts).toEqual(COUNTS);
    expect(loadMnist()).toBe(mnist); // cached
  });

  it('splits 80/20 per class into exactly 8,000 / 2,000 and batches the training part', () => {
    const { train, test } = trainSplit(mnist.labels, { seed: 0 });
    expect([train.length, test.length]).toEqual([8000, 2000]);
    const perClass = new Array(10).fill(0);
    for (const i of test) perClass[mnist.labels[i]!]++;
    expect(perClass).toEqual(COUNTS.map((c) => Math.round(c * 0.2)));
    const trainSet = subset(mnist, train);
    let seen = 0;
    for (const b of batches(trainSet, { batchSize: 500, seed: 1 })) seen += b.size;
    expect(seen).toBe(8000);
  });

  it('reports malformed files as FormatError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-mnist-'));
    writeFileSync(join(dir, '0.json'), '{ "data": [0, 1');
    expect(() => loadMnist({ dir })).toThrow(FormatError);
    expect(() => loadMnist({ dir })).toThrow(`${join(dir, '0.json')}: expected JSON, got unparsable text`);
    expect(() => decodeMnistDigits({ data: new Array(783).fill(0) }, 'x.json')).toThrow(
      'x.json: expected data of length count×784, got 783',
    );
    expect(() => decodeMnistDigits({ data: [...new Array(783).fill(0), 1.5] }, 'x.json')).toThrow(
      'x.json: expected pixel values in [0, 1], got 1.5 at index 783',
    );
    expect(() => decodeMnistDigits([1, 2], 'x.json')).toThrow(
      'x.json: expected an object with a "data" array',
    );
  });
});
