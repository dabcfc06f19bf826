import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { normalize } from '../normalize.js';
import { loadCifarFolder } from './cifarFolder.js';
import { cifarFiles } from './loadCifar.js';

/** `records` records in the binary format: `labelBytes` label bytes (all `label`), 3072 random pixel bytes. */
function records(rng: Rng, n: number, labelBytes: number, label: number): Uint8Array {
  const rec = labelBytes + 3072;
  const bytes = new Uint8Array(n * rec);
  for (let r = 0; r < n; r++) {
    bytes.fill(label, r * rec, r * rec + labelBytes);
    for (let i = 0; i < 3072; i++) bytes[r * rec + labelBytes + i] = rng.int(256);
  }
  return bytes;
}

function folder(variant: 10 | 100, perFile = 2): string {
  const dir = mkdtempSync(join(tmpdir(), `cifar${variant}-folder-`));
  const rng = new Rng(variant);
  for (const f of [...cifarFiles(variant, 'train'), ...cifarFiles(variant, 'test')])
    writeFileSync(join(dir, f), records(rng, perFile, variant === 10 ? 1 : 2, 7));
  return dir;
}

describe('loadCifarFolder', () => {
  it('CIFAR-10: both own splits, per-channel stats of the training images only', () => {
    const dir = folder(10);
    const got = loadCifarFolder(dir, { flag: '--data' });
    expect([got.variant, got.train.n, got.test.n, got.train.channels]).toEqual([10, 10, 2, 3]);
    expect(got.source).toBe(`CIFAR-10 binary batches in ${dir}`);
    expect(got.stats.mean).toHaveLength(3);
    for (let j = 0; j < 3; j++) {
      const v = got.train.images.filter((_, i) => i % 3 === j);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      expect(got.stats.mean[j]).toBeCloseTo(mean, 5);
      expect(got.stats.std[j]).toBeCloseTo(std, 5);
    }
    // normalised training channels have mean 0 and std 1
    const z = normalize(got.train.images, got.stats);
    const red = z.filter((_, i) => i % 3 === 0);
    expect(red.reduce((a, b) => a + b, 0) / red.length).toBeCloseTo(0, 4);
    expect(red.reduce((a, b) => a + b * b, 0) / red.length).toBeCloseTo(1, 4);
  });

  it('CIFAR-100: train.bin and test.bin, fine or coarse labels', () => {
    const dir = folder(100, 3);
    const got = loadCifarFolder(dir);
    expect([got.variant, got.train.n, got.test.n, got.train.classNames.length]).toEqual([100, 3, 3, 100]);
    expect(loadCifarFolder(dir, { labels: 'coarse' }).train.classNames).toHaveLength(20);
  });

  it('refuses a missing path, a file, a folder lacking batches and a malformed batch, naming the flag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cifar-bad-'));
    const flag = { flag: '--data' };
    expect(() => loadCifarFolder(join(dir, 'nope'), flag)).toThrow(ArgumentError);
    expect(() => loadCifarFolder(join(dir, 'nope'), flag)).toThrow(
      /^--data: expected a folder of CIFAR-10 .*which does not exist$/,
    );
    writeFileSync(join(dir, 'file.bin'), 'x');
    expect(() => loadCifarFolder(join(dir, 'file.bin'), flag)).toThrow(/^--data: .*file.bin', not a folder$/);
    const partial = join(dir, 'partial');
    mkdirSync(partial);
    writeFileSync(join(partial, 'data_batch_1.bin'), records(new Rng(1), 1, 1, 0));
    expect(() => loadCifarFolder(partial, flag)).toThrow(
      /^--data: .*, which lacks data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin$/,
    );
    const hundred = join(dir, 'hundred');
    mkdirSync(hundred);
    writeFileSync(join(hundred, 'train.bin'), records(new Rng(1), 1, 2, 0));
    expect(() => loadCifarFolder(hundred, flag)).toThrow(/which lacks test.bin$/);
    const bad = folder(10);
    writeFileSync(join(bad, 'data_batch_3.bin'), new Uint8Array(3073 + 5));
    expect(() => loadCifarFolder(bad, flag)).toThrow(FormatError);
    expect(() => loadCifarFolder(bad, flag)).toThrow(
      /^--data: loadCifar: .*data_batch_3.bin: file size expected/,
    );
    const label = folder(10);
    writeFileSync(join(label, 'test_batch.bin'), records(new Rng(2), 1, 1, 10));
    expect(() => loadCifarFolder(label, flag)).toThrow(
      /^--data: .*test_batch.bin: record 0 .*label expected below 10, got 10/,
    );
  });
});
