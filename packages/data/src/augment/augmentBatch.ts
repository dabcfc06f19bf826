import { checkInt, checkNumber, checkObject, checkRng, type Rng } from '@tenzo/core';
import { affine } from './affine.js';
import { checkImage, translate } from './translate.js';

/**
 * Options of `augmentBatch`: the image height and width in pixels, the `Rng` behind every random choice,
 * the shift (pixels), rotation (degrees) and scale ranges, and the fill value of pixels moved in from
 * outside.
 */
export interface AugmentOptions {
  height: number;
  width: number;
  rng: Rng;
  /** shift each image by an integer in [−maxShift, maxShift] per axis (default 2) */
  maxShift?: number;
  /** rotate by a uniform angle in [−maxRotationDeg, maxRotationDeg] degrees (default 0) */
  maxRotationDeg?: number;
  /** scale by a uniform factor in [1 − maxScale, 1 + maxScale] (default 0) */
  maxScale?: number;
  /** value for pixels shifted in from outside (default 0, the MNIST background) */
  fill?: number;
}

/**
 * Random translation and (optionally) rotation/scaling for a batch x (b×height·width), one draw
 * per image from `rng`; returns a new array. On 8,000 MNIST training digits an MLP overfits
 * within a few epochs; shifts of ±2 px and ±10° / ±10% warps are the classic regularisers that
 * let it reach ≥ 95 % test accuracy. Apply to [0, 1] pixels before normalisation (or set `fill`).
 */
export function augmentBatch(x: Float32Array, opts: AugmentOptions): Float32Array {
  const { height, width, rng } = checkObject('augmentBatch: opts', opts);
  checkRng('augmentBatch: rng', rng);
  const b = checkImage('x', x, height, width, true);
  const maxShift = checkInt('maxShift', opts.maxShift ?? 2);
  const maxRot =
    (checkNumber('maxRotationDeg', opts.maxRotationDeg ?? 0, { min: 0, max: 180 }) * Math.PI) / 180;
  const maxScale = checkNumber('maxScale', opts.maxScale ?? 0, { min: 0, lt: 1 });
  const fill = checkNumber('fill', opts.fill ?? 0);
  const hw = height * width;
  const out = new Float32Array(x.length);
  for (let k = 0; k < b; k++) {
    const img = x.subarray(k * hw, (k + 1) * hw);
    const dx = maxShift > 0 ? rng.int(2 * maxShift + 1) - maxShift : 0;
    const dy = maxShift > 0 ? rng.int(2 * maxShift + 1) - maxShift : 0;
    const rotation = maxRot > 0 ? rng.uniformIn(-maxRot, maxRot) : 0;
    const scale = maxScale > 0 ? rng.uniformIn(1 - maxScale, 1 + maxScale) : 1;
    // The integer-shift path is exact and ~10× cheaper than bilinear sampling.
    const warped =
      rotation === 0 && scale === 1
        ? translate(img, height, width, dx, dy, fill)
        : affine(img, height, width, { rotation, scale, dx, dy }, fill);
    out.set(warped, k * hw);
  }
  return out;
}
