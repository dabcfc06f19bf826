import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { quantizeShape, unquantize } from './quantize.js';
import { choiceDatum, choiceIndex, normalCdf, normalQuantile } from './standardNormal.js';

describe('standard normal', () => {
  it('Φ matches reference values and Φ⁻¹ inverts it', () => {
    // Φ(1), Φ(−2), Φ(3.5) to 16 digits (Abramowitz & Stegun table 26.1 extended)
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-2)).toBeCloseTo(0.022750131948179195, 14);
    expect(normalCdf(3.5)).toBeCloseTo(0.9997673709209645, 14);
    for (const p of [1e-6, 0.01, 0.0625, 0.3, 0.5, 0.77, 0.99, 1 - 1e-6]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
    }
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it("TransitionChoice's encoding: z = 0 is index ⌊n/2⌋, bin centres read back, N(0, 1) is uniform", () => {
    expect(choiceIndex(0, 8)).toBe(4);
    expect(choiceIndex(0, 7)).toBe(3);
    for (let i = 0; i < 8; i++) expect(choiceIndex(choiceDatum(i, 8), 8)).toBe(i);
    expect(choiceIndex(-1e300, 8)).toBe(0);
    expect(choiceIndex(1e300, 8)).toBe(7);
    const rng = new Rng(3);
    const counts = new Array(8).fill(0);
    for (let s = 0; s < 80_000; s++) counts[choiceIndex(rng.normal(), 8)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});

describe('quantisation', () => {
  it('splits power-of-two sizes into little-endian bits and reads them back', () => {
    const qz = quantizeShape([8, 3, 4, 2], true);
    expect(Array.from(qz.shape)).toEqual([2, 2, 2, 3, 2, 2, 2]);
    // i = (5, 2, 3, 1): 5 = 1 + 0·2 + 1·4, 3 = 1 + 1·2
    const q = Int32Array.of(1, 0, 1, 2, 1, 1, 1);
    expect(Array.from(unquantize(qz, q, 1))).toEqual([5, 2, 3, 1]);
    expect(Array.from(quantizeShape([8, 3], false).shape)).toEqual([8, 3]);
  });
});
