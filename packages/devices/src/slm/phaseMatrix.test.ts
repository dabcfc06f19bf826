import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { SlmPhaseMatrix } from './phaseMatrix.js';

function fdCheck(dev: SlmPhaseMatrix, w: Float64Array, rng: Rng) {
  const X = rng.fillNormal(new Float64Array(3 * dev.dIn)) as Float64Array;
  const Yb = rng.fillNormal(new Float64Array(3 * dev.dOut)) as Float64Array;
  const g = dev.exact.paramVjp(X, Yb, w);
  const loss = (v: Float64Array) => dev.querySync(X, v).reduce((s, y, k) => s + y * Yb[k]!, 0);
  for (let k = 0; k < w.length; k++) {
    const wp = w.slice();
    const wm = w.slice();
    wp[k]! += 1e-6;
    wm[k]! -= 1e-6;
    expect(g[k]).toBeCloseTo((loss(wp) - loss(wm)) / 2e-6, 6);
  }
}

describe('slmPhaseMatrix', () => {
  it('is the reference A = cos(Φ)/√d_in with init Φ ~ U[π/2 ± 0.1]', async () => {
    const rng = new Rng(1);
    const dev = new SlmPhaseMatrix({ dIn: 4, dOut: 3 });
    const w = dev.initParams(rng);
    for (const v of w) expect(Math.abs(v - Math.PI / 2)).toBeLessThanOrEqual(0.1);
    const A = dev.exact.matrix(w);
    for (let k = 0; k < 12; k++) expect(A[k]).toBeCloseTo(Math.cos(w[k]!) / 2, 15);
    const Y = await dev.query(Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0), w);
    expect(Y[0]).toBeCloseTo(A[0]!, 15);
    expect(Y[4]).toBeCloseTo(A[4 + 2]!, 15);
  });

  it('paramVjp matches finite differences, ideal and with pixel crosstalk', () => {
    const rng = new Rng(2);
    for (const pixelCrosstalk of [0, 0.1]) {
      const dev = new SlmPhaseMatrix({ dIn: 3, dOut: 4, pixelCrosstalk });
      fdCheck(
        dev,
        // random phases well inside the bounds [0, 2π] (the device clips ω to them, where FD is meaningless)
        dev.initParams(rng).map((v) => v + 0.5 * rng.normal()),
        rng,
      );
    }
  });

  it('phase quantisation leaves exactly 2^bits distinct matrix values over a full phase sweep', () => {
    const dev = new SlmPhaseMatrix({ dIn: 1, dOut: 1, phaseBits: 4 });
    const seen = new Set<number>();
    for (let t = 0; t < 1000; t++)
      seen.add(Math.round(1e12 * dev.exact.matrix(Float64Array.of((2 * Math.PI * t) / 1000))[0]!));
    // cos is two-to-one on the 16 levels k·2π/16 except at 0 and π: 16/2 + 1 = 9 values
    expect(seen.size).toBe(9);
  });

  it('with a coarse phase DAC, starts one level wide so the quantised device is not A ≡ 0', () => {
    const rng = new Rng(3);
    const ref = new SlmPhaseMatrix({ dIn: 8, dOut: 8 });
    expect(ref.initSpread).toBe(0.1);
    expect(ref.paramStep).toBeNull();
    const fine = new SlmPhaseMatrix({ dIn: 8, dOut: 8, phaseBits: 8 });
    expect(fine.initSpread).toBe(0.1); // 2π/256 < 0.1: the reference's init already spans levels
    const dev = new SlmPhaseMatrix({ dIn: 8, dOut: 8, phaseBits: 4 });
    const step = (2 * Math.PI) / 16;
    expect(dev.paramStep).toBeCloseTo(step, 15);
    expect(dev.initSpread).toBeCloseTo(step, 15);
    const w = dev.initParams(rng);
    for (const v of w) expect(Math.abs(v - Math.PI / 2)).toBeLessThanOrEqual(step);
    // the realised matrix takes the three values {−sin Δ, 0, sin Δ}/√8, each of them present
    const A = dev.exact.matrix(w);
    const levels = new Set(Array.from(A, (a) => Math.round(a * Math.sqrt(8) * 1e9) / 1e9));
    const s = Math.round(Math.sin(step) * 1e9) / 1e9;
    expect([...levels].sort()).toEqual([-s, 0, s].sort());
    // the reference init at 4 bits would realise A ≡ 0
    const narrow = new SlmPhaseMatrix({ dIn: 8, dOut: 8, phaseBits: 4, initSpread: 0.1 });
    for (const a of narrow.exact.matrix(narrow.initParams(rng))) expect(Math.abs(a)).toBeLessThan(1e-15);
    expect(() => new SlmPhaseMatrix({ dIn: 2, dOut: 2, initSpread: 2 })).toThrowError(/initSpread/);
  });

  it('pixel crosstalk keeps a uniform mask uniform and smooths a single-pixel step', () => {
    const dev = new SlmPhaseMatrix({ dIn: 3, dOut: 3, pixelCrosstalk: 0.1 });
    const A = dev.exact.matrix(new Float64Array(9).fill(1));
    for (const v of A) expect(v).toBeCloseTo(Math.cos(1) / Math.sqrt(3), 14);
    const w = new Float64Array(9);
    w[4] = 1;
    const B = dev.exact.matrix(w);
    expect(B[4]).toBeCloseTo(Math.cos(0.6) / Math.sqrt(3), 14);
    expect(B[1]).toBeCloseTo(Math.cos(0.1) / Math.sqrt(3), 14);
  });
});
