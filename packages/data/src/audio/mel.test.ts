import { ArgumentError, OutOfRangeError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hzToMel, melFilterbank, melToHz } from './mel.js';

describe('mel scales', () => {
  it('HTK: mel(1000 Hz) ≈ 1000 and numpy values of 2595·log10(1 + f/700)', () => {
    // numpy (packages/data/scripts/mfcc_reference.py): 999.9855371396244, 2146.06452750619, 2840.023046708319
    expect(hzToMel(1000, 'htk')).toBeCloseTo(999.9855371396244, 10);
    expect(Math.abs(hzToMel(1000, 'htk') - 1000)).toBeLessThan(0.02);
    expect(hzToMel(4000, 'htk')).toBeCloseTo(2146.06452750619, 10);
    expect(hzToMel(8000, 'htk')).toBeCloseTo(2840.023046708319, 10);
  });

  it("Slaney: linear 3 mel per 200 Hz to 15 mel at 1 kHz, then log (librosa's hz_to_mel values)", () => {
    const want: [number, number][] = [
      [0, 0],
      [60, 0.9],
      [500, 7.5],
      [1000, 15],
      [2000, 25.081880157308323],
      [4000, 35.163760314616646],
      [8000, 45.245640471924965],
    ];
    for (const [hz, mel] of want) expect(hzToMel(hz, 'slaney')).toBeCloseTo(mel, 10);
  });

  it('melToHz inverts hzToMel on both scales', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 24000, noNaN: true }), (hz) => {
        expect(melToHz(hzToMel(hz, 'htk'), 'htk')).toBeCloseTo(hz, 6);
        expect(melToHz(hzToMel(hz, 'slaney'), 'slaney')).toBeCloseTo(hz, 6);
      }),
    );
  });
});

describe('melFilterbank', () => {
  const nFft = 512;
  const sr = 16000;
  const bins = nFft / 2 + 1;

  it('unnormalised triangles peak at ≤ 1 and partition unity between the first and last centres', () => {
    for (const scale of ['htk', 'slaney'] as const) {
      const nMels = 40;
      const fb = melFilterbank({ nMels, nFft, sampleRate: sr, scale, norm: 'none', fMin: 20 });
      const lo = melToHz(
        hzToMel(20, scale) + (hzToMel(8000, scale) - hzToMel(20, scale)) / (nMels + 1),
        scale,
      );
      const hi = melToHz(
        hzToMel(20, scale) + ((hzToMel(8000, scale) - hzToMel(20, scale)) * nMels) / (nMels + 1),
        scale,
      );
      for (let m = 0; m < nMels; m++) {
        const row = fb.subarray(m * bins, (m + 1) * bins);
        const peak = Math.max(...row);
        expect(peak).toBeLessThanOrEqual(1 + 1e-12);
        expect(peak).toBeGreaterThan(0.5);
        // one contiguous run of positive weights with a single maximum (a triangle)
        const nz = Array.from(row, (w, k) => (w > 0 ? k : -1)).filter((k) => k >= 0);
        expect(nz[nz.length - 1]! - nz[0]! + 1).toBe(nz.length);
        const argmax = row.indexOf(peak);
        for (let k = nz[0]!; k < argmax; k++) expect(row[k + 1]!).toBeGreaterThanOrEqual(row[k]!);
        for (let k = argmax; k < nz[nz.length - 1]!; k++) expect(row[k + 1]!).toBeLessThanOrEqual(row[k]!);
      }
      for (let k = 0; k < bins; k++) {
        const f = (k * sr) / nFft;
        if (f < lo || f > hi) continue;
        let s = 0;
        for (let m = 0; m < nMels; m++) s += fb[m * bins + k]!;
        expect(s).toBeCloseTo(1, 12);
      }
    }
  });

  it('Slaney norm gives every triangle unit area in Hz (checked on the wide upper bands)', () => {
    const nMels = 40;
    const fb = melFilterbank({ nMels, nFft, sampleRate: sr });
    const df = sr / nFft;
    for (let m = 20; m < nMels - 1; m++) {
      let area = 0;
      for (let k = 0; k < bins; k++) area += fb[m * bins + k]! * df;
      expect(area).toBeCloseTo(1, 2);
    }
  });

  it('throws for fMax above Nyquist, nFft not a power of two, empty bands and fMin ≥ fMax', () => {
    expect(() => melFilterbank({ nMels: 40, nFft, sampleRate: sr, fMax: 9000 })).toThrow(OutOfRangeError);
    expect(() => melFilterbank({ nMels: 40, nFft, sampleRate: sr, fMax: 9000 })).toThrow(
      /fMax: expected a frequency <= sampleRate\/2 = 8000 Hz, got 9000/,
    );
    expect(() => melFilterbank({ nMels: 40, nFft: 400, sampleRate: sr })).toThrow(ArgumentError);
    expect(() => melFilterbank({ nMels: 128, nFft: 128, sampleRate: sr })).toThrow(/falls between FFT bins/);
    expect(() => melFilterbank({ nMels: 10, nFft, sampleRate: sr, fMin: 4000, fMax: 4000 })).toThrow(
      OutOfRangeError,
    );
    expect(() => melFilterbank({ nMels: 10, nFft, sampleRate: sr, scale: 'bark' as 'htk' })).toThrow(
      ArgumentError,
    );
  });
});
