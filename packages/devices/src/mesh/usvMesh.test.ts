import { Rng, TenzoError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { usvMesh } from './usvMesh.js';

function lossOf(A: Float64Array, X: Float64Array, Ybar: Float64Array, B: number, dIn: number, dOut: number) {
  let s = 0;
  for (let b = 0; b < B; b++)
    for (let o = 0; o < dOut; o++) {
      let y = 0;
      for (let c = 0; c < dIn; c++) y += A[o * dIn + c]! * X[b * dIn + c]!;
      s += y * Ybar[b * dOut + o]!;
    }
  return s;
}

describe('usv MZI layer (U Σ V)', () => {
  for (const [dIn, dOut, lossDb, phaseScreens] of [
    [6, 4, 0, false],
    [5, 8, 0.3, false],
    [7, 7, 0, false],
    [6, 4, 0, true],
    [5, 8, 0.3, true],
  ] as const) {
    it(`${dOut}x${dIn} (loss ${lossDb} dB${phaseScreens ? ', phase screens' : ''}): queries are A(ω) x and the exact ω̄ matches central differences`, async () => {
      const dev = usvMesh({ dIn, dOut, lossDb, gain: 1.5, phaseScreens });
      const rng = new Rng(dIn * 10 + dOut);
      const omega = dev.initParams(rng);
      expect(omega.length).toBe(dev.paramSize);
      const B = 3;
      const X = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
      const A = dev.exact.matrix(omega);
      const Y = await dev.query(X, omega);
      for (let b = 0; b < B; b++)
        for (let o = 0; o < dOut; o++) {
          let y = 0;
          for (let c = 0; c < dIn; c++) y += A[o * dIn + c]! * X[b * dIn + c]!;
          expect(Y[b * dOut + o]).toBeCloseTo(y, 12);
        }
      const Ybar = rng.fillNormal(new Float64Array(B * dOut)) as Float64Array;
      const g = dev.exact.paramVjp(X, Ybar, omega);
      const h = 1e-6;
      let touched = 0;
      for (let k = 0; k < omega.length; k++) {
        const wp = omega.slice();
        const wm = omega.slice();
        wp[k]! += h;
        wm[k]! -= h;
        const fd =
          (lossOf(dev.exact.matrix(wp), X, Ybar, B, dIn, dOut) -
            lossOf(dev.exact.matrix(wm), X, Ybar, B, dIn, dOut)) /
          (2 * h);
        expect(Math.abs(g[k]! - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
        if (Math.abs(fd) > 1e-9) touched++;
      }
      // the three groups (V phases, σ, U phases) all carry gradient
      expect(touched).toBeGreaterThan(omega.length / 2);
    });
  }

  it('phase screens add N_V + N_U phases before σ and after it, and a zero screen changes nothing', async () => {
    const plain = usvMesh({ dIn: 5, dOut: 4 });
    const screened = usvMesh({ dIn: 5, dOut: 4, phaseScreens: true });
    expect(screened.paramSize).toBe(plain.paramSize + 6 + 4);
    expect(screened.name).toContain('phase screens');
    // ω of the plain device with zeros spliced in where the screens sit:
    // [V cells | V screen (N_V = 6) | σ (4) | U cells | U screen (N_U = 4)]
    const w = plain.initParams(new Rng(3));
    const vPhases = 2 * plain.meshV.layout.blockCount;
    const uPhases = 2 * plain.meshU.layout.blockCount;
    const ws = new Float64Array(screened.paramSize);
    ws.set(w.subarray(0, vPhases), 0);
    ws.set(w.subarray(vPhases, vPhases + 4), vPhases + 6);
    ws.set(w.subarray(vPhases + 4), vPhases + 6 + 4); // U's screen (the last 4) stays 0
    expect(vPhases + 6 + 4 + 4 + uPhases).toBe(screened.paramSize);
    const X = new Rng(4).fillNormal(new Float64Array(3 * 5)) as Float64Array;
    const a = await plain.query(X, w);
    const b = await screened.query(X, ws);
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k]!, 13);
    expect(() => usvMesh({ dIn: 4, dOut: 4, phaseScreens: 1 as unknown as boolean })).toThrow(/phaseScreens/);
  });

  it('represents what one mesh cannot: A is linear in a common σ (σ = 0 gives A = 0, σ = c gives c·A)', () => {
    const dev = usvMesh({ dIn: 6, dOut: 6 });
    const omega = dev.initParams(new Rng(5));
    const at = 2 * dev.meshV.layout.blockCount;
    const withSigma = (c: number) => {
      const w = omega.slice();
      w.fill(c, at, at + dev.rank);
      return dev.exact.matrix(w);
    };
    const one = withSigma(1);
    const third = withSigma(1 / 3);
    for (let i = 0; i < one.length; i++) expect(third[i]).toBeCloseTo(one[i]! / 3, 13);
    expect(withSigma(0).every((v) => v === 0)).toBe(true);
    // a commanded σ outside [0, 1] saturates like the attenuator does
    expect(Array.from(withSigma(1.7))).toEqual(Array.from(one));
    expect(dev.bounds.lower[at]).toBe(0);
    expect(dev.bounds.upper[at + dev.rank - 1]).toBe(1);
    expect(dev.bounds.lower[0]).toBe(Number.NEGATIVE_INFINITY);
  });

  it('adds phase noise per query and quantises mesh phases, but never σ', async () => {
    const X = new Rng(1).fillNormal(new Float64Array(2 * 4)) as Float64Array;
    const clean = usvMesh({ dIn: 4, dOut: 4 });
    const omega = clean.initParams(new Rng(2));
    const noisy = usvMesh({ dIn: 4, dOut: 4, phaseNoise: 0.02, seed: 9 });
    const a = await noisy.query(X, omega);
    const b = await noisy.query(X, omega);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const q = usvMesh({ dIn: 4, dOut: 4, phaseBits: 4 });
    expect(q.paramStep).toBeCloseTo(Math.PI / 8, 15);
    expect(Array.from(await q.query(X, omega))).not.toEqual(Array.from(await clean.query(X, omega)));
    expect(() => usvMesh({ dIn: 4, dOut: 4, gain: 0 })).toThrow(/gain/);
    expect(() => usvMesh({ dIn: 4, dOut: 4, lossDb: -1 })).toThrow(/lossDb/);
    expect(() => usvMesh({ dIn: 4.5, dOut: 4 })).toThrow(TenzoError);
  });
});
