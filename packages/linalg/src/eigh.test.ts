import { ArgumentError, ShapeError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orthoErr, Rng, randn, randomOrthonormal, reconstruct, relErr } from '../test/helpers.js';
import { eigh } from './eigh.js';
import { matmul } from './matmul.js';
import { diag, type Matrix, transpose } from './matrix.js';

function symmetric(rng: Rng, n: number): Matrix {
  const b = randn(rng, n, n);
  const bt = transpose(b);
  return { rows: n, cols: n, data: b.data.map((v, i) => v + bt.data[i]!) };
}

describe('eigh', () => {
  const rng = new Rng(3);

  it('recovers a known spectrum (with repeats and negatives), ascending', () => {
    const n = 120;
    const want = Array.from({ length: n }, (_, i) => (i < 3 ? 2 : -50 + i * 0.9));
    const q = randomOrthonormal(rng, n, n);
    const a = matmul(matmul(q, diag(want)), transpose(q));
    // symmetrize away rounding so the input is exactly symmetric
    const at = transpose(a);
    for (let i = 0; i < a.data.length; i++) a.data[i] = 0.5 * (a.data[i]! + at.data[i]!);
    const { values, vectors } = eigh(a);
    const sorted = [...want].sort((x, y) => x - y);
    for (let i = 0; i < n; i++) expect(Math.abs(values[i]! - sorted[i]!)).toBeLessThan(1e-12 * 50);
    expect(orthoErr(vectors)).toBeLessThan(1e-13);
    expect(relErr(a, reconstruct(vectors, values, vectors))).toBeLessThan(1e-13);
  });

  it('A = V·Λ·Vᵀ, VᵀV = I, ascending (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1 << 30 }), (n, seed) => {
        const a = symmetric(new Rng(seed), n);
        const { values, vectors } = eigh(a);
        expect(relErr(a, reconstruct(vectors, values, vectors))).toBeLessThan(1e-13);
        expect(orthoErr(vectors)).toBeLessThan(1e-13);
        for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
      }),
      { numRuns: 50 },
    );
  });

  it('handles 0×0, 1×1 and zero matrices', () => {
    expect(eigh({ rows: 0, cols: 0, data: new Float64Array(0) }).values.length).toBe(0);
    expect(Array.from(eigh({ rows: 1, cols: 1, data: Float64Array.from([-4]) }).values)).toEqual([-4]);
    const z = eigh({ rows: 3, cols: 3, data: new Float64Array(9) });
    expect(Array.from(z.values)).toEqual([0, 0, 0]);
    expect(orthoErr(z.vectors)).toBe(0);
  });

  it('rejects non-square and non-symmetric input', () => {
    expect(() => eigh(randn(rng, 2, 3))).toThrow(new ShapeError('eigh: a must be square, got shape [2, 3]'));
    expect(() => eigh({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) })).toThrow(ArgumentError);
  });
});
