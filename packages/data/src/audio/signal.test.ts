import { Rng, rfft } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { colouredNoise } from './noise.js';
import { resample } from './resample.js';
import { soundingSegments } from './segment.js';

/** The strongest FFT bin's frequency in Hz. */
function peakHz(x: Float32Array, sampleRate: number, n = 4096): number {
  const { re, im } = rfft(Array.from(x.subarray(0, n)));
  let best = 1;
  for (let k = 1; k < re.length; k++)
    if (re[k]! ** 2 + im[k]! ** 2 > re[best]! ** 2 + im[best]! ** 2) best = k;
  return (best * sampleRate) / n;
}

describe('resample', () => {
  it('keeps a 1 kHz tone at 1 kHz from 22,050 to 16,000 Hz, and a speed factor scales it', () => {
    const tone = Float32Array.from({ length: 22050 }, (_, j) => Math.sin((2 * Math.PI * 1000 * j) / 22050));
    const y = resample(tone, 22050 / 16000);
    expect(y.length).toBe(16000);
    expect(Math.abs(peakHz(y, 16000) - 1000)).toBeLessThan(4);
    // amplitude preserved in the interior
    const mid = y.subarray(1000, 15000);
    expect(Math.max(...mid)).toBeCloseTo(1, 2);
    const fast = resample(tone, (22050 / 16000) * 1.1);
    expect(Math.abs(peakHz(fast, 16000) - 1100)).toBeLessThan(4);
  });

  it('removes content above the new Nyquist instead of aliasing it', () => {
    // 7 kHz at 22,050 Hz resampled to 8,000 Hz (Nyquist 4 kHz) would alias to 1 kHz
    const tone = Float32Array.from({ length: 22050 }, (_, j) => Math.sin((2 * Math.PI * 7000 * j) / 22050));
    const y = resample(tone, 22050 / 8000);
    let sq = 0;
    for (const v of y.subarray(500, 7500)) sq += v * v;
    expect(Math.sqrt(sq / 7000)).toBeLessThan(0.01);
  });
});

describe('soundingSegments', () => {
  it('finds bursts separated by long pauses and ignores short gaps inside a burst', () => {
    const sr = 1000;
    const x = new Float32Array(3000);
    const burst = (a: number, b: number) => {
      for (let i = a; i < b; i++) x[i] = Math.sin(i);
    };
    burst(100, 300);
    burst(350, 500); // 50 ms gap: same word
    burst(1000, 1200);
    burst(2500, 2900);
    x[2000] = 1e-6; // below the relative threshold
    expect(soundingSegments(x, sr)).toEqual([
      [100, 500],
      [1000, 1200],
      [2500, 2900],
    ]);
    expect(soundingSegments(new Float32Array(100), sr)).toEqual([]);
  });
});

describe('colouredNoise', () => {
  it('has unit RMS; pink and brown put more power in low frequencies than white', () => {
    const n = 8192;
    const lowShare = (x: Float32Array) => {
      const { re, im } = rfft(Array.from(x));
      let low = 0;
      let all = 0;
      for (let k = 1; k < re.length; k++) {
        const p = re[k]! ** 2 + im[k]! ** 2;
        all += p;
        if (k < re.length / 8) low += p;
      }
      return low / all;
    };
    const shares: number[] = [];
    for (const colour of ['white', 'pink', 'brown'] as const) {
      const x = colouredNoise(n, colour, new Rng(3));
      let sq = 0;
      for (const v of x) sq += v * v;
      expect(Math.sqrt(sq / n)).toBeCloseTo(1, 6);
      shares.push(lowShare(x));
    }
    expect(shares[0]).toBeGreaterThan(0.08);
    expect(shares[0]).toBeLessThan(0.17); // white: about 1/8 below Nyquist/8
    expect(shares[1]).toBeGreaterThan(shares[0]! + 0.2);
    expect(shares[2]).toBeGreaterThan(shares[1]!);
  });
});
