import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkNumbers,
  checkObject,
  describeValue,
  OutOfRangeError,
  ShapeError,
} from '@tenzo/core';

/** Per-feature (length d) or global (length 1) statistics. */
export interface NormalizationStats {
  mean: Float32Array;
  std: Float32Array;
}

/**
 * Options of `fitNormalization`: one mean/std for all features or one per feature, and the floor that
 * keeps a constant feature's std positive.
 */
export interface NormalizationOptions {
  /** one mean/std per feature instead of one for all (default false) */
  perFeature?: boolean;
  /**
   * Floor on std. Features that are constant on the training set (MNIST's border pixels) would
   * otherwise divide by ~0 and blow up any test pixel that differs. Default 0.05 (≤ 20× gain).
   */
  minStd?: number;
}

/**
 * Mean and standard deviation of `images` (n×d), to be computed on the training set only and
 * applied to train and test alike, so no test information leaks into preprocessing.
 * Accumulates in float64: a float32 sum over 6 million pixels loses digits.
 */
export function fitNormalization(
  images: Float32Array,
  d: number,
  opts: NormalizationOptions = {},
): NormalizationStats {
  checkInt('d', d, { positive: true });
  checkNumbers('fitNormalization: images', checkImages('fitNormalization', images));
  if (images.length % d !== 0 || images.length === 0) {
    throw new ShapeError(`images: expected a non-empty n×${d} array, got ${images.length} values`);
  }
  const minStd = checkNumber('minStd', opts.minStd ?? 0.05, { gt: 0 });
  const n = images.length / d;
  const k = opts.perFeature ? d : 1;
  const sum = new Float64Array(k);
  for (let i = 0; i < images.length; i++) sum[k === 1 ? 0 : i % d]! += images[i]!;
  const count = k === 1 ? images.length : n;
  const mean = sum.map((s) => s / count);
  // Two passes (mean first) avoid the cancellation of E[x²] − E[x]².
  const sq = new Float64Array(k);
  for (let i = 0; i < images.length; i++) {
    const j = k === 1 ? 0 : i % d;
    const c = images[i]! - mean[j]!;
    sq[j]! += c * c;
  }
  return {
    mean: Float32Array.from(mean),
    std: Float32Array.from(sq, (s) => Math.max(Math.sqrt(s / count), minStd)),
  };
}

/** (x − mean) / std for every row of `images` (n×d); returns a new array. */
export function normalize(images: Float32Array, stats: NormalizationStats): Float32Array {
  checkNumbers('normalize: images', checkImages('normalize', images));
  checkObject('normalize: stats', stats);
  checkNumbers('normalize: stats.mean', stats.mean, { minLength: 1 });
  checkNumbers('normalize: stats.std', stats.std, { minLength: 1 });
  for (let j = 0; j < stats.std.length; j++)
    if (!(stats.std[j]! > 0))
      throw new OutOfRangeError(`normalize: stats.std[${j}] expected > 0, got ${stats.std[j]}`);
  const k = stats.mean.length;
  if (stats.std.length !== k) {
    throw new ShapeError(`stats: expected mean and std of equal length, got ${k} and ${stats.std.length}`);
  }
  if (k !== 1 && images.length % k !== 0) {
    throw new ShapeError(
      `images: expected n×${k} values to match the per-feature stats, got ${images.length}`,
    );
  }
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const j = k === 1 ? 0 : i % k;
    out[i] = (images[i]! - stats.mean[j]!) / stats.std[j]!;
  }
  return out;
}

/** Images are float32 (a plain array of float64s could overflow float32 statistics). */
function checkImages(op: string, images: unknown): Float32Array {
  if (!(images instanceof Float32Array))
    throw new ArgumentError(`${op}: images expected a Float32Array, got ${describeValue(images)}`);
  return images;
}
