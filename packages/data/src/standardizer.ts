import { checkInt, checkNumbers, ShapeError } from '@tenzo/core';

/**
 * Per-feature standardisation fitted on training rows (global CMVN for audio frames): `train` is
 * rows × `features` row-major (e.g. every 10 ms frame of every training clip, [n, T, F] read as
 * n·T rows of F), the statistics are the float64 mean and 1/std of each feature over all rows
 * (variance floored at 1e-12). Returns the map x ↦ (x − mean) / std, feature by feature, for
 * any array of whole rows — apply it to train and test alike so nothing about the test data
 * leaks into preprocessing.
 *
 * ```ts
 * const standardize = fitStandardizer(data.train.x, data.features);
 * const train = standardize(data.train.x), test = standardize(data.test.x);
 * ```
 */
export function fitStandardizer(train: Float32Array, features: number): (x: Float32Array) => Float32Array {
  const F = checkInt('fitStandardizer: features', features, { positive: true });
  checkNumbers('fitStandardizer: train', train);
  if (train.length === 0 || train.length % F !== 0)
    throw new ShapeError(
      `fitStandardizer: train expected a non-empty rows×${F} array, got ${train.length} values`,
    );
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  const rows = train.length / F;
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < F; f++) {
      const v = train[r * F + f]!;
      mean[f]! += v;
      sq[f]! += v * v;
    }
  const inv = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    mean[f]! /= rows;
    inv[f] = 1 / Math.sqrt(Math.max(sq[f]! / rows - mean[f]! ** 2, 1e-12));
  }
  return (x) => {
    checkNumbers('fitStandardizer: x', x);
    if (x.length % F !== 0)
      throw new ShapeError(`fitStandardizer: x expected whole rows of ${F} features, got ${x.length} values`);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = (x[i]! - mean[i % F]!) * inv[i % F]!;
    return out;
  };
}
