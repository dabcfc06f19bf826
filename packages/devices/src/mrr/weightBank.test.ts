import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { addDropTransmission, allPassTransmission } from './ring.js';
import { MrrWeightBank } from './weightBank.js';

describe('mrrWeightBank', () => {
  it('reference all-pass weights span [2(r−a)/(1−ar) − 1, 2(a+r)/(1+ar) − 1] = [−0.2857, 0.9767]', () => {
    const dev = new MrrWeightBank({ dIn: 1, dOut: 1 });
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let t = 0; t <= 2000; t++) {
      const w = dev.exact.matrix(Float64Array.of(-Math.PI + (2 * Math.PI * t) / 2000))[0]!;
      lo = Math.min(lo, w);
      hi = Math.max(hi, w);
    }
    expect(lo).toBeCloseTo((2 * 0.1) / 0.28 - 1, 10);
    expect(hi).toBeCloseTo((2 * 1.7) / 1.72 - 1, 10);
    expect(allPassTransmission(0, 0.8, 0.9)).toBeCloseTo(0.1 / 0.28, 14);
  });

  it('add-drop ring with balanced detection: T_through + T_drop ≤ 1, w = T_drop − T_through spans signs', () => {
    const out = new Float64Array(4);
    let lo = 1;
    let hi = -1;
    for (let t = 0; t < 1000; t++) {
      const T = addDropTransmission((2 * Math.PI * t) / 1000, 0.99, 0.9, 0.9, out);
      expect(T[0]! + T[1]!).toBeLessThanOrEqual(1 + 1e-12);
      lo = Math.min(lo, T[1]! - T[0]!);
      hi = Math.max(hi, T[1]! - T[0]!);
    }
    expect(lo).toBeLessThan(-0.9);
    expect(hi).toBeGreaterThan(0.8);
    // lossless (a = 1): the two ports share all the power
    const L = addDropTransmission(0.37, 1, 0.9, 0.8, out);
    expect(L[0]! + L[1]!).toBeCloseTo(1, 14);
  });

  it.each([
    ['all-pass, phase', {}],
    ['add-drop', { ring: 'addDrop' }],
    ['voltage + thermal crosstalk', { param: 'voltage', thermalCrosstalk: 0.2, phaseBias: 0.3 }],
    ['inter-channel crosstalk', { channelSpacing: 1.2 }],
  ] as const)('paramVjp matches finite differences (%s)', (_n, extra) => {
    const rng = new Rng(3);
    const dev = new MrrWeightBank({ dIn: 3, dOut: 2, ...extra });
    const w = dev.initParams(rng).map((v) => v + 0.5 + rng.uniform());
    const X = rng.fillNormal(new Float64Array(4 * 3)) as Float64Array;
    const Yb = rng.fillNormal(new Float64Array(4 * 2)) as Float64Array;
    const g = dev.exact.paramVjp(X, Yb, w);
    const loss = (v: Float64Array) => dev.querySync(X, v).reduce((s, y, k) => s + y * Yb[k]!, 0);
    for (let k = 0; k < w.length; k++) {
      const wp = w.slice();
      const wm = w.slice();
      wp[k]! += 1e-6;
      wm[k]! -= 1e-6;
      expect(g[k]).toBeCloseTo((loss(wp) - loss(wm)) / 2e-6, 6);
    }
  });

  it('heater voltage maps to detuning φ = πV²/V_π² (V_π gives a π shift), clipped at vMax', () => {
    const phase = new MrrWeightBank({ dIn: 1, dOut: 1 });
    const volt = new MrrWeightBank({ dIn: 1, dOut: 1, param: 'voltage' });
    expect(volt.exact.matrix(Float64Array.of(4.36))[0]).toBeCloseTo(
      phase.exact.matrix(Float64Array.of(Math.PI))[0]!,
      14,
    );
    expect(volt.exact.matrix(Float64Array.of(50))[0]).toBe(volt.exact.matrix(Float64Array.of(10.8))[0]);
  });

  it('inter-channel crosstalk vanishes for widely spaced channels and grows as they crowd', () => {
    const rng = new Rng(4);
    const ideal = new MrrWeightBank({ dIn: 4, dOut: 2 });
    const w = ideal.initParams(rng);
    const A = ideal.exact.matrix(w);
    const dev = (s: number) => new MrrWeightBank({ dIn: 4, dOut: 2, channelSpacing: s, a: 0.999, r: 0.999 });
    const err = (s: number) =>
      Math.max(
        ...dev(s)
          .exact.matrix(w)
          .map((v, k) => Math.abs(v - (2 * allPassTransmission(w[k]!, 0.999, 0.999) - 1))),
      );
    expect(A.length).toBe(8);
    expect(err(Math.PI / 4)).toBeLessThan(1e-3);
    expect(err(0.01)).toBeGreaterThan(0.1);
  });
});
