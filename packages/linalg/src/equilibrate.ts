import type { Matrix } from './matrix.js';
import { mulPow2 } from './scaling.js';

/**
 * Row and column scalings by powers of two, as LAPACK's dgeequb computes them for dgesvx:
 * r_i makes row i's largest |a_ij| lie in [1, 2), then c_j does the same for column j of the
 * row-scaled matrix, so A_s = diag(2^r)·A·diag(2^c) has every row and column maximum in [1, 2)
 * (up to entries that underflow, which are negligible beside their row). Powers of two scale
 * exactly, so the equilibrated system has the rounding of the original one. `needed` is false
 * when the rows and columns are already balanced to within 10× (dgeequ's THRESH = 0.1), as
 * dgesvx then leaves the matrix alone; a zero row or column gets exponent 0.
 */
export interface Equilibration {
  /** row exponents (length rows) */
  r: Int32Array;
  /** column exponents (length cols) */
  c: Int32Array;
  needed: boolean;
}

/** ⌊log2 |v|⌋ for a finite v ≠ 0, subnormals included (exact: corrected by one step either way). */
export function exponentOf(v: number): number {
  const a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  if (mulPow2(1, e) > a) e--;
  else if (mulPow2(1, e + 1) <= a) e++;
  return e;
}

/** The scalings of `a` (see {@link Equilibration}); `a` must be finite. */
export function equilibrate(a: Matrix): Equilibration {
  const { rows: m, cols: n, data } = a;
  const r = new Int32Array(m);
  const c = new Int32Array(n);
  let rowLo = Number.POSITIVE_INFINITY;
  let rowHi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    let mx = 0;
    for (let j = 0; j < n; j++) mx = Math.max(mx, Math.abs(data[i * n + j]!));
    if (mx === 0) continue;
    const e = exponentOf(mx);
    r[i] = -e;
    rowLo = Math.min(rowLo, e);
    rowHi = Math.max(rowHi, e);
  }
  let colLo = Number.POSITIVE_INFINITY;
  let colHi = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    // in exponents, not values: |a_ij|·2^r_i of a column graded against its rows (1e−300 in a
    // row whose maximum is 1e300) would underflow to 0 and leave the column unscaled — the loss
    // dgeequ has, which dlaqge's single product a_ij·r_i·c_j then cannot undo
    let e = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const v = data[i * n + j]!;
      if (v !== 0) e = Math.max(e, exponentOf(v) + r[i]!);
    }
    if (e === Number.NEGATIVE_INFINITY) continue;
    c[j] = -e;
    colLo = Math.min(colLo, e);
    colHi = Math.max(colHi, e);
  }
  // dgeequ: rowcnd = min/max row scale < 0.1 (here: exponents more than 3 apart) asks for scaling
  const needed = rowHi - rowLo > 3 || colHi - colLo > 3;
  return { r, c, needed };
}

/** diag(2^r)·A·diag(2^c), each entry scaled exactly (or to its nearest subnormal). */
export function scaleMatrix(a: Matrix, q: Equilibration): Matrix {
  const { rows: m, cols: n, data } = a;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) out[i * n + j] = mulPow2(data[i * n + j]!, q.r[i]! + q.c[j]!);
  return { rows: m, cols: n, data: out };
}
