import { ConvergenceError, NonFiniteError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  geometricSpectrum,
  orthoErr,
  Rng,
  randn,
  reconstruct,
  relErr,
  withSpectrum,
} from '../test/helpers.js';
import type { Matrix } from './matrix.js';
import { svd, svdValues } from './svd.js';

function expectSpectrum(got: Float64Array, want: number[], relTol: number, floor: number): void {
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    // relative on the large values, absolute (≈ ε·σ_max) on those near the noise floor
    expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(Math.max(relTol * w, floor));
  }
}

describe('svd', () => {
  const rng = new Rng(11);

  for (const [m, n] of [
    [2000, 50],
    [1024, 64],
    [150, 150],
    [60, 140],
    [100, 90],
  ] as const) {
    it(`known spectrum, cond 1e12, ${m}x${n}: reconstruction 1e-13, σ to 1e-12 relative`, () => {
      const k = Math.min(m, n);
      const spectrum = geometricSpectrum(k, 1e12);
      const a = withSpectrum(rng, m, n, spectrum);
      const { U, S, V } = svd(a);
      expect([U.rows, U.cols, S.length, V.rows, V.cols]).toEqual([m, k, k, n, k]);
      expect(relErr(a, reconstruct(U, S, V))).toBeLessThan(1e-13);
      expect(orthoErr(U)).toBeLessThan(1e-13);
      expect(orthoErr(V)).toBeLessThan(1e-13);
      // large singular values (≥ 1e-3·σ_max) to 1e-12 relative; all to ≈ 100·ε·σ_max absolute
      expectSpectrum(S, spectrum, 1e-12, 1e-14);
      const big = spectrum.filter((s) => s >= 1e-3);
      for (let i = 0; i < big.length; i++) expect(Math.abs(S[i]! - big[i]!) / big[i]!).toBeLessThan(1e-12);
    });
  }

  it('rank-deficient: exact zeros come out at the rounding level', () => {
    const a = withSpectrum(rng, 80, 60, [10, 5, 1]);
    const { U, S, V } = svd(a);
    expect(relErr(a, reconstruct(U, S, V))).toBeLessThan(1e-13);
    expectSpectrum(S, [10, 5, 1], 1e-13, 0);
    for (let i = 3; i < 60; i++) expect(S[i]!).toBeLessThan(1e-13 * 10);
    expect(orthoErr(U)).toBeLessThan(1e-13);
  });

  it('full mode completes U and V to square orthogonal matrices', () => {
    for (const [m, n] of [
      [30, 8],
      [8, 30],
    ] as const) {
      const a = randn(rng, m, n);
      const { U, S, V } = svd(a, { full: true });
      expect([U.rows, U.cols, V.rows, V.cols]).toEqual([m, m, n, n]);
      expect(orthoErr(U)).toBeLessThan(1e-13);
      expect(orthoErr(V)).toBeLessThan(1e-13);
      const k = Math.min(m, n);
      const uk = { rows: m, cols: k, data: new Float64Array(m * k) };
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) uk.data[i * k + j] = U.data[i * m + j]!;
      const vk = { rows: n, cols: k, data: new Float64Array(n * k) };
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vk.data[i * k + j] = V.data[i * n + j]!;
      expect(relErr(a, reconstruct(uk, S, vk))).toBeLessThan(1e-13);
    }
  });

  it('tiny and empty matrices', () => {
    const one = svd({ rows: 1, cols: 1, data: Float64Array.from([-3]) });
    expect(one.S[0]).toBe(3);
    expect(one.U.data[0]! * one.V.data[0]!).toBe(-1);
    const z = svd({ rows: 3, cols: 2, data: new Float64Array(6) });
    expect(Array.from(z.S)).toEqual([0, 0]);
    expect(orthoErr(z.U)).toBeLessThan(1e-15);
    const e = svd({ rows: 0, cols: 4, data: new Float64Array(0) }, { full: true });
    expect([e.U.rows, e.U.cols, e.S.length, e.V.rows, e.V.cols]).toEqual([0, 0, 0, 4, 4]);
    expect(svdValues({ rows: 5, cols: 0, data: new Float64Array(0) }).length).toBe(0);
  });

  it('extreme scales do not overflow or underflow', () => {
    for (const scale of [1e150, 1e-150]) {
      const a = withSpectrum(rng, 20, 10, [3, 2, 1]);
      for (let i = 0; i < a.data.length; i++) a.data[i]! *= scale;
      const s = svdValues(a);
      expect(Math.abs(s[0]! / scale - 3)).toBeLessThan(1e-12);
      expect(Math.abs(s[2]! / scale - 1)).toBeLessThan(1e-12);
    }
  });

  it('svdValues equals the S of svd', () => {
    const a = randn(rng, 70, 45);
    const s1 = svd(a).S;
    const s2 = svdValues(a);
    for (let i = 0; i < s1.length; i++) expect(Math.abs(s1[i]! - s2[i]!)).toBeLessThan(1e-13 * s1[0]!);
  });

  it('A = U·S·Vᵀ with orthonormal factors, sorted non-negative S (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (m, n, seed) => {
          const a: Matrix = randn(new Rng(seed), m, n);
          const { U, S, V } = svd(a);
          expect(relErr(a, reconstruct(U, S, V))).toBeLessThan(1e-13);
          expect(orthoErr(U)).toBeLessThan(1e-13);
          expect(orthoErr(V)).toBeLessThan(1e-13);
          for (let i = 0; i < S.length; i++) {
            expect(S[i]!).toBeGreaterThanOrEqual(0);
            if (i > 0) expect(S[i]!).toBeLessThanOrEqual(S[i - 1]!);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects non-finite input instead of iterating on it', () => {
    const a = randn(rng, 4, 4);
    a.data[5] = Number.NaN;
    expect(() => svd(a)).toThrow(NonFiniteError);
    expect(() => svdValues(a)).toThrow(/finite/);
    // ConvergenceError is part of the contract (the sweep cap); it exists with its stable code
    expect(new ConvergenceError('x').code).toBe('E_CONVERGENCE');
  });
});
