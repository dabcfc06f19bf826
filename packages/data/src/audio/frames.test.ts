import { NonFiniteError, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { frameCount, frameSignal } from './frames.js';

describe('framing', () => {
  it('counts frames as 1 + ⌊(N − L)/hop⌋ (98 frames of 25 ms at 10 ms hop in 1 s at 16 kHz)', () => {
    expect(frameCount(16000, { frameLength: 400, hop: 160 })).toBe(98);
    expect(frameCount(10, { frameLength: 4, hop: 3 })).toBe(3);
    expect(frameCount(4, { frameLength: 4, hop: 3 })).toBe(1);
    // centred: 1 + ⌊N/hop⌋ for even frame lengths
    expect(frameCount(16000, { frameLength: 512, hop: 160, center: true })).toBe(101);
  });

  it('copies overlapping frames and zero-pads the centred edges', () => {
    const x = [1, 2, 3, 4, 5, 6, 7];
    const f = frameSignal(x, { frameLength: 4, hop: 2 });
    expect(f.frames).toBe(2);
    expect(Array.from(f.data)).toEqual([1, 2, 3, 4, 3, 4, 5, 6]);
    const c = frameSignal(x, { frameLength: 4, hop: 2, center: true });
    expect(c.frames).toBe(4);
    expect(Array.from(c.data.subarray(0, 4))).toEqual([0, 0, 1, 2]);
    expect(Array.from(c.data.subarray(12, 16))).toEqual([5, 6, 7, 0]);
  });

  it('rejects empty, non-finite and too-short signals', () => {
    expect(() => frameSignal([], { frameLength: 4, hop: 2 })).toThrow(ShapeError);
    expect(() => frameSignal([1, Number.NaN, 3, 4], { frameLength: 4, hop: 2 })).toThrow(NonFiniteError);
    expect(() => frameSignal([1, 2, 3], { frameLength: 4, hop: 2 })).toThrow(
      /signal: expected at least frameLength = 4 samples, got 3/,
    );
  });
});
