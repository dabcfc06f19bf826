import { ArgumentError, Rng, TenzoError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { type MonarchDevice, monarchDevice, monarchShape } from './monarch.js';

/**
 * The two-stage complex propagation written out independently of the closed form A = cos(φ₁ + φ₂)/√d:
 * pad, block-diagonal stage 1, stride permutation, block-diagonal stage 2, real part, truncate.
 */
function reference(dev: MonarchDevice, x: Float64Array, phi: Float64Array): Float64Array {
  const { p1, p2, d } = dev.shape;
  const xr = new Float64Array(d);
  xr.set(x);
  const zr = new Float64Array(p1 * p2);
  const zi = new Float64Array(p1 * p2);
  for (let q = 0; q < p1; q++)
    for (let j = 0; j < p2; j++)
      for (let i = 0; i < p2; i++) {
        const a = phi[(q * p2 + i) * p2 + j]!;
        zr[q * p2 + j]! += (xr[q * p2 + i]! * Math.cos(a)) / Math.sqrt(p2);
        zi[q * p2 + j]! += (xr[q * p2 + i]! * Math.sin(a)) / Math.sqrt(p2);
      }
  const y = new Float64Array(dev.dOut);
  const off = p1 * p2 * p2;
  for (let j = 0; j < p2; j++)
    for (let k = 0; k < p1; k++) {
      const o = j * p1 + k;
      if (o >= dev.dOut) continue;
      let re = 0;
      for (let q = 0; q < p1; q++) {
        const b = phi[off + (j * p1 + q) * p1 + k]!;
        // Re((zr + i zi)(cos b + i sin b)) / √p1
        re += (zr[q * p2 + j]! * Math.cos(b) - zi[q * p2 + j]! * Math.sin(b)) / Math.sqrt(p1);
      }
      y[o] = re;
    }
  return y;
}

describe('Monarch device', () => {
  it('picks the closest power-of-two factor pair, as astralora does', () => {
    expect(monarchShape(16, 16)).toEqual({ d: 16, p1: 4, p2: 4 });
    expect(monarchShape(10, 12)).toEqual({ d: 16, p1: 4, p2: 4 });
    expect(monarchShape(8, 16)).toEqual({ d: 16, p1: 4, p2: 4 });
    expect(monarchShape(784, 256)).toEqual({ d: 1024, p1: 32, p2: 32 });
    expect(monarchShape(256, 128)).toEqual({ d: 256, p1: 16, p2: 16 });
    expect(monarchShape(100, 20)).toEqual({ d: 128, p1: 8, p2: 16 });
    const dev = monarchDevice({ dIn: 256, dOut: 256 });
    expect(dev.paramSize).toBe(16 * 16 * 32); // 2 d^{3/2} against d² = 65,536
  });

  for (const [dIn, dOut] of [
    [16, 16],
    [10, 12],
    [12, 7],
    [20, 100],
  ] as const) {
    it(`${dOut}x${dIn}: the query equals the two-stage complex propagation`, async () => {
      const dev = monarchDevice({ dIn, dOut });
      const rng = new Rng(dIn * 31 + dOut);
      const omega = dev.initParams(rng);
      for (const v of omega) expect(v >= 0 && v <= Math.PI).toBe(true);
      const B = 3;
      const X = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
      const Y = await dev.query(X, omega);
      for (let b = 0; b < B; b++) {
        const ref = reference(dev, X.subarray(b * dIn, (b + 1) * dIn), omega);
        for (let o = 0; o < dOut; o++) expect(Y[b * dOut + o]).toBeCloseTo(ref[o]!, 12);
      }
      const A = dev.exact.matrix(omega);
      expect(A.length).toBe(dOut * dIn);
    });

    it(`${dOut}x${dIn}: the exact ω̄ matches central differences`, () => {
      const dev = monarchDevice({ dIn, dOut });
      const rng = new Rng(7 + dIn);
      const omega = dev.initParams(rng);
      const B = 2;
      const X = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
      const Ybar = rng.fillNormal(new Float64Array(B * dOut)) as Float64Array;
      const g = dev.exact.paramVjp(X, Ybar, omega);
      const loss = (w: Float64Array) => {
        const A = dev.exact.matrix(w);
        let s = 0;
        for (let b = 0; b < B; b++)
          for (let o = 0; o < dOut; o++) {
            let y = 0;
            for (let c = 0; c < dIn; c++) y += A[o * dIn + c]! * X[b * dIn + c]!;
            s += y * Ybar[b * dOut + o]!;
          }
        return s;
      };
      const h = 1e-6;
      // every phase, or a seeded sample of 60 of them on the larger shapes
      const pick =
        omega.length <= 200
          ? omega.map((_, i) => i)
          : Array.from({ length: 60 }, () => rng.int(omega.length));
      let touched = 0;
      for (const k of pick) {
        const wp = omega.slice();
        const wm = omega.slice();
        wp[k]! += h;
        wm[k]! -= h;
        const fd = (loss(wp) - loss(wm)) / (2 * h);
        expect(Math.abs(g[k]! - fd)).toBeLessThan(1e-7 * (1 + Math.abs(fd)));
        if (fd !== 0) touched++;
      }
      expect(touched).toBeGreaterThan(0);
    });
  }

  it('quantises phases with phaseBits, adds per-query phase noise, and checks its options', async () => {
    const X = new Rng(1).fillNormal(new Float64Array(2 * 16)) as Float64Array;
    const clean = monarchDevice({ dIn: 16, dOut: 16 });
    const omega = clean.initParams(new Rng(2));
    const q = monarchDevice({ dIn: 16, dOut: 16, phaseBits: 3 });
    expect(q.paramStep).toBeCloseTo(Math.PI / 4, 15);
    expect(Array.from(await q.query(X, omega))).not.toEqual(Array.from(await clean.query(X, omega)));
    const noisy = monarchDevice({ dIn: 16, dOut: 16, phaseNoise: 0.05, seed: 3 });
    const y1 = await noisy.query(X, omega);
    const y2 = await noisy.query(X, omega);
    expect(Array.from(y1)).not.toEqual(Array.from(y2));
    const y0 = await clean.query(X, omega);
    let diff = 0;
    for (let i = 0; i < y0.length; i++) diff = Math.max(diff, Math.abs(y1[i]! - y0[i]!));
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.5);
    // a noiseless query after a noisy one is not served from a stale noisy matrix
    expect(Array.from(await clean.query(X, omega))).toEqual(Array.from(y0));
    expect(() => monarchDevice({ dIn: 0, dOut: 4 })).toThrow(TenzoError);
    expect(() => monarchDevice({ dIn: 4, dOut: 4, phaseBits: 0 })).toThrow(/phaseBits/);
    expect(() => monarchDevice({ dIn: 4, dOut: 4, phaseNoise: -1 })).toThrow(/phaseNoise/);
    expect(() => monarchDevice(null as never)).toThrow(ArgumentError);
  });
});
