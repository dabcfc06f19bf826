import { ConvergenceError, TenzoError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, randn } from '../test/helpers.js';
import { allFinite } from '../test/scaled.js';
import { eigh, eighCapped } from './eigh.js';
import { golubKahanSvd, svdStepCap } from './golubKahan.js';
import { lu } from './lu.js';
import { type Matrix, transpose } from './matrix.js';
import { qr } from './qr.js';
import { solve } from './solve.js';
import { svd } from './svd.js';

/**
 * Every iteration ends within its cap. Vitest cannot preempt a synchronous loop, so a hang would
 * show as the run's own timeout; the caps make one impossible by construction (every branch of
 * the bidiagonal QR counts against (6 + 2)·n² + 100 steps, every QL sweep against 60 per
 * eigenvalue), and these tests time the inputs that used to hang.
 */

// 5×6, entries from 6e-319 to 7e-309 (subnormals mixed with the smallest normals): the bidiagonal
// QR of the unscaled matrix looped forever (a 0/0 Givens rotation made NaN, which no convergence
// test ever accepts, and the deflation branches did not count against the cap)
const HUNG: Matrix = {
  rows: 5,
  cols: 6,
  data: Float64Array.from([
    7.564333e-318, -5.205037e-317, -1.2616925e-316, -4.814743927e-315, 7.198036038285365e-309, 7.37206e-318,
    7.17925e-318, -2.333709963e-314, -8.81155946e-316, -7.2619378343e-313, 2.533402631166316e-309,
    3.354521231368e-312, 8.322556e-318, -3.7580654e-317, 1.150778e-317, -3.35054e-317, -2.378009057707e-312,
    1.21242721074418e-309, 8.60654465e-316, -7.131975017e-315, 0, 7.4205618e-316, -5.73793872552e-312,
    -3.99692887e-316, -6.714179e-317, 0, 5.97315e-319, 2.9902084501e-313, -5.602383e-318, -1.23504932e-315,
  ]),
};

/** Entries drawn from the regions that broke the old code: near 1e±308, subnormal, zero, mixed. */
const extremeEntry = fc.oneof(
  fc.double({ min: -1e-307, max: 1e-307, noNaN: true }),
  fc.double({ min: -1e308, max: 1e308, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -2.2e-308, max: 2.2e-308, noNaN: true }),
  fc.constantFrom(0, 5e-324, -5e-324, 1, -1, 1.7976931348623157e308),
);

const extremeMatrix = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }))
  .chain(([m, n]) =>
    fc
      .array(extremeEntry, { minLength: m * n, maxLength: m * n })
      .map((xs): Matrix => ({ rows: m, cols: n, data: Float64Array.from(xs) })),
  );

describe('iteration caps', () => {
  it('the SVD input that used to loop forever ends, scaled (svd) and raw (the bidiagonal QR alone)', () => {
    const t0 = performance.now();
    const r = svd(HUNG);
    expect(allFinite(r.U, r.V, r.S)).toBe(true);
    expect(r.S[0]).toBeGreaterThan(7e-309);
    // unscaled, straight into Golub–Kahan: the zero-safe rotations converge, and the cap holds
    // whatever happens
    // A row-major is Aᵀ column-major: the 6×5 Aᵀ, as svd hands it over
    const raw = golubKahanSvd(HUNG.data.slice(), 6, 5, true, true);
    expect(raw.s.every((v) => Number.isFinite(v))).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1000);
  }, 5000);

  it('random extreme matrices (near 1e±308, subnormal, mixed): each call ends with a result or a typed error', () => {
    fc.assert(
      fc.property(extremeMatrix, (a) => {
        const t0 = performance.now();
        const calls: (() => unknown)[] = [() => svd(a), () => qr(a), () => lu(a)];
        if (a.rows === a.cols) {
          const s = a.data.slice();
          for (let i = 0; i < a.rows; i++) for (let j = 0; j < i; j++) s[i * a.cols + j] = s[j * a.cols + i]!;
          calls.push(() => eigh({ rows: a.rows, cols: a.cols, data: s }));
          calls.push(() => solve(a, new Float64Array(a.rows).fill(1)));
        }
        for (const call of calls) {
          try {
            const out = call() as Record<string, Matrix | Float64Array>;
            // vectors are always finite; values are ±Infinity only where the true value overflows
            for (const v of Object.values(out)) {
              const d = v instanceof Float64Array ? v : (v as Matrix).data;
              if (d instanceof Float64Array) expect(d.some((x) => Number.isNaN(x))).toBe(false);
            }
          } catch (err) {
            expect(err).toBeInstanceOf(TenzoError);
          }
        }
        expect(performance.now() - t0).toBeLessThan(500);
      }),
      { numRuns: 400, seed: 22 },
    );
  }, 30000);

  it('a forced tiny cap ends in ConvergenceError naming the function and the count', () => {
    const a = randn(new Rng(1), 6, 6);
    expect(() => golubKahanSvd(transpose(a).data, 6, 6, true, true, 3)).toThrow(ConvergenceError);
    expect(() => golubKahanSvd(transpose(a).data, 6, 6, true, true, 3)).toThrow(
      /^svd: the bidiagonal QR iteration did not converge within 3 steps \(\d+ taken, every branch counted; \d singular values left\)$/,
    );
    expect(svdStepCap(6)).toBe(8 * 36 + 100);
    const s = a.data.map((v, i) => v + a.data[(i % 6) * 6 + Math.floor(i / 6)]!);
    expect(() => eighCapped({ rows: 6, cols: 6, data: s }, 0)).toThrow(ConvergenceError);
    expect(() => eighCapped({ rows: 6, cols: 6, data: s }, 0)).toThrow(
      /^eigh: the QL iteration did not converge for eigenvalue 0 within 0 sweeps \(0 taken\)$/,
    );
  });
});
