import { checkInt, checkNumbers, ShapeError } from '@tenzo/core';

/** Checks that `image` holds height×width values (or a batch of them when `batch`). */
export function checkImage(
  name: string,
  image: Float32Array,
  height: number,
  width: number,
  batch = false,
): number {
  checkInt('height', height, { positive: true });
  checkInt('width', width, { positive: true });
  checkNumbers(name, image);
  const hw = height * width;
  if (batch ? image.length % hw !== 0 : image.length !== hw) {
    throw new ShapeError(
      `${name}: expected ${batch ? `b×${height}×${width}` : `${height}×${width} = ${hw}`} values, got ${image.length}`,
    );
  }
  return batch ? image.length / hw : 1;
}

/**
 * Shifts an image (height×width, row-major) by whole pixels: dx > 0 moves content right,
 * dy > 0 moves it down; uncovered pixels get `fill` (0 = MNIST background, so augment before
 * normalising, or pass the normalised background value). Returns a new array.
 */
export function translate(
  image: Float32Array,
  height: number,
  width: number,
  dx: number,
  dy: number,
  fill = 0,
): Float32Array {
  checkImage('image', image, height, width);
  checkInt('dx', dx, { min: -Number.MAX_SAFE_INTEGER });
  checkInt('dy', dy, { min: -Number.MAX_SAFE_INTEGER });
  const out = new Float32Array(height * width).fill(fill);
  for (let r = Math.max(0, dy); r < Math.min(height, height + dy); r++) {
    const src = (r - dy) * width;
    const c0 = Math.max(0, dx);
    const c1 = Math.min(width, width + dx);
    if (c1 > c0) out.set(image.subarray(src + c0 - dx, src + c1 - dx), r * width + c0);
  }
  return out;
}
