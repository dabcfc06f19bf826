import { ArgumentError, NonFiniteError, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { powerSpectrogram, Stft } from './stft.js';

const sr = 16000;
const tone = (f: number, A: number, n: number) =>
  Float64Array.from({ length: n }, (_, j) => A * Math.sin((2 * Math.PI * f * j) / sr + 0.2));

describe('powerSpectrogram', () => {
  it('puts a 1 kHz tone in bin 1000·nFft/sr = 32 with the right magnitude (rectangular and Hann)', () => {
    const A = 0.3;
    const x = tone(1000, A, 4000);
    const rect = powerSpectrogram(x, { nFft: 512, hop: 160, window: 'rectangular', power: 1 });
    expect(rect.bins).toBe(257);
    expect(rect.frames).toBe(1 + Math.floor((4000 - 512) / 160));
    for (let t = 0; t < rect.frames; t++) {
      const row = rect.data.subarray(t * 257, (t + 1) * 257);
      // a whole number of periods per frame: no leakage, |X_32| = A·nFft/2 exactly
      expect(row[32]).toBeCloseTo((A * 512) / 2, 9);
      for (let k = 0; k < 257; k++) if (k !== 32) expect(row[k]!).toBeLessThan(1e-9);
    }
    // Hann: the peak is scaled by the window's mean (1/2), with half-height neighbours
    const hann = powerSpectrogram(x, { nFft: 512, hop: 160 });
    const p = hann.data;
    expect(p[32]).toBeCloseTo(((A * 512) / 4) ** 2, 6);
    expect(p[31]).toBeCloseTo(((A * 512) / 8) ** 2, 6);
    expect(p[33]).toBeCloseTo(((A * 512) / 8) ** 2, 6);
  });

  it('conserves energy per frame (Parseval with a rectangular window)', () => {
    const x = Float64Array.from(
      { length: 1024 },
      (_, j) => Math.sin(j * 0.37) + 0.5 * Math.cos(j * j * 0.001),
    );
    const s = powerSpectrogram(x, { nFft: 256, hop: 256, window: 'rectangular' });
    for (let t = 0; t < s.frames; t++) {
      let e = 0;
      for (let j = 0; j < 256; j++) e += x[t * 256 + j]! ** 2;
      let spec = 0;
      for (let k = 0; k < s.bins; k++) spec += (k === 0 || k === 128 ? 1 : 2) * s.data[t * s.bins + k]!;
      expect(spec / 256).toBeCloseTo(e, 9);
    }
  });

  it('zero-pads frames of winLength < nFft: 98 frames of 25 ms in 1 s at 16 kHz', () => {
    const stft = new Stft({ nFft: 512, winLength: 400, hop: 160 });
    expect(stft.frameCount(16000)).toBe(98);
    const s = stft.compute(tone(2000, 1, 16000));
    expect(s.frames).toBe(98);
    let best = 0;
    for (let k = 1; k < s.bins; k++) if (s.data[k]! > s.data[best]!) best = k;
    expect(best).toBe(64); // 2000 Hz · 512 / 16000
  });

  it('throws typed errors for bad input', () => {
    expect(() => powerSpectrogram([], { nFft: 8, hop: 4 })).toThrow(ShapeError);
    expect(() => powerSpectrogram([0, 1, Number.NaN, 0, 0, 0, 0, 0], { nFft: 8, hop: 4 })).toThrow(
      NonFiniteError,
    );
    expect(() => new Stft({ nFft: 400, hop: 160 })).toThrow(/nFft: expected a power of two, got 400/);
    expect(() => new Stft({ nFft: 256, winLength: 400, hop: 160 })).toThrow(ArgumentError);
    expect(() => new Stft({ nFft: 256, hop: 0 })).toThrow(/hop/);
    expect(() => powerSpectrogram(new Float64Array(100), { nFft: 256, hop: 128 })).toThrow(ShapeError);
  });
});
