import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, checkObject, checkString, FormatError } from '@tenzo/core';
import { fitNormalization, type NormalizationStats } from '../normalize.js';
import { type CifarDataset, cifarFiles, loadCifar } from './loadCifar.js';

/** Options of {@link loadCifarFolder}: the flag that named the folder, CIFAR-100's label kind. */
export interface LoadCifarFolderOptions {
  /** named in every refusal (e.g. `'--data'`; default `'loadCifarFolder: dir'`) */
  flag?: string;
  /** CIFAR-100 only: the 100 fine classes (default) or the 20 superclasses */
  labels?: 'fine' | 'coarse';
}

/** A CIFAR folder resolved: which variant, its own train and test splits, their normalisation. */
export interface CifarFolder {
  variant: 10 | 100;
  /** 50,000 training images in the full dataset */
  train: CifarDataset;
  /** 10,000 test images in the full dataset */
  test: CifarDataset;
  /** per-channel mean and std (length 3) of the training images only, for `normalize` */
  stats: NormalizationStats;
  /** e.g. "CIFAR-10 binary batches in cifar-10-batches-bin" */
  source: string;
}

/**
 * A folder named on the command line read as CIFAR: `data_batch_1.bin` … `data_batch_5.bin` and
 * `test_batch.bin` make it CIFAR-10 (`cifar-10-batches-bin`), `train.bin` and `test.bin`
 * CIFAR-100 (`cifar-100-binary`); both splits load with `loadCifar` (CIFAR's own train/test
 * split, images n×3072 channels last in [0, 1]) and `stats` holds the per-channel mean and std
 * of the training images (`fitNormalization(train.images, 3, { perFeature: true })`: index i of
 * a channels-last array is channel i mod 3), which `normalize` applies to any batch. A path that
 * is not a folder or lacks a file is an `ArgumentError`, a malformed file a `FormatError`, each
 * starting with `flag`.
 *
 * ```ts
 * const { variant, train, test, stats } = loadCifarFolder('cifar-10-batches-bin', { flag: '--data' });
 * const x = normalize(train.images.subarray(0, 64 * 3072), stats); // 64 images, channels ≈ N(0, 1)
 * ```
 */
export function loadCifarFolder(dir: string, opts: LoadCifarFolderOptions = {}): CifarFolder {
  checkObject('loadCifarFolder: options', opts);
  const flag =
    opts.flag === undefined ? 'loadCifarFolder: dir' : checkString('loadCifarFolder: flag', opts.flag);
  checkString(flag, dir);
  const expected =
    'expected a folder of CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin) or of CIFAR-100 (train.bin, test.bin)';
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ArgumentError(
      `${flag}: ${expected}, got '${dir}', ${existsSync(dir) ? 'not a folder' : 'which does not exist'}`,
    );
  const files = (v: 10 | 100) => [...cifarFiles(v, 'train'), ...cifarFiles(v, 'test')];
  const missing = (v: 10 | 100) => files(v).filter((f) => !existsSync(join(dir, f)));
  const variant = missing(10).length === 0 ? 10 : missing(100).length === 0 ? 100 : null;
  if (variant === null) {
    // name the files of the variant the folder is closer to
    const closer = missing(100).length < files(100).length ? 100 : 10;
    throw new ArgumentError(`${flag}: ${expected}, got '${dir}', which lacks ${missing(closer).join(', ')}`);
  }
  const load = (split: 'train' | 'test') => {
    try {
      return loadCifar({ dir, variant, split, ...(opts.labels ? { labels: opts.labels } : {}) });
    } catch (e) {
      if (e instanceof FormatError) throw new FormatError(`${flag}: ${e.message}`, { cause: e });
      throw e;
    }
  };
  const train = load('train');
  return {
    variant,
    train,
    test: load('test'),
    stats: fitNormalization(train.images, train.channels, { perFeature: true }),
    source: `CIFAR-${variant} binary batches in ${dir}`,
  };
}
