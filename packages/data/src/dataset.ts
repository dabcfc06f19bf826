import { ArgumentError, checkInt, checkNumbers, checkObject, describeValue, ShapeError } from '@tenzo/core';

/** Labels: class indices. MNIST uses Uint8Array; Int32Array suits larger label spaces. */
export type Labels = Uint8Array | Int32Array;

/**
 * A labelled dataset of n examples with d features each, tensor-free.
 * images: n×d row-major (d = images.length / n), labels: n.
 */
export interface Dataset<L extends Labels = Labels> {
  images: Float32Array;
  labels: L;
  n: number;
}

/**
 * A dataset of height×width images: images n×(height·width·channels), channels last
 * ([n, H, W, C], the layout of tenzo's Conv2d). `channels` absent means 1 (MNIST).
 */
export interface ImageDataset<L extends Labels = Labels> extends Dataset<L> {
  height: number;
  width: number;
  channels?: number;
}

/** Checks a dataset's shapes and returns its feature count d. */
export function featureCount(dataset: Dataset): number {
  checkObject('dataset', dataset);
  const { images, labels, n } = dataset;
  if (!(images instanceof Float32Array))
    throw new ArgumentError(`dataset.images: expected a Float32Array, got ${describeValue(images)}`);
  checkNumbers('dataset.labels', labels, { finite: false });
  checkInt('dataset.n', n);
  if (labels.length !== n) {
    throw new ShapeError(`dataset.labels: expected length n = ${n}, got ${labels.length}`);
  }
  if (n === 0) return 0;
  if (images.length % n !== 0) {
    throw new ShapeError(
      `dataset.images: expected n×d = ${n}×d values, got ${images.length} (not a multiple of ${n})`,
    );
  }
  return images.length / n;
}

/**
 * A copy of the rows at `indices` (e.g. from `trainSplit`), in that order; other fields
 * (height, width) are kept. The copy decouples the subset from a cached source dataset.
 */
export function subset<D extends Dataset>(dataset: D, indices: ArrayLike<number>): D {
  const d = featureCount(dataset);
  checkNumbers('subset: indices', indices, { finite: false });
  const m = indices.length;
  const images = new Float32Array(m * d);
  const Ctor = dataset.labels.constructor as new (n: number) => Labels;
  const labels = new Ctor(m);
  for (let k = 0; k < m; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= dataset.n) {
      throw new ArgumentError(
        `indices[${k}]: expected an integer in [0, ${dataset.n}), got ${describeValue(i)}`,
      );
    }
    images.set(dataset.images.subarray(i * d, (i + 1) * d), k * d);
    labels[k] = dataset.labels[i]!;
  }
  return { ...dataset, images, labels, n: m };
}
