import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { orthoErr, Rng, randn, reconstruct, relErr, withSpectrum } from '../test/helpers.js';
import { matmul, matmulTN } from './matmul.js';
import { fromRows } from './matrix.js';
import { norm } from './norm.js';
import { orth, rank } from './subspace.js';
import { svdTruncated } from './svdTruncated.js';

describe('rank, orth, norm, svdTruncated', () => {
  const rng = new Rng(17);

  it('rank with the default and an explicit tolerance', () => {
    const a = withSpectrum(rng, 50, 40, [10, 1, 1e-3, 1e-9]);
    expect(rank(a)).toBe(4);
    expect(rank(a, { tol: 1e-6 })).toBe(3);
    expect(rank({ rows: 0, cols: 5, data: new Float64Array(0) })).toBe(0);
    expect(rank({ rows: 3, cols: 3, data: new Float64Array(9) })).toBe(0);
  });

  it('orth spans range(A) with orthonormal columns', () => {
    const a = withSpectrum(rng, 50, 40, [3, 2, 1]);
    const q = orth(a);
    expect(q.cols).toBe(3);
    expect(orthoErr(q)).toBeLessThan(1e-13);
    // projecting A onto span(Q) changes nothing
    expect(relErr(a, matmul(q, matmulTN(q, a)))).toBeLessThan(1e-13);
  });

  it('norms against hand values', () => {
    const a = fromRows([
      [1, -2],
      [3, 4],
    ]);
    expect(norm(a)).toBeCloseTo(Math.sqrt(30), 14);
    expect(norm(a, 'inf')).toBe(7);
    expect(norm(a, 1)).toBe(6);
    const s = withSpectrum(rng, 20, 10, [5, 2, 1]);
    expect(norm(s, 2)).toBeCloseTo(5, 12);
    expect(norm(s, 'nuc')).toBeCloseTo(8, 12);
    expect(norm(fromRows([[1e200, 1e200]]))).toBeCloseTo(Math.SQRT2 * 1e200, -186);
    expect(() => norm(a, 3 as never)).toThrow(ArgumentError);
  });

  it('svdTruncated by rank and by relative Frobenius tolerance', () => {
    const spectrum = [8, 4, 2, 1, 0.01, 0.001];
    const a = withSpectrum(rng, 60, 30, spectrum);
    const byRank = svdTruncated(a, { rank: 4 });
    expect(byRank.S.length).toBe(4);
    expect([byRank.U.cols, byRank.V.cols]).toEqual([4, 4]);
    // Eckart–Young: error = sqrt(0.01² + 0.001²)
    const err = relErr(a, reconstruct(byRank.U, byRank.S, byRank.V)) * Math.hypot(...spectrum);
    expect(Math.abs(err - Math.hypot(0.01, 0.001))).toBeLessThan(1e-12);
    // ‖A‖_F ≈ 9.22: tol 2e-3 allows dropping ‖(0.01, 0.001)‖ ≈ 0.01005, tol 1e-3 only the 0.001
    expect(svdTruncated(a, { tol: 2e-3 }).S.length).toBe(4);
    expect(svdTruncated(a, { tol: 1e-3 }).S.length).toBe(5);
    expect(svdTruncated(a, { tol: 1e-5 }).S.length).toBe(6);
    expect(svdTruncated(a, { tol: 1e-3, rank: 2 }).S.length).toBe(2);
    expect(() => svdTruncated(a, {})).toThrow(ArgumentError);
    expect(() => svdTruncated(a, { rank: -1 })).toThrow(/rank/);
  });

  it('randn helper sanity: distinct seeds give distinct matrices', () => {
    expect(relErr(randn(new Rng(1), 3, 3), randn(new Rng(2), 3, 3))).toBeGreaterThan(0.1);
  });
});
