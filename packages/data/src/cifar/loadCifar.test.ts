import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError, IoError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { featureCount, subset } from '../dataset.js';
import { CIFAR10_CLASSES, cifarFiles, loadCifar } from './loadCifar.js';

/** Records in the binary version's format: label byte(s), then 1024 R, 1024 G, 1024 B bytes. */
function batch(rng: Rng, labels: number[][]): { bytes: Uint8Array; pixels: Uint8Array[] } {
  const rec = labels[0]!.length + 3072;
  const bytes = new Uint8Array(labels.length * rec);
  const pixels = labels.map((ls, r) => {
    bytes.set(ls, r * rec);
    const px = Uint8Array.from({ length: 3072 }, () => rng.int(256));
    bytes.set(px, r * rec + ls.length);
    return px;
  });
  return { bytes, pixels };
}

describe('loadCifar, CIFAR-10', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar10-'));
  const rng = new Rng(10);
  const written = cifarFiles(10, 'train').map((f, k) => {
    const b = batch(rng, [[k], [(k + 3) % 10], [9]]);
    writeFileSync(join(dir, f), b.bytes);
    return b;
  });
  const test = batch(rng, [[4], [0]]);
  writeFileSync(join(dir, 'test_batch.bin'), test.bytes);

  it('reads the five training batches: labels, pixels /255, channels last', () => {
    const ds = loadCifar({ dir, variant: 10, split: 'train' });
    expect(ds.n).toBe(15);
    expect([ds.height, ds.width, ds.channels, featureCount(ds)]).toEqual([32, 32, 3, 3072]);
    expect([...ds.labels]).toEqual([0, 3, 9, 1, 4, 9, 2, 5, 9, 3, 6, 9, 4, 7, 9]);
    expect(ds.classNames).toEqual([...CIFAR10_CLASSES]);
    for (const [row, f, r] of [
      [0, 0, 0],
      [7, 2, 1],
      [14, 4, 2],
    ] as const) {
      const px = written[f]!.pixels[r]!;
      for (const [y, x, c] of [
        [0, 0, 0],
        [31, 31, 2],
        [5, 17, 1],
        [12, 3, 0],
      ] as const)
        expect(ds.images[row * 3072 + (y * 32 + x) * 3 + c]).toBe(
          Math.fround(px[c * 1024 + y * 32 + x]! / 255),
        );
    }
    const sub = subset(ds, [2]);
    expect(sub.channels).toBe(3);
  });

  it('test split and batches.meta.txt class names', () => {
    writeFileSync(join(dir, 'batches.meta.txt'), `${'abcdefghij'.split('').join('\n')}\n\n`);
    const ds = loadCifar({ dir, variant: 10, split: 'test' });
    expect([...ds.labels]).toEqual([4, 0]);
    expect(ds.classNames).toEqual('abcdefghij'.split(''));
    writeFileSync(join(dir, 'batches.meta.txt'), 'a\nb\n');
    expect(() => loadCifar({ dir, variant: 10, split: 'test' })).toThrow(
      /batches\.meta\.txt: expected 10 class names, one per line, got 2/,
    );
    writeFileSync(join(dir, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\na\n');
    expect(() => loadCifar({ dir, variant: 10, split: 'test' })).toThrow(
      /line 10: expected a non-empty class name not seen before, got "a"/,
    );
    rmSync(join(dir, 'batches.meta.txt'));
  });

  it('rejects truncated files, bad labels, missing batches and bad options', () => {
    const bad = mkdtempSync(join(tmpdir(), 'cifar10-bad-'));
    const good = batch(new Rng(1), [[1], [2]]).bytes;
    writeFileSync(join(bad, 'test_batch.bin'), good.subarray(0, good.length - 1));
    expect(() => loadCifar({ dir: bad, variant: 10, split: 'test' })).toThrow(FormatError);
    expect(() => loadCifar({ dir: bad, variant: 10, split: 'test' })).toThrow(
      /test_batch\.bin: file size expected a positive multiple of the 3073-byte CIFAR-10 record, got 6145 bytes/,
    );
    writeFileSync(join(bad, 'test_batch.bin'), new Uint8Array(0));
    expect(() => loadCifar({ dir: bad, variant: 10, split: 'test' })).toThrow(/got 0 bytes/);
    const wrong = good.slice();
    wrong[3073] = 10;
    writeFileSync(join(bad, 'test_batch.bin'), wrong);
    expect(() => loadCifar({ dir: bad, variant: 10, split: 'test' })).toThrow(
      /test_batch\.bin: record 1 \(byte offset 3073\): label expected below 10, got 10/,
    );
    expect(() => loadCifar({ dir: bad, variant: 10, split: 'train' })).toThrow(IoError);
    expect(() => loadCifar({ dir: bad, variant: 10, split: 'train' })).toThrow(/data_batch_1\.bin/);
    expect(() => loadCifar({ dir, variant: 20 as 10, split: 'test' })).toThrow(ArgumentError);
    expect(() => loadCifar({ dir, variant: 10, split: 'val' as 'test' })).toThrow(ArgumentError);
    expect(() => loadCifar({ dir, variant: 10, split: 'test', labels: 'coarse' })).toThrow(ArgumentError);
  });
});

describe('loadCifar, CIFAR-100', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar100-'));
  const b = batch(new Rng(100), [
    [0, 99],
    [19, 5],
    [7, 42],
  ]);
  writeFileSync(join(dir, 'train.bin'), b.bytes);

  it('fine labels (default) or coarse, label files when present', () => {
    const fine = loadCifar({ dir, variant: 100, split: 'train' });
    expect([...fine.labels]).toEqual([99, 5, 42]);
    expect(fine.classNames).toHaveLength(100);
    expect(fine.classNames[42]).toBe('42');
    expect(fine.images[3072 + 1]).toBe(Math.fround(b.pixels[1]![1024]! / 255)); // row 1, pixel 0, green
    writeFileSync(
      join(dir, 'coarse_label_names.txt'),
      Array.from({ length: 20 }, (_, i) => `super${i}`).join('\n'),
    );
    const coarse = loadCifar({ dir, variant: 100, split: 'train', labels: 'coarse' });
    expect([...coarse.labels]).toEqual([0, 19, 7]);
    expect(coarse.classNames[19]).toBe('super19');
    expect(coarse.images).toEqual(fine.images);
  });

  it('checks both labels and the record size', () => {
    const bad = mkdtempSync(join(tmpdir(), 'cifar100-bad-'));
    const bytes = b.bytes.slice();
    bytes[3074] = 20; // record 1's coarse label
    writeFileSync(join(bad, 'train.bin'), bytes);
    expect(() => loadCifar({ dir: bad, variant: 100, split: 'train' })).toThrow(
      /record 1 \(byte offset 3074\): coarse label expected below 20, got 20/,
    );
    bytes[3074] = 1;
    bytes[3075] = 100;
    writeFileSync(join(bad, 'train.bin'), bytes);
    expect(() => loadCifar({ dir: bad, variant: 100, split: 'train', labels: 'coarse' })).toThrow(
      /fine label expected below 100, got 100/,
    );
    // a CIFAR-10 file read as CIFAR-100: 3 × 3073 bytes is not a multiple of 3074
    writeFileSync(join(bad, 'test.bin'), new Uint8Array(3 * 3073));
    expect(() => loadCifar({ dir: bad, variant: 100, split: 'test' })).toThrow(
      /3074-byte CIFAR-100 record, got 9219 bytes/,
    );
  });
});
