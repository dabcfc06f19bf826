import { FormatError, Rng, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { MatrixDevice } from '../controls/matrixDevice.js';
import { DriftProcess } from './drift.js';
import { applyOutputNoise, detectorNoise, gaussianNoise, multiplicativeNoise } from './outputNoise.js';
import { quantizePhase, quantizeUniform } from './quantize.js';

function stats(x: Float64Array): { mean: number; std: number } {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  return { mean, std: Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (x.length - 1)) };
}

describe('shared noise models', () => {
  it('quantisation yields exactly 2^bits levels (uniform ADC and periodic phase DAC)', () => {
    const rng = new Rng(1);
    for (const bits of [1, 3, 6]) {
      const v = rng.fillUniform(new Float64Array(20000), -2, 2) as Float64Array;
      expect(new Set(quantizeUniform(v.slice(), bits, -1, 1)).size).toBe(2 ** bits);
      const p = rng.fillUniform(new Float64Array(20000), -10, 10) as Float64Array;
      const q = quantizePhase(p, bits, new Float64Array(p.length));
      expect(new Set(q).size).toBe(2 ** bits);
      for (const x of q) expect(x >= 0 && x < 2 * Math.PI).toBe(true);
    }
  });

  it('gaussian and multiplicative noise have the stated standard deviations (n = 40000, 4σ bounds)', () => {
    const n = 40000;
    const rng = new Rng(2);
    const y = new Float64Array(n);
    applyOutputNoise([gaussianNoise(0.05)], y, rng);
    const g = stats(y);
    // sd of the sample sd ≈ σ/√(2n)
    expect(Math.abs(g.mean)).toBeLessThan((4 * 0.05) / Math.sqrt(n));
    expect(Math.abs(g.std - 0.05)).toBeLessThan((4 * 0.05) / Math.sqrt(2 * n));
    const z = new Float64Array(n).fill(2);
    applyOutputNoise([multiplicativeNoise(0.1)], z, rng);
    const m = stats(z);
    expect(Math.abs(m.mean - 2)).toBeLessThan((4 * 0.2) / Math.sqrt(n));
    expect(Math.abs(m.std - 0.2)).toBeLessThan((4 * 0.2) / Math.sqrt(2 * n));
  });

  it('detector noise + ADC: outputs lie on the 2^bits grid and keep the noise level', () => {
    const rng = new Rng(3);
    const y = new Float64Array(20000).fill(0.3);
    applyOutputNoise([detectorNoise({ sigma: 0.1, bits: 8, range: [-1, 1] })], y, rng);
    const step = 2 / 255;
    for (const v of y) expect(Math.abs((v + 1) / step - Math.round((v + 1) / step))).toBeLessThan(1e-9);
    const s = stats(y);
    // quantisation adds step²/12 of variance
    expect(Math.abs(s.std - Math.sqrt(0.01 + step ** 2 / 12))).toBeLessThan(0.004);
  });

  it('drift is a random walk: Var(δ_K) = K σ²', () => {
    const rng = new Rng(4);
    const d = new DriftProcess(4000, 0.01);
    for (let k = 0; k < 25; k++) d.step(rng);
    const s = stats(d.offset);
    expect(Math.abs(s.std - 0.05)).toBeLessThan((4 * 0.05) / Math.sqrt(2 * 4000));
  });

  it('drift state/load: the walk continues from the saved position; wrong lengths throw ShapeError', () => {
    const rng = new Rng(6);
    const a = new DriftProcess(3, 0.1);
    a.step(rng);
    const s = a.state();
    const r = rng.getState();
    a.step(rng);
    expect(Array.from(s.offset)).not.toEqual(Array.from(a.offset)); // the snapshot is a copy
    const b = new DriftProcess(3, 0.1);
    b.load(s);
    b.step(Rng.fromState(r));
    expect(Array.from(b.offset)).toEqual(Array.from(a.offset));
    expect(() => b.load({ offset: new Float64Array(2) })).toThrow(ShapeError);
    expect(() => b.load({ offset: new Float64Array(2) })).toThrow(
      'DriftProcess.load: offset: expected a Float64Array of length 3, got Float64Array(2)',
    );
    expect(() => b.load({ offset: [0, 0, 0] as unknown as Float64Array })).toThrow(FormatError);
  });

  it('a device with drift returns different outputs for the same ω over time; seeded runs repeat', async () => {
    const make = () =>
      new MatrixDevice({ dIn: 2, dOut: 2, drift: 0.01, seed: 9, outputNoise: [gaussianNoise(0.001)] });
    const a = make();
    const b = make();
    const w = a.initParams(new Rng(5));
    const X = Float64Array.of(1, 1);
    const ya = [await a.query(X, w), await a.query(X)];
    const yb = [await b.query(X, w), await b.query(X)];
    expect(ya).toEqual(yb);
    expect(ya[0]).not.toEqual(ya[1]);
  });
});
