import { Rng, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { affine } from './affine.js';
import { augmentBatch } from './augmentBatch.js';
import { translate } from './translate.js';

const H = 28;
const W = 28;

/** A deterministic non-trivial 28×28 test image (values in [0, 1]). */
function pattern(): Float32Array {
  return Float32Array.from({ length: H * W }, (_, i) => ((i * 37) % 101) / 100);
}

function onePixel(r: number, c: number): Float32Array {
  const img = new Float32Array(H * W);
  img[r * W + c] = 1;
  return img;
}

const argmax = (img: Float32Array) => {
  let best = 0;
  for (let i = 1; i < img.length; i++) if (img[i]! > img[best]!) best = i;
  return [Math.floor(best / W), best % W];
};

describe('translate', () => {
  it('is the identity at zero shift', () => {
    const img = pattern();
    expect(translate(img, H, W, 0, 0)).toEqual(img);
  });
  it('moves pixels right by dx and down by dy, filling what is uncovered', () => {
    const out = translate(onePixel(10, 12), H, W, 3, -2);
    expect(argmax(out)).toEqual([8, 15]);
    expect(out.reduce((a, b) => a + b, 0)).toBe(1);
    const shifted = translate(pattern(), H, W, 2, 1, -1);
    expect(shifted[0]).toBe(-1); // row 0 came from outside
    expect(shifted[1 * W + 1]).toBe(-1); // column 1 came from outside
    expect(shifted[5 * W + 9]).toBe(pattern()[4 * W + 7]);
  });
  it('drops content shifted past the border', () => {
    expect(translate(onePixel(0, 27), H, W, 1, 0).every((v) => v === 0)).toBe(true);
  });
});

describe('affine', () => {
  it('is the identity without a warp, and equals translate for whole-pixel shifts', () => {
    const img = pattern();
    expect(affine(img, H, W, {})).toEqual(img);
    expect(affine(img, H, W, { dx: -3, dy: 2 })).toEqual(translate(img, H, W, -3, 2));
  });
  it('rotates counter-clockwise on screen about the centre', () => {
    // 13.5 is the centre; a pixel 6.5 to the right of it ends 6.5 above it after +90°.
    const out = affine(onePixel(13, 20), H, W, { rotation: Math.PI / 2 });
    const [r, c] = argmax(out);
    expect(Math.abs(r! - 7)).toBeLessThanOrEqual(1);
    expect(Math.abs(c! - 13.5)).toBeLessThanOrEqual(1);
  });
  it('enlarges about the centre with scale > 1 and interpolates bilinearly', () => {
    // row 8 is 5.5 above the centre row 13.5; ×1.5 puts it 8.25 above, nearest row 5
    const [r, c] = argmax(affine(onePixel(8, 13), H, W, { scale: 1.5 }));
    expect(r).toBe(5);
    expect([12, 13]).toContain(c);
    const half = affine(onePixel(5, 5), H, W, { dx: 0.5 });
    expect(half[5 * W + 5]).toBeCloseTo(0.5, 6);
    expect(half[5 * W + 6]).toBeCloseTo(0.5, 6);
  });
});

describe('augmentBatch', () => {
  const batch = new Float32Array(3 * H * W);
  batch.set(pattern(), 0);
  batch.set(onePixel(14, 14), H * W);
  batch.set(onePixel(5, 20), 2 * H * W);

  it('preserves shape, is seeded and reproducible', () => {
    const a = augmentBatch(batch, {
      height: H,
      width: W,
      rng: new Rng(1),
      maxShift: 2,
      maxRotationDeg: 10,
      maxScale: 0.1,
    });
    const b = augmentBatch(batch, {
      height: H,
      width: W,
      rng: new Rng(1),
      maxShift: 2,
      maxRotationDeg: 10,
      maxScale: 0.1,
    });
    expect(a).toHaveLength(batch.length);
    expect(a).toEqual(b);
    expect(a).not.toEqual(batch);
    expect(augmentBatch(batch, { height: H, width: W, rng: new Rng(2) })).not.toEqual(
      augmentBatch(batch, { height: H, width: W, rng: new Rng(3) }),
    );
  });

  it('is the identity with nothing to do, and shifts stay within ±maxShift', () => {
    expect(augmentBatch(batch, { height: H, width: W, rng: new Rng(1), maxShift: 0 })).toEqual(batch);
    const rng = new Rng(9);
    for (let t = 0; t < 20; t++) {
      const out = augmentBatch(batch, { height: H, width: W, rng, maxShift: 2 });
      const [r, c] = argmax(out.subarray(H * W, 2 * H * W));
      expect(Math.abs(r! - 14)).toBeLessThanOrEqual(2);
      expect(Math.abs(c! - 14)).toBeLessThanOrEqual(2);
    }
  });

  it('rejects a batch whose length is not a multiple of height·width', () => {
    expect(() => augmentBatch(new Float32Array(100), { height: H, width: W, rng: new Rng(1) })).toThrow(
      ShapeError,
    );
    expect(() => translate(new Float32Array(100), H, W, 1, 1)).toThrow(
      'image: expected 28×28 = 784 values, got 100',
    );
  });
});
