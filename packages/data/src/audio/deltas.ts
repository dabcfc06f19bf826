import { checkInt, ShapeError } from '@tenzo/core';

/**
 * Regression deltas over time (HTK, Kaldi's add-deltas, python_speech_features):
 * d_t = Σ_{n=1}^{N} n·(c_{t+n} − c_{t−n}) / (2 Σ_{n=1}^{N} n²), with the first and last frames
 * repeated beyond the edges. Apply twice for delta-deltas.
 *
 * feat: [frames, dim] row-major; returns [frames, dim].
 */
export function deltas(feat: ArrayLike<number>, frames: number, dim: number, width = 2): Float32Array {
  checkInt('frames', frames, { positive: true });
  checkInt('dim', dim, { positive: true });
  checkInt('width', width, { positive: true });
  if (feat.length !== frames * dim) {
    throw new ShapeError(
      `feat: expected frames×dim = ${frames}×${dim} = ${frames * dim} values, got ${feat.length}`,
    );
  }
  let denom = 0;
  for (let n = 1; n <= width; n++) denom += 2 * n * n;
  const out = new Float32Array(frames * dim);
  const clamp = (t: number) => (t < 0 ? 0 : t >= frames ? frames - 1 : t);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < dim; c++) {
      let s = 0;
      for (let n = 1; n <= width; n++)
        s += n * (feat[clamp(t + n) * dim + c]! - feat[clamp(t - n) * dim + c]!);
      out[t * dim + c] = s / denom;
    }
  }
  return out;
}
