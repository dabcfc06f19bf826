import { formatShape, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix, transpose } from './matrix.js';

// Block sizes: a KC-long slice of 2 rows of A and 4 rows of B (6·KC·8 B = 24 KiB) fits L1;
// an NC×KC panel of B (256 KiB) stays in L2 while every row pair of A streams past it.
const KC = 512;
const NC = 64;

/**
 * C[i][j] += alpha·Σ_p A[i][p]·B[j][p] for i < m, j in [j0, j1), p in [k0, k1), on strided
 * row-major views (A row i at aOff + i·lda, ...), so both operands of every dot product are
 * contiguous. A 2×4 register tile gives 8 independent accumulators per 6 loads, which is what lets
 * V8 keep the FP units busy (≈5 GFLOP/s here against ≈1 for a plain triple loop).
 */
function kernelNT(
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  m: number,
  k0: number,
  k1: number,
  j0: number,
  j1: number,
  alpha: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aOff + i * lda;
    const a1 = a0 + lda;
    const c0 = cOff + i * ldc;
    const c1 = c0 + ldc;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const b0 = bOff + j * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let p = k0; p < k1; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const y0 = b[b0 + p]!;
        const y1 = b[b1 + p]!;
        const y2 = b[b2 + p]!;
        const y3 = b[b3 + p]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      c[c0 + j]! += alpha * s00;
      c[c0 + j + 1]! += alpha * s01;
      c[c0 + j + 2]! += alpha * s02;
      c[c0 + j + 3]! += alpha * s03;
      c[c1 + j]! += alpha * s10;
      c[c1 + j + 1]! += alpha * s11;
      c[c1 + j + 2]! += alpha * s12;
      c[c1 + j + 3]! += alpha * s13;
    }
    for (; j < j1; j++) {
      const b0 = bOff + j * ldb;
      let s0 = 0;
      let s1 = 0;
      for (let p = k0; p < k1; p++) {
        const y = b[b0 + p]!;
        s0 += a[a0 + p]! * y;
        s1 += a[a1 + p]! * y;
      }
      c[c0 + j]! += alpha * s0;
      c[c1 + j]! += alpha * s1;
    }
  }
  if (i < m) {
    const a0 = aOff + i * lda;
    const c0 = cOff + i * ldc;
    for (let j = j0; j < j1; j++) {
      const b0 = bOff + j * ldb;
      let s = 0;
      for (let p = k0; p < k1; p++) s += a[a0 + p]! * b[b0 + p]!;
      c[c0 + j]! += alpha * s;
    }
  }
}

/**
 * C += alpha·A·Bᵀ on strided row-major views: A: m×k (row stride lda), B: n×k (ldb),
 * C: m×n (ldc). The building block of matmul and of the blocked (compact WY) Householder updates.
 */
export function gemmNTInto(
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  m: number,
  n: number,
  k: number,
  alpha = 1,
): void {
  for (let k0 = 0; k0 < k; k0 += KC) {
    const k1 = Math.min(k0 + KC, k);
    for (let j0 = 0; j0 < n; j0 += NC) {
      kernelNT(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k0, k1, j0, Math.min(j0 + NC, n), alpha);
    }
  }
}

/** Raw A·Bᵀ on row-major arrays: A: m×k, B: n×k, returns m×n. No validation (internal). */
export function gemmNT(a: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  gemmNTInto(a, 0, k, b, 0, k, c, 0, n, m, n, k);
  return c;
}

function shapeOf(a: Matrix): string {
  return formatShape([a.rows, a.cols]);
}

/** A·B with A: m×k, B: k×n, returns m×n. Packs Bᵀ once so the kernel reads both operands contiguously. */
export function matmul(a: Matrix, b: Matrix): Matrix {
  checkMatrix('matmul', 'a', a);
  checkMatrix('matmul', 'b', b);
  if (a.cols !== b.rows)
    throw new ShapeError(`matmul: a.cols must equal b.rows, got a ${shapeOf(a)} and b ${shapeOf(b)}`);
  return { rows: a.rows, cols: b.cols, data: gemmNT(a.data, transpose(b).data, a.rows, b.cols, a.cols) };
}

/** Aᵀ·B with A: k×m, B: k×n, returns m×n (no explicit transpose for the caller). */
export function matmulTN(a: Matrix, b: Matrix): Matrix {
  checkMatrix('matmulTN', 'a', a);
  checkMatrix('matmulTN', 'b', b);
  if (a.rows !== b.rows)
    throw new ShapeError(`matmulTN: a.rows must equal b.rows, got a ${shapeOf(a)} and b ${shapeOf(b)}`);
  return {
    rows: a.cols,
    cols: b.cols,
    data: gemmNT(transpose(a).data, transpose(b).data, a.cols, b.cols, a.rows),
  };
}

/** A·Bᵀ with A: m×k, B: n×k, returns m×n (the kernel's native layout: no packing at all). */
export function matmulNT(a: Matrix, b: Matrix): Matrix {
  checkMatrix('matmulNT', 'a', a);
  checkMatrix('matmulNT', 'b', b);
  if (a.cols !== b.cols)
    throw new ShapeError(`matmulNT: a.cols must equal b.cols, got a ${shapeOf(a)} and b ${shapeOf(b)}`);
  return { rows: a.rows, cols: b.rows, data: gemmNT(a.data, b.data, a.rows, b.rows, a.cols) };
}
