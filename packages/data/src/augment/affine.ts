import { checkFinite, checkNumber } from '@tenzo/core';
import { checkImage } from './translate.js';

/** An affine warp about the image centre, applied as: scale, then rotate, then shift. */
export interface AffineParams {
  /** radians, counter-clockwise on screen (default 0) */
  rotation?: number;
  /** > 1 enlarges (default 1) */
  scale?: number;
  /** pixels to the right (default 0) */
  dx?: number;
  /** pixels down (default 0) */
  dy?: number;
}

/**
 * Warps an image (height×width) by the affine map `p ↦ c + S·R·(p − c) + t` with bilinear sampling.
 * Implemented backwards: every output pixel samples the input at the inverse-mapped position, so
 * there are no holes; samples outside the input read `fill`. Integer shifts with no rotation or
 * scaling reproduce `translate` exactly (bilinear weights are then 0 and 1).
 */
export function affine(
  image: Float32Array,
  height: number,
  width: number,
  params: AffineParams,
  fill = 0,
): Float32Array {
  checkImage('image', image, height, width);
  const theta = checkFinite('rotation', params.rotation ?? 0);
  const s = checkNumber('scale', params.scale ?? 1, { gt: 0 });
  const tx = checkFinite('dx', params.dx ?? 0);
  const ty = checkFinite('dy', params.dy ?? 0);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  // Screen coordinates have y pointing down, so a counter-clockwise turn on screen is
  // clockwise in (x, y); the inverse map is R(θ)/s applied to p − c − t.
  const cos = Math.cos(theta) / s;
  const sin = Math.sin(theta) / s;
  const out = new Float32Array(height * width);
  const at = (r: number, c: number) =>
    r >= 0 && r < height && c >= 0 && c < width ? image[r * width + c]! : fill;
  for (let r = 0; r < height; r++) {
    const v = r - cy - ty;
    for (let c = 0; c < width; c++) {
      const u = c - cx - tx;
      const sx = cos * u - sin * v + cx;
      const sy = sin * u + cos * v + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      out[r * width + c] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
        fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
    }
  }
  return out;
}
