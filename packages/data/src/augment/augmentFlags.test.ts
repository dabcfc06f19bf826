import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { augmentBatch } from './augmentBatch.js';
import { augmenter, augmentFlags } from './augmentFlags.js';

describe('augmentFlags and augmenter', () => {
  const x = Float32Array.from({ length: 2 * 36 }, (_, i) => (i % 7) / 7);
  const image = { height: 6, width: 6 };
  const on = { augment: true, maxShift: 1, rotation: 10, scale: 0.1 };

  it('is augmentBatch with the flags as options, one draw per image', () => {
    expect(augmentFlags.maxShift.default).toBe(2);
    const got = augmenter(on, image, new Rng(3))(x);
    const want = augmentBatch(x, {
      ...image,
      rng: new Rng(3),
      maxShift: 1,
      maxRotationDeg: 10,
      maxScale: 0.1,
    });
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('--no-augment: the batch unchanged and the generator untouched', () => {
    const rng = new Rng(3);
    const before = rng.getState();
    expect(augmenter({ ...on, augment: false }, image, rng)(x)).toBe(x);
    expect(rng.getState()).toEqual(before);
  });
});
