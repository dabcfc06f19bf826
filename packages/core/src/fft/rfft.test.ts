import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPowerOfTwo } from '../checks.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { Rng } from '../rng.js';
import { fft } from './fft.js';
import { RealFftPlan, rfft } from './rfft.js';

/** O(n²) DFT straight from the definition, the reference for the fast transform. */
function naiveDft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const bins = (n >> 1) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    for (let j = 0; j < n; j++) {
      // (j·k) mod n keeps the angle small, so the reference itself stays accurate for large n
      const ang = (-2 * Math.PI * ((j * k) % n)) / n;
      re[k]! += x[j]! * Math.cos(ang);
      im[k]! += x[j]! * Math.sin(ang);
    }
  }
  return { re, im };
}

describe('rfft', () => {
  it('matches a naive DFT on random input to 1e-10 for n = 1 … 1024', () => {
    const rng = new Rng(7);
    for (let n = 1; n <= 1024; n *= 2) {
      const x = new Float64Array(n);
      rng.fillNormal(x);
      const got = rfft(x);
      const want = naiveDft(x);
      expect(got.re.length).toBe((n >> 1) + 1);
      let err = 0;
      for (let k = 0; k < got.re.length; k++) {
        err = Math.max(err, Math.abs(got.re[k]! - want.re[k]!), Math.abs(got.im[k]! - want.im[k]!));
      }
      expect(err, `n = ${n}`).toBeLessThanOrEqual(1e-10);
    }
  });

  it('puts a pure tone of amplitude A at bin k0 with |X| = A·n/2 and nothing elsewhere', () => {
    const n = 256;
    const k0 = 19;
    const A = 0.7;
    const x = Float64Array.from({ length: n }, (_, j) => A * Math.cos((2 * Math.PI * k0 * j) / n + 0.4));
    const { re, im } = rfft(x);
    const mag = re.map((r, k) => Math.hypot(r, im[k]!));
    expect(mag[k0]).toBeCloseTo((A * n) / 2, 10);
    expect(Math.atan2(im[k0]!, re[k0]!)).toBeCloseTo(0.4, 10);
    for (let k = 0; k < mag.length; k++) if (k !== k0) expect(mag[k]!).toBeLessThan(1e-10);
  });

  it('satisfies Parseval: Σx² = (|X_0|² + 2Σ|X_k|² + |X_{n/2}|²)/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (log2n, seed) => {
        const n = 2 ** log2n;
        const x = new Float64Array(n);
        new Rng(seed).fillNormal(x);
        const { re, im } = rfft(x);
        let energy = 0;
        for (const v of x) energy += v * v;
        let spec = 0;
        for (let k = 0; k < re.length; k++) {
          const p = re[k]! ** 2 + im[k]! ** 2;
          spec += k === 0 || k === n / 2 ? p : 2 * p;
        }
        expect(spec / n).toBeCloseTo(energy, 9);
      }),
      { numRuns: 50 },
    );
  });

  it('is linear: rfft(a·x + y) = a·rfft(x) + rfft(y)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 1e9 }),
        (a, seed) => {
          const rng = new Rng(seed);
          const x = new Float64Array(64);
          const y = new Float64Array(64);
          rng.fillNormal(x);
          rng.fillNormal(y);
          const X = rfft(x);
          const Y = rfft(y);
          const Z = rfft(x.map((v, i) => a * v + y[i]!));
          for (let k = 0; k < Z.re.length; k++) {
            expect(Z.re[k]).toBeCloseTo(a * X.re[k]! + Y.re[k]!, 9);
            expect(Z.im[k]).toBeCloseTo(a * X.im[k]! + Y.im[k]!, 9);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('agrees with the complex fft of the same real signal', () => {
    const rng = new Rng(11);
    for (const n of [2, 16, 512]) {
      const x = rng.fillNormal(new Float64Array(n)) as Float64Array;
      const re = x.slice();
      const im = new Float64Array(n);
      fft(re, im);
      const got = rfft(x);
      for (let k = 0; k < got.re.length; k++) {
        expect(got.re[k]).toBeCloseTo(re[k]!, 10);
        expect(got.im[k]).toBeCloseTo(im[k]!, 10);
      }
    }
  });

  it('reuses one plan across frames with the same result', () => {
    const plan = new RealFftPlan(32);
    const rng = new Rng(1);
    const re = new Float64Array(plan.bins);
    const im = new Float64Array(plan.bins);
    for (let r = 0; r < 3; r++) {
      const x = new Float64Array(32);
      rng.fillNormal(x);
      plan.forward(x, re, im);
      const ref = rfft(x);
      expect(Array.from(re)).toEqual(Array.from(ref.re));
      expect(Array.from(im)).toEqual(Array.from(ref.im));
    }
  });

  it('rejects lengths that are not powers of two, empty input and wrong buffer sizes', () => {
    expect(isPowerOfTwo(512)).toBe(true);
    expect(isPowerOfTwo(400)).toBe(false);
    expect(() => rfft(new Float64Array(400))).toThrow(ArgumentError);
    expect(() => rfft(new Float64Array(400))).toThrow(/x\.length: expected a power of two, got 400/);
    expect(() => rfft([])).toThrow(ShapeError);
    expect(() => new RealFftPlan(12)).toThrow(ArgumentError);
    expect(() =>
      new RealFftPlan(8).forward(new Float64Array(4), new Float64Array(5), new Float64Array(5)),
    ).toThrow(ShapeError);
  });
});
