import { Rng, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { augmenter } from './augmentFlags.js';
import { cropFlipBatch } from './cropFlip.js';

// 5×4 images of 2 channels, channels last: pixel (r, c) channel j holds 100r + 10c + j + 1
const [H, W, C] = [5, 4, 2];
const image = Float32Array.from({ length: H * W * C }, (_, i) => {
  const [p, j] = [Math.floor(i / C), i % C];
  return 100 * Math.floor(p / W) + 10 * (p % W) + j + 1;
});
const at = (x: Float32Array, r: number, c: number, j: number) => x[(r * W + c) * C + j]!;

describe('cropFlipBatch', () => {
  it('with padding 0 and no flip is the identity', () => {
    expect(
      cropFlipBatch(image, { height: H, width: W, channels: C, rng: new Rng(1), padding: 0, flip: false }),
    ).toEqual(image);
  });

  it('shifts by the drawn offset, mirrors on the third draw, fills the padding, channels together', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const draws = new Rng(seed);
      const dy = draws.int(5) - 2;
      const dx = draws.int(5) - 2;
      const mirror = draws.uniform() < 0.5;
      const out = cropFlipBatch(image, {
        height: H,
        width: W,
        channels: C,
        rng: new Rng(seed),
        padding: 2,
        fill: -1,
      });
      seen.add(`${dy},${dx},${mirror}`);
      for (let r = 0; r < H; r++)
        for (let c = 0; c < W; c++) {
          const [sr, sc] = [r + dy, (mirror ? W - 1 - c : c) + dx];
          const inside = sr >= 0 && sr < H && sc >= 0 && sc < W;
          for (let j = 0; j < C; j++) expect(at(out, r, c, j)).toBe(inside ? 100 * sr + 10 * sc + j + 1 : -1);
        }
    }
    expect(seen.size).toBeGreaterThan(20); // offsets in [−2, 2]² and both flips occur
  });

  it('draws once per image from its rng (reproducible), and refuses a ragged batch', () => {
    const two = new Float32Array(2 * image.length);
    two.set(image);
    two.set(image, image.length);
    const opts = { height: H, width: W, channels: C, padding: 1 };
    const a = cropFlipBatch(two, { ...opts, rng: new Rng(4) });
    expect(cropFlipBatch(two, { ...opts, rng: new Rng(4) })).toEqual(a);
    const rng = new Rng(4);
    const first = cropFlipBatch(image, { ...opts, rng });
    expect(a.subarray(0, image.length)).toEqual(first);
    expect(a.subarray(image.length)).toEqual(cropFlipBatch(image, { ...opts, rng }));
    expect(() => cropFlipBatch(new Float32Array(7), { ...opts, rng })).toThrow(ShapeError);
    expect(() => cropFlipBatch(new Float32Array(7), { ...opts, rng })).toThrow(
      'expected b×5×4×2 values, got 7',
    );
  });

  it('is what augmenter gives colour images (padding 4, flips), and nothing with --no-augment', () => {
    const flags = { augment: true, maxShift: 2, rotation: 10, scale: 0.1 };
    const img = { height: H, width: W, channels: C };
    expect(augmenter(flags, img, new Rng(8))(image)).toEqual(
      cropFlipBatch(image, { ...img, rng: new Rng(8), padding: 4 }),
    );
    expect(augmenter({ ...flags, augment: false }, img, new Rng(8))(image)).toBe(image);
  });
});
