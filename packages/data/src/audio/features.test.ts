import { ArgumentError, NonFiniteError, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { AudioFeatureExtractor, logMelSpectrogram, mfcc } from './features.js';

// Fixed input of packages/data/scripts/mfcc_reference.py: two tones, a chirp and a broadband term.
const sr = 16000;
const x = Float64Array.from(
  { length: 1024 },
  (_, n) =>
    0.5 * Math.sin((2 * Math.PI * 440 * n) / sr) +
    0.25 * Math.sin((2 * Math.PI * 1250 * n) / sr + 0.3) +
    0.1 * Math.sin((2 * Math.PI * (300 + 2 * n) * n) / sr) +
    0.01 * (((n * 7919) % 1000) / 1000 - 0.5),
);
const opts = { sampleRate: sr, nFft: 256, winLength: 200, hop: 128, nMels: 20 } as const;

// Produced once by `python3 packages/data/scripts/mfcc_reference.py` (numpy 2.4.6 rfft, scipy
// 1.17.1 dct(type=2, norm='ortho'), the Slaney filterbank written out in numpy): 7 frames.
const LOGMEL_FRAME0 = [
  -6.787454590674242, -0.28427292403669707, 1.906431224348789, 0.3447384135197348, -1.940437341527757,
  -2.649103465429983, -4.080636361084665, -0.04826181686408965, -0.3977330581712157, -6.431819667550644,
  -12.289146326053782, -13.579245516097611, -10.765819587081637, -11.334933843374438, -13.743589203690796,
  -11.627548522299401, -12.97821998867776, -12.307729313542067, -13.001521747600066, -12.819004722525746,
];
const MFCC = [
  -32.38168736720074, 21.778806455461172, 0.5496238193286962, -6.847425289829202, -2.3701543376677368,
  2.084838227298076, -1.5820760588758214, -6.849550667605724, -32.42912622972314, 20.342314763676868,
  -1.5880546817267982, -6.022138955984412, 1.0056923626296679, 3.9938455567058866, -2.085347065245682,
  -7.7140262485093665, -30.44308434627519, 17.69368400217438, -6.178931469192907, -0.9844961249867252,
  7.591850173319857, 0.8983673388358293, -6.597293757962995, -6.244818212601189, -28.5064095378907,
  16.333717692262482, -6.953963266377497, 2.4213285711714323, 4.607942584905718, -2.7205583622006966,
  -1.714234166111999, -4.700358914848815, -29.082297226924595, 14.237020449784094, -3.9107587575579146,
  4.62440583155506, -1.4583323714680365, 0.669428863175981, 2.9092081057197823, -11.834008781569526,
  -29.661138521908338, 13.904409253028708, -0.5491268763569139, 2.410687186778519, -5.550325120692276,
  6.472858107430499, 0.8998481825505715, -14.889442668075073, -29.919428802473714, 12.518077342375832,
  1.8541247936676408, 0.7487549033026779, -5.218004214370902, 10.197540915162568, -4.556563963433797,
  -11.818943509123548,
];

describe('log-mel and MFCC', () => {
  it('match the numpy/scipy reference to float32 precision', () => {
    const lm = logMelSpectrogram(x, opts);
    expect(lm.frames).toBe(7);
    expect(lm.nMels).toBe(20);
    for (const [i, v] of LOGMEL_FRAME0.entries()) expect(Math.abs(lm.data[i]! - v)).toBeLessThan(1e-5);
    const m = mfcc(x, { ...opts, nMfcc: 8 });
    expect(m.frames).toBe(7);
    expect(m.nMfcc).toBe(8);
    expect(m.data.length).toBe(MFCC.length);
    for (const [i, v] of MFCC.entries())
      expect(Math.abs(m.data[i]! - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)));
  });

  it('stacks deltas and applies per-utterance CMVN to every output channel', () => {
    const fx = new AudioFeatureExtractor({ ...opts, kind: 'mfcc', nMfcc: 8, deltaOrder: 2, cmvn: 'meanvar' });
    expect(fx.dim).toBe(24);
    expect(fx.frameCount(1024)).toBe(7);
    const f = fx.extract(x);
    expect(f.length).toBe(7 * 24);
    for (let c = 0; c < 24; c++) {
      let mean = 0;
      for (let t = 0; t < 7; t++) mean += f[t * 24 + c]!;
      expect(mean / 7).toBeCloseTo(0, 5);
    }
    const plain = new AudioFeatureExtractor({ ...opts, kind: 'mfcc', nMfcc: 8, deltaOrder: 1 }).extract(x);
    // first 8 values per frame are the MFCCs themselves
    for (let t = 0; t < 7; t++) {
      for (let c = 0; c < 8; c++) expect(plain[t * 16 + c]).toBeCloseTo(MFCC[t * 8 + c]!, 4);
    }
  });

  it('extracts a batch of clips back to back, equal to one-by-one extraction', () => {
    const fx = new AudioFeatureExtractor({ ...opts, kind: 'logmel' });
    const two = new Float32Array(2048);
    two.set(x, 0);
    two.set(
      x.map((v) => 0.5 * v),
      1024,
    );
    const batch = fx.extractBatch(two, 2);
    const per = 7 * 20;
    expect(batch.length).toBe(2 * per);
    expect(Array.from(batch.subarray(0, per))).toEqual(Array.from(fx.extract(two.subarray(0, 1024))));
    // halving the amplitude shifts every log-mel value by ln(1/4)
    for (let i = 0; i < per; i++) expect(batch[per + i]! - batch[i]!).toBeCloseTo(Math.log(0.25), 4);
  });

  it('throws typed errors for bad input and options', () => {
    expect(() => mfcc([], { ...opts })).toThrow(ShapeError);
    expect(() => mfcc(Float64Array.from(x).fill(Number.NaN, 10, 11), opts)).toThrow(NonFiniteError);
    expect(() => mfcc(x, { ...opts, nMfcc: 21 })).toThrow(/nMfcc: expected an integer <= nMels = 20, got 21/);
    expect(() => logMelSpectrogram(x, { ...opts, fMax: 8001 })).toThrow(/fMax/);
    expect(() => new AudioFeatureExtractor({ ...opts, kind: 'mfcc', deltaOrder: 3 as 2 })).toThrow(
      ArgumentError,
    );
    expect(() => new AudioFeatureExtractor({ ...opts, kind: 'spectrogram' as 'mfcc' })).toThrow(
      ArgumentError,
    );
  });
});
