import { checkInt, checkNumber, ShapeError } from '@tenzo/core';

/** Options of cepstral mean (and variance) normalisation over the frames of one clip. */
export interface CmvnOptions {
  /** also divide by the standard deviation (default true); false: mean subtraction only (CMN) */
  variance?: boolean;
  /** added to the standard deviation so silent or constant channels stay finite (default 1e-5) */
  eps?: number;
}

/**
 * Per-utterance cepstral mean and variance normalisation, in place: each of the dim channels of
 * feat ([frames, dim] row-major) gets zero mean and (if `variance`) unit standard deviation over
 * the utterance's frames. Removes the channel's fixed gain and spectral tilt (a constant offset
 * in log spectra) without statistics from other utterances. Returns feat.
 */
export function cmvn<T extends Float32Array | Float64Array>(
  feat: T,
  frames: number,
  dim: number,
  opts: CmvnOptions = {},
): T {
  checkInt('frames', frames, { positive: true });
  checkInt('dim', dim, { positive: true });
  if (feat.length !== frames * dim) {
    throw new ShapeError(
      `feat: expected frames×dim = ${frames}×${dim} = ${frames * dim} values, got ${feat.length}`,
    );
  }
  const variance = opts.variance ?? true;
  const eps = checkNumber('eps', opts.eps ?? 1e-5, { min: 0 });
  for (let c = 0; c < dim; c++) {
    let mean = 0;
    for (let t = 0; t < frames; t++) mean += feat[t * dim + c]!;
    mean /= frames;
    let scale = 1;
    if (variance) {
      let sq = 0;
      for (let t = 0; t < frames; t++) {
        const d = feat[t * dim + c]! - mean;
        sq += d * d;
      }
      scale = 1 / (Math.sqrt(sq / frames) + eps);
    }
    for (let t = 0; t < frames; t++) feat[t * dim + c] = (feat[t * dim + c]! - mean) * scale;
  }
  return feat;
}
