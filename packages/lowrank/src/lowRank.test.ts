import { ArgumentError, NonFiniteError, ShapeError } from '@tenzo/core';
import { eye, type Matrix, matmulNT, norm, qr, sub } from '@tenzo/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, randn, relErr } from '../test/helpers.js';
import { apply, applyTranspose } from './apply.js';
import { frobeniusNorm, fromMatrix, lowRank, rankOf, shapeOf, toDense, truncate } from './lowRank.js';
import { orthonormalityError } from './orthonormality.js';

/** A random exactly-rank-r d_out×d_in matrix. */
function rankR(rng: Rng, dOut: number, dIn: number, r: number): Matrix {
  return matmulNT(randn(rng, dOut, r), randn(rng, dIn, r));
}

const sizes = fc.record({
  seed: fc.integer({ min: 0, max: 1e6 }),
  dOut: fc.integer({ min: 1, max: 24 }),
  dIn: fc.integer({ min: 1, max: 24 }),
  r: fc.integer({ min: 1, max: 24 }),
});

describe('fromMatrix / toDense', () => {
  it('reproduces rank-r matrices with orthonormal factors and a descending diagonal core', () => {
    fc.assert(
      fc.property(sizes, ({ seed, dOut, dIn, r: r0 }) => {
        const r = Math.min(r0, dOut, dIn);
        const rng = new Rng(seed);
        const a = rankR(rng, dOut, dIn, r);
        const y = fromMatrix(a, { rank: r });
        expect(rankOf(y)).toBe(r);
        expect(shapeOf(y)).toEqual([dOut, dIn]);
        expect(orthonormalityError(y.U)).toBeLessThan(1e-12);
        expect(orthonormalityError(y.V)).toBeLessThan(1e-12);
        expect(relErr(toDense(y), a)).toBeLessThan(1e-12);
        for (let i = 0; i < r; i++)
          for (let j = 0; j < r; j++) if (i !== j) expect(y.S.data[i * r + j]).toBe(0);
        for (let i = 1; i < r; i++)
          expect(y.S.data[i * r + i]!).toBeLessThanOrEqual(y.S.data[(i - 1) * r + i - 1]!);
        expect(frobeniusNorm(y)).toBeCloseTo(norm(a), 9);
      }),
      { numRuns: 40 },
    );
  });

  it('truncates to tolerance: the fewest triplets with ‖A − Y‖_F ≤ tol·‖A‖_F', () => {
    const rng = new Rng(3);
    const a = rankR(rng, 30, 20, 6);
    const noise = randn(rng, 30, 20);
    for (let i = 0; i < noise.data.length; i++) a.data[i]! += 1e-9 * noise.data[i]!;
    const y = fromMatrix(a, { tol: 1e-6 });
    expect(rankOf(y)).toBe(6);
    expect(relErr(toDense(y), a)).toBeLessThan(1e-6);
  });
});

describe('apply / applyTranspose', () => {
  it('agree with the dense matrix on row batches (X·Aᵀ and G·A)', () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 1, max: 6 }), ({ seed, dOut, dIn, r: r0 }, batch) => {
        const r = Math.min(r0, dOut, dIn);
        const rng = new Rng(seed);
        // a dense, non-symmetric core, as after any integrator step
        const y = lowRank(qr(randn(rng, dOut, r)).Q, randn(rng, r, r), qr(randn(rng, dIn, r)).Q);
        const a = toDense(y);
        const x = randn(rng, batch, dIn);
        const g = randn(rng, batch, dOut);
        expect(norm(sub(apply(y, x), matmulNT(x, a)))).toBeLessThan(1e-12 * (1 + norm(a) * norm(x)));
        const ga = matmulNT(g, transposeOf(a));
        expect(norm(sub(applyTranspose(y, g), ga))).toBeLessThan(1e-12 * (1 + norm(a) * norm(g)));
      }),
      { numRuns: 40 },
    );
  });

  it('rejects batches of the wrong width', () => {
    const y = fromMatrix(randn(new Rng(1), 5, 4), { rank: 2 });
    expect(() => apply(y, randn(new Rng(2), 3, 5))).toThrow(ShapeError);
    expect(() => applyTranspose(y, randn(new Rng(2), 3, 4))).toThrow(ShapeError);
    const nan = randn(new Rng(3), 2, 4);
    nan.data[5] = Number.NaN;
    expect(() => apply(y, nan)).toThrow(NonFiniteError);
  });
});

function transposeOf(a: Matrix): Matrix {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data: out };
}

describe('truncate', () => {
  it('gives the best rank-k approximation of a dense-core LowRank', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 6 }), (seed, k) => {
        const rng = new Rng(seed);
        const y = lowRank(qr(randn(rng, 20, 6)).Q, randn(rng, 6, 6), qr(randn(rng, 15, 6)).Q);
        const t = truncate(y, { rank: k });
        const best = fromMatrix(toDense(y), { rank: k });
        expect(rankOf(t)).toBe(k);
        expect(orthonormalityError(t.U)).toBeLessThan(1e-12);
        expect(orthonormalityError(t.V)).toBeLessThan(1e-12);
        const err = norm(sub(toDense(t), toDense(y)));
        const bestErr = norm(sub(toDense(best), toDense(y)));
        expect(err).toBeLessThanOrEqual(bestErr + 1e-10 * norm(toDense(y)));
      }),
      { numRuns: 30 },
    );
  });
});

describe('lowRank validation', () => {
  const rng = new Rng(9);
  const U = qr(randn(rng, 6, 2)).Q;
  const V = qr(randn(rng, 5, 2)).Q;
  const S = randn(rng, 2, 2);

  it('accepts orthonormal factors', () => {
    expect(rankOf(lowRank(U, S, V))).toBe(2);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => lowRank(U, randn(rng, 3, 3), V)).toThrow(ShapeError);
    expect(() => lowRank(U, S, qr(randn(rng, 5, 3)).Q)).toThrow(/U: d_out×r, S: r×r, V: d_in×r/);
  });

  it('rejects r > min(d_out, d_in)', () => {
    const U3 = qr(randn(rng, 6, 3)).Q;
    const V3 = { rows: 2, cols: 3, data: new Float64Array(6) };
    expect(() => lowRank(U3, randn(rng, 3, 3), V3, { orthoTol: Number.POSITIVE_INFINITY })).toThrow(
      /rank r = 3 must be <= min\(d_out, d_in\) = min\(6, 2\)/,
    );
    expect(() => fromMatrix(randn(rng, 4, 3), { rank: 4 })).toThrow(ShapeError);
  });

  it('rejects non-finite entries and non-orthonormal bases', () => {
    const bad = { rows: 2, cols: 2, data: Float64Array.from([1, Number.NaN, 0, 1]) };
    expect(() => lowRank(U, bad, V)).toThrow(NonFiniteError);
    const notOrtho = { rows: 6, cols: 2, data: U.data.map((v) => 2 * v) };
    expect(() => lowRank(notOrtho, S, V)).toThrow(ArgumentError);
    expect(() => lowRank(notOrtho, S, V)).toThrow(/‖Uᵀ U − I‖_F|orthonormal/);
    expect(orthonormalityError(eye(4, 3))).toBe(0);
  });
});
