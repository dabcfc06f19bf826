import { ArgumentError, checkInt, Rng, type Seed } from '@tenzo/core';
import { type Dataset, featureCount, type Labels } from './dataset.js';

/**
 * Options of `batches`: examples per batch, whether the order is shuffled (from a seed, or from an `Rng`
 * that advances epoch by epoch) and whether a short last batch is dropped.
 */
export interface BatchOptions {
  /** examples per batch (the last one may be smaller unless dropLast) */
  batchSize: number;
  /** visit examples in a random order (default true) */
  shuffle?: boolean;
  /** seed for the order; the same seed gives the same order every call */
  seed?: Seed;
  /**
   * A generator to draw the order from instead of `seed`. It advances, so calling `batches` once
   * per epoch with the same `rng` gives a new order each epoch, and `rng.getState()` in a
   * checkpoint resumes the exact sequence.
   */
  rng?: Rng;
  /** skip a final batch smaller than batchSize (default false) */
  dropLast?: boolean;
}

/** One mini-batch. x: size×d, y: size (same array type as the dataset's labels), indices: size. */
export interface Batch<L extends Labels = Labels> {
  x: Float32Array;
  y: L;
  size: number;
  /** which dataset rows were taken */
  indices: Int32Array;
}

/** Number of batches one pass yields. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  checkInt('n', n);
  checkInt('batchSize', batchSize, { positive: true });
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * One epoch of mini-batches: every example exactly once (dropLast leaves out at most
 * batchSize − 1). Rows are copied into fresh arrays, so a batch may be augmented in place.
 *
 * ```ts
 * const rng = new Rng(seed);
 * for (let epoch = 0; epoch < epochs; epoch++)
 *   for (const { x, y, size } of batches(train, { batchSize: 64, rng })) step(x, y, size);
 * ```
 */
export function batches<L extends Labels>(dataset: Dataset<L>, opts: BatchOptions): Generator<Batch<L>> {
  // Validate and draw the order now, not at the first next(): a bad call fails where it is made.
  const d = featureCount(dataset);
  const { n } = dataset;
  const count = batchCount(n, opts.batchSize, opts.dropLast);
  const shuffle = opts.shuffle ?? true;
  if (shuffle && opts.rng === undefined && opts.seed === undefined) {
    throw new ArgumentError('seed: expected a seed or an rng when shuffle is true, got neither');
  }
  if (opts.rng !== undefined && opts.seed !== undefined) {
    throw new ArgumentError('seed: expected either seed or rng, got both');
  }
  let order: Int32Array;
  if (shuffle) order = (opts.rng ?? new Rng(opts.seed!)).permutation(n);
  else order = Int32Array.from({ length: n }, (_, i) => i);
  return generate(dataset, d, order, opts.batchSize, count);
}

function* generate<L extends Labels>(
  dataset: Dataset<L>,
  d: number,
  order: Int32Array,
  batchSize: number,
  count: number,
): Generator<Batch<L>> {
  const n = order.length;
  const Ctor = dataset.labels.constructor as new (n: number) => L;
  for (let b = 0; b < count; b++) {
    const indices = order.slice(b * batchSize, Math.min((b + 1) * batchSize, n));
    const size = indices.length;
    const x = new Float32Array(size * d);
    const y = new Ctor(size);
    for (let k = 0; k < size; k++) {
      const i = indices[k]!;
      x.set(dataset.images.subarray(i * d, (i + 1) * d), k * d);
      y[k] = dataset.labels[i]!;
    }
    yield { x, y, size, indices };
  }
}
