import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { fft, fft2 } from './fft.js';

function dft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      or[k]! += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
      oi[k]! += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
    }
  return [or, oi];
}

describe('fft', () => {
  it.each([1, 2, 8, 64, 3, 12, 100])('matches the direct DFT and inverts (n = %i)', (n) => {
    const rng = new Rng(n);
    const re = rng.fillNormal(new Float64Array(n)) as Float64Array;
    const im = rng.fillNormal(new Float64Array(n)) as Float64Array;
    const [er, ei] = dft(re, im);
    const r = re.slice();
    const i = im.slice();
    fft(r, i);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(er[k]!, 9);
      expect(i[k]).toBeCloseTo(ei[k]!, 9);
    }
    fft(r, i, true);
    for (let k = 0; k < n; k++) expect(r[k]).toBeCloseTo(re[k]!, 12);
  });

  it('fft2 satisfies Parseval', () => {
    const rng = new Rng(1);
    const re = rng.fillNormal(new Float64Array(6 * 8)) as Float64Array;
    const im = new Float64Array(48);
    const e0 = re.reduce((s, v) => s + v * v, 0);
    fft2(re, im, 6, 8);
    const e1 = re.reduce((s, v, k) => s + v * v + im[k]! ** 2, 0) / 48;
    expect(e1).toBeCloseTo(e0, 10);
  });
});
