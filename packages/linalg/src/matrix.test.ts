import { NonFiniteError, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { checkMatrix, eye, fromRows, matrix, sliceCols, toRows, transpose, zeros } from './matrix.js';

describe('Matrix helpers', () => {
  it('builds, transposes and slices row-major matrices', () => {
    const a = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.rows).toBe(2);
    expect(a.cols).toBe(3);
    expect(toRows(transpose(a))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(toRows(sliceCols(a, 1, 3))).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(toRows(eye(2, 3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(zeros(0, 4).data.length).toBe(0);
  });

  it('transposes large non-square matrices across tile boundaries', () => {
    const m = 70;
    const n = 45;
    const a = matrix(
      m,
      n,
      Float64Array.from({ length: m * n }, (_, i) => i),
    );
    const t = transpose(a);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(t.data[j * m + i]).toBe(a.data[i * n + j]);
  });

  it('rejects bad matrices with messages naming the argument', () => {
    expect(() => checkMatrix('qr', 'a', { shape: [3, 4, 5], data: new Float64Array(60) })).toThrow(
      new ShapeError('qr: a must be a 2-D matrix, got shape [3, 4, 5]'),
    );
    expect(() => checkMatrix('qr', 'a', { rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(ShapeError);
    expect(() =>
      checkMatrix('qr', 'a', { rows: 1, cols: 2, data: new Float64Array([1, Number.NaN]) }),
    ).toThrow(new NonFiniteError('qr: a must have finite entries, got NaN at (0, 1) of shape [1, 2]'));
    expect(() => checkMatrix('qr', 'a', { rows: 1, cols: 1, data: [1] })).toThrow(/Float64Array/);
    expect(() => fromRows([[1, 2], [3]])).toThrow(ShapeError);
    // tensor-like {shape, data} is accepted
    expect(checkMatrix('qr', 'a', { shape: [1, 2], data: new Float64Array(2) }).cols).toBe(2);
  });
});
