import { NonFiniteError, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { fro, geometricSpectrum, Rng, randn, relErr, withSpectrum } from '../test/helpers.js';
import { lstsq } from './lstsq.js';
import { matmul, matmulTN } from './matmul.js';
import { fromRows, type Matrix, transpose } from './matrix.js';
import { pinv } from './pinv.js';
import { solve } from './solve.js';

describe('lstsq and pinv', () => {
  const rng = new Rng(13);

  it('over-determined full rank: satisfies the normal equations, reports residuals', () => {
    const a = randn(rng, 2000, 50);
    const b = randn(rng, 2000, 2);
    const { x, residuals, rank } = lstsq(a, b);
    expect(rank).toBe(50);
    // Aᵀ(A·x − b) = 0
    const r = matmul(a, x);
    for (let i = 0; i < r.data.length; i++) r.data[i]! -= b.data[i]!;
    expect(fro(matmulTN(a, r)) / (fro(a) * fro(r))).toBeLessThan(1e-13);
    const col0 = Array.from({ length: 2000 }, (_, i) => r.data[i * 2]! ** 2).reduce((s, v) => s + v, 0);
    expect(Math.abs(residuals[0]! - col0) / col0).toBeLessThan(1e-12);
    // agrees with solving the normal equations on this well-conditioned case
    const xn = solve(matmulTN(a, a), matmulTN(a, b));
    expect(relErr(xn, x)).toBeLessThan(1e-12);
  });

  it('rank-deficient and under-determined: the minimum-norm solution, equal to pinv·b', () => {
    for (const a of [withSpectrum(rng, 40, 30, [4, 3, 2, 1]), randn(rng, 10, 25)]) {
      const b = randn(rng, a.rows, 1);
      const { x, rank, residuals } = lstsq(a, b);
      expect(rank).toBe(Math.min(a.rows === 40 ? 4 : 10));
      expect(residuals.length).toBe(0);
      expect(relErr(matmul(pinv(a), b), x)).toBeLessThan(1e-12);
      // x ⟂ null(A): x lies in range(Aᵀ), so x = Aᵀ·y solves exactly in the least-squares sense
      const y = lstsq(transpose(a), x).x;
      expect(relErr(x, matmul(transpose(a), y))).toBeLessThan(1e-10);
    }
  });

  it('vector right-hand side', () => {
    const { x } = lstsq(fromRows([[1], [1], [1]]), [1, 2, 6]);
    expect(x).toBeInstanceOf(Float64Array);
    expect(x[0]).toBeCloseTo(3, 14);
  });

  it('pinv satisfies the four Penrose conditions (ill-conditioned and rank-deficient)', () => {
    // the residuals scale like cond·ε, so cond 1e6 against a 1e-9 bound
    for (const a of [
      withSpectrum(rng, 30, 20, geometricSpectrum(20, 1e6)),
      withSpectrum(rng, 15, 25, [3, 1, 0.5]),
    ]) {
      const p = pinv(a);
      expect([p.rows, p.cols]).toEqual([a.cols, a.rows]);
      expect(relErr(a, matmul(matmul(a, p), a))).toBeLessThan(1e-9);
      expect(relErr(p, matmul(matmul(p, a), p))).toBeLessThan(1e-9);
      const ap: Matrix = matmul(a, p);
      const pa: Matrix = matmul(p, a);
      expect(relErr(ap, transpose(ap))).toBeLessThan(1e-9);
      expect(relErr(pa, transpose(pa))).toBeLessThan(1e-9);
    }
    expect(pinv({ rows: 0, cols: 3, data: new Float64Array(0) }).rows).toBe(3);
  });

  it('rejects bad input', () => {
    expect(() => lstsq(randn(rng, 4, 2), [1, 2])).toThrow(
      new ShapeError('lstsq: b must have length 4, got 2'),
    );
    expect(() => lstsq(randn(rng, 2, 2), [1, Number.NaN])).toThrow(NonFiniteError);
    expect(() => pinv(randn(rng, 2, 2), { rcond: -1 })).toThrow(/rcond/);
  });
});
