import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { hammingWindow, hannWindow, windowFunction } from './window.js';

describe('windows', () => {
  it('symmetric forms match numpy.hanning(5) and numpy.hamming(5)', () => {
    const hann = hannWindow(5, false);
    for (const [i, v] of [0, 0.5, 1, 0.5, 0].entries()) expect(hann[i]).toBeCloseTo(v, 15);
    const hamming = hammingWindow(5, false);
    for (const [i, v] of [0.08, 0.54, 1, 0.54, 0.08].entries()) expect(hamming[i]).toBeCloseTo(v, 15);
  });

  it('periodic Hann starts at 0, peaks at n/2 and overlap-adds to 1 at hop n/2', () => {
    const n = 16;
    const w = hannWindow(n);
    expect(w[0]).toBe(0);
    expect(w[n / 2]).toBeCloseTo(1, 15);
    for (let j = 0; j < n / 2; j++) expect(w[j]! + w[j + n / 2]!).toBeCloseTo(1, 14);
  });

  it('rectangular is all ones; length 1 is [1]; bad names and lengths throw', () => {
    expect(Array.from(windowFunction('rectangular', 3))).toEqual([1, 1, 1]);
    expect(Array.from(hannWindow(1, false))).toEqual([1]);
    expect(() => windowFunction('blackman' as 'hann', 8)).toThrow(ArgumentError);
    expect(() => hannWindow(0)).toThrow(/n: expected an integer >= 1, got 0/);
  });
});
