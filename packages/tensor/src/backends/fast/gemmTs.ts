import type { TypedArray } from '../../dtype.js';

const KC = 256;

/**
 * C[m×n] += op(A)·op(B) in plain TypeScript, for runtimes without WebAssembly SIMD. A is
 * addressed as A[i,p] = a[aOff + i·rsa + p·csa] and B[p,j] = b[bOff + p·rsb + j·csb], so
 * transposed operands need no copy. k is cut into KC slices so that a slice of B stays in
 * cache while 4×4 tiles of C accumulate in locals (16 independent sums per step).
 */
export function gemmStrided(
  a: TypedArray,
  aOff: number,
  rsa: number,
  csa: number,
  b: TypedArray,
  bOff: number,
  rsb: number,
  csb: number,
  c: TypedArray,
  cOff: number,
  m: number,
  n: number,
  k: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(p0 + KC, k);
    for (let i = 0; i < m4; i += 4) {
      const a0 = aOff + i * rsa;
      const a1 = a0 + rsa;
      const a2 = a1 + rsa;
      const a3 = a2 + rsa;
      const ci = cOff + i * n;
      for (let j = 0; j < n4; j += 4) {
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0;
        let c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0;
        let c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        const bj = bOff + j * csb;
        for (let p = p0; p < p1; p++) {
          const pa = p * csa;
          const pb = bj + p * rsb;
          const x0 = a[a0 + pa]!;
          const x1 = a[a1 + pa]!;
          const x2 = a[a2 + pa]!;
          const x3 = a[a3 + pa]!;
          const y0 = b[pb]!;
          const y1 = b[pb + csb]!;
          const y2 = b[pb + 2 * csb]!;
          const y3 = b[pb + 3 * csb]!;
          c00 += x0 * y0;
          c01 += x0 * y1;
          c02 += x0 * y2;
          c03 += x0 * y3;
          c10 += x1 * y0;
          c11 += x1 * y1;
          c12 += x1 * y2;
          c13 += x1 * y3;
          c20 += x2 * y0;
          c21 += x2 * y1;
          c22 += x2 * y2;
          c23 += x2 * y3;
          c30 += x3 * y0;
          c31 += x3 * y1;
          c32 += x3 * y2;
          c33 += x3 * y3;
        }
        let o = ci + j;
        c[o]! += c00;
        c[o + 1]! += c01;
        c[o + 2]! += c02;
        c[o + 3]! += c03;
        o += n;
        c[o]! += c10;
        c[o + 1]! += c11;
        c[o + 2]! += c12;
        c[o + 3]! += c13;
        o += n;
        c[o]! += c20;
        c[o + 1]! += c21;
        c[o + 2]! += c22;
        c[o + 3]! += c23;
        o += n;
        c[o]! += c30;
        c[o + 1]! += c31;
        c[o + 2]! += c32;
        c[o + 3]! += c33;
      }
    }
    // ragged edges: the last m % 4 rows, and the last n % 4 columns of the tiled rows
    edge(a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, n, m4, m, 0, n, p0, p1);
    edge(a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, n, 0, m4, n4, n, p0, p1);
  }
}

function edge(
  a: TypedArray,
  aOff: number,
  rsa: number,
  csa: number,
  b: TypedArray,
  bOff: number,
  rsb: number,
  csb: number,
  c: TypedArray,
  cOff: number,
  n: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  p0: number,
  p1: number,
): void {
  for (let i = i0; i < i1; i++) {
    const ai = aOff + i * rsa;
    for (let j = j0; j < j1; j++) {
      const bj = bOff + j * csb;
      let s = 0;
      for (let p = p0; p < p1; p++) s += a[ai + p * csa]! * b[bj + p * rsb]!;
      c[cOff + i * n + j]! += s;
    }
  }
}
