import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { quantizePhase } from '../noise/quantize.js';
import { allPassTransmission } from './ring.js';
import { MrrWeightBank } from './weightBank.js';

describe('mrrWeightBank phase quantisation', () => {
  it('realises the weights of the quantised detunings, 2π-periodically', () => {
    const rng = new Rng(1);
    const dev = new MrrWeightBank({ dIn: 3, dOut: 2, phaseBits: 3 });
    const ideal = new MrrWeightBank({ dIn: 3, dOut: 2 });
    const w = dev.initParams(rng);
    for (let k = 0; k < w.length; k++) w[k]! += rng.normal();
    const q = quantizePhase(w, 3, new Float64Array(w.length));
    expect(Array.from(dev.exact.matrix(w))).toEqual(Array.from(ideal.exact.matrix(q)));
    // the level 0 is on resonance: small detunings round to it, the weight 2t(0) − 1
    const small = new MrrWeightBank({ dIn: 1, dOut: 1, phaseBits: 3 });
    expect(small.exact.matrix(Float64Array.of(0.3))[0]).toBeCloseTo(
      2 * allPassTransmission(0, 0.8, 0.9) - 1,
      14,
    );
  });

  it('leaves at most 2^(bits−1) + 1 distinct weights over a phase sweep (t depends on cos φ)', () => {
    const dev = new MrrWeightBank({ dIn: 1, dOut: 1, phaseBits: 2 });
    const seen = new Set<number>();
    for (let t = 0; t < 1000; t++)
      seen.add(Math.round(1e12 * dev.exact.matrix(Float64Array.of(-Math.PI + (2 * Math.PI * t) / 1000))[0]!));
    expect(seen.size).toBe(3);
  });

  it('with a coarse DAC, starts one level wide so the rings do not all round to resonance', () => {
    const rng = new Rng(2);
    const step = (2 * Math.PI) / 8;
    const ref = new MrrWeightBank({ dIn: 16, dOut: 4 });
    expect(ref.initSpread).toBeCloseTo(0.25, 15);
    expect(ref.paramStep).toBeNull();
    const dev = new MrrWeightBank({ dIn: 16, dOut: 4, phaseBits: 3 });
    expect(dev.paramStep).toBeCloseTo(step, 15);
    expect(dev.initSpread).toBeCloseTo(step, 15);
    const distinct = (d: MrrWeightBank) =>
      new Set(Array.from(d.exact.matrix(d.initParams(rng)), (a) => Math.round(a * 1e9))).size;
    // one level wide: detunings round to −Δ, 0 or +Δ, two distinct weights (t is even in φ)
    expect(distinct(dev)).toBe(2);
    // the reference spread 1/√16 < Δ/2: every ring on resonance, a constant (rank-1) matrix
    expect(distinct(new MrrWeightBank({ dIn: 16, dOut: 4, phaseBits: 3, initSpread: 0.25 }))).toBe(1);
  });

  it('queries see the quantised device; bits are checked and phase mode only', async () => {
    const dev = new MrrWeightBank({ dIn: 2, dOut: 2, phaseBits: 4 });
    const ideal = new MrrWeightBank({ dIn: 2, dOut: 2 });
    const w = Float64Array.of(0.1, -0.2, 0.05, 0.3);
    dev.setParams(w);
    ideal.setParams(quantizePhase(w, 4, new Float64Array(4)));
    const X = Float64Array.of(1, 2, -1, 0.5);
    expect(Array.from(await dev.query(X))).toEqual(Array.from(await ideal.query(X)));
    expect(() => new MrrWeightBank({ dIn: 2, dOut: 2, phaseBits: 0 })).toThrowError(/phaseBits/);
    expect(() => new MrrWeightBank({ dIn: 2, dOut: 2, phaseBits: 4, param: 'voltage' })).toThrowError(
      /phaseBits: quantises the detuning of param 'phase'/,
    );
  });
});
