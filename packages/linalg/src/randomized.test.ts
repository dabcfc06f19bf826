import { describe, expect, it } from 'vitest';
import { geometricSpectrum, orthoErr, Rng, reconstruct, relErr, withSpectrum } from '../test/helpers.js';
import { matmul, matmulTN } from './matmul.js';
import { randomizedRangeFinder, randomizedSvd } from './randomized.js';

describe('randomized range finder and SVD', () => {
  const rng = new Rng(19);

  it('recovers an exactly low-rank matrix to rounding', () => {
    const spectrum = [9, 7, 5, 3, 1];
    const a = withSpectrum(rng, 300, 200, spectrum);
    const { U, S, V } = randomizedSvd(a, 5, { seed: 1 });
    expect(relErr(a, reconstruct(U, S, V))).toBeLessThan(1e-13);
    for (let i = 0; i < 5; i++) expect(Math.abs(S[i]! - spectrum[i]!) / spectrum[i]!).toBeLessThan(1e-13);
    expect(orthoErr(U)).toBeLessThan(1e-13);
    expect(orthoErr(V)).toBeLessThan(1e-13);
  });

  it('captures the leading subspace of a decaying spectrum', () => {
    const spectrum = geometricSpectrum(60, 1e6);
    const a = withSpectrum(rng, 200, 60, spectrum);
    const q = randomizedRangeFinder(a, 20, { seed: 3, powerIters: 2 });
    expect(q.cols).toBe(20);
    expect(orthoErr(q)).toBeLessThan(1e-13);
    // ‖A − QQᵀA‖₂ is close to σ_21 (Halko et al. Thm 10.6); checked in Frobenius with slack
    const resid = relErr(a, matmul(q, matmulTN(q, a))) * Math.hypot(...spectrum);
    const tail = Math.hypot(...spectrum.slice(20));
    expect(resid).toBeLessThan(3 * tail);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = withSpectrum(rng, 80, 50, geometricSpectrum(50, 1e3));
    const r1 = randomizedRangeFinder(a, 10, { seed: 5 });
    const r2 = randomizedRangeFinder(a, 10, { seed: 5 });
    const r3 = randomizedRangeFinder(a, 10, { seed: 6 });
    expect(Array.from(r1.data)).toEqual(Array.from(r2.data));
    expect(relErr(r1, r3)).toBeGreaterThan(1e-6);
    expect(() => randomizedSvd(a, 3, { oversample: -1 })).toThrow(/oversample/);
  });
});
