import {
  ArgumentError,
  checkInt,
  describeValue,
  formatShape,
  NonFiniteError,
  OutOfRangeError,
  ShapeError,
} from '@tenzo/core';

/**
 * A dense float64 matrix: `rows × cols`, row-major, `data[i * cols + j]` is entry (i, j).
 * Plain data (no methods, no autograd), so it crosses worker and package boundaries as is.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A vector right-hand side accepted where a one-column matrix would be. */
export type VectorLike = Float64Array | readonly number[];

/** The most entries one matrix may hold (a Float64Array of 2^31 − 1 elements is 16 GiB). */
const MAX_ENTRIES = 2 ** 31 - 1;

/** rows×cols of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  checkInt('zeros: rows', rows);
  checkInt('zeros: cols', cols);
  if (rows * cols > MAX_ENTRIES)
    throw new OutOfRangeError(`zeros: ${rows}×${cols} has more than ${MAX_ENTRIES} entries`);
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** n×n identity, or rows×cols with ones on the main diagonal. */
export function eye(rows: number, cols: number = rows): Matrix {
  const m = zeros(rows, cols);
  const k = Math.min(rows, cols);
  for (let i = 0; i < k; i++) m.data[i * cols + i] = 1;
  return m;
}

/** Wraps (without copying) a row-major Float64Array of length rows·cols. */
export function matrix(rows: number, cols: number, data: Float64Array): Matrix {
  checkInt('matrix: rows', rows);
  checkInt('matrix: cols', cols);
  if (!(data instanceof Float64Array) || data.length !== rows * cols) {
    throw new ShapeError(
      `matrix: data must be a Float64Array of length rows·cols = ${rows * cols}, got ${data instanceof Float64Array ? `length ${data.length}` : describeValue(data)}`,
    );
  }
  return { rows, cols, data };
}

/** Builds a matrix from nested arrays (all rows the same length). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r)))
    throw new ArgumentError(`fromRows: rows expected an array of number arrays, got ${describeValue(rows)}`);
  const m = rows.length;
  const n = m === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const r = rows[i]!;
    if (r.length !== n) throw new ShapeError(`fromRows: row ${i} has length ${r.length}, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const v = r[j];
      if (typeof v !== 'number')
        throw new ArgumentError(`fromRows: rows[${i}][${j}] expected a number, got ${describeValue(v)}`);
      data[i * n + j] = v;
    }
  }
  return { rows: m, cols: n, data };
}

/** Nested arrays, row by row (for printing and tests). */
export function toRows(a: Matrix): number[][] {
  checkMatrix('toRows', 'a', a, { allowNonFinite: true });
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  return out;
}

/** A deep copy. */
export function clone(a: Matrix): Matrix {
  checkMatrix('clone', 'a', a, { allowNonFinite: true });
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/** Aᵀ: n×m from A: m×n. Tiled so both reads and writes stay in cache for large matrices. */
export function transpose(a: Matrix): Matrix {
  checkMatrix('transpose', 'a', a, { allowNonFinite: true });
  const { rows: m, cols: n, data: x } = a;
  const y = new Float64Array(m * n);
  const B = 32;
  for (let ii = 0; ii < m; ii += B) {
    const ie = Math.min(ii + B, m);
    for (let jj = 0; jj < n; jj += B) {
      const je = Math.min(jj + B, n);
      for (let i = ii; i < ie; i++) {
        const row = i * n;
        for (let j = jj; j < je; j++) y[j * m + i] = x[row + j]!;
      }
    }
  }
  return { rows: n, cols: m, data: y };
}

/** Columns [c0, c1) of A (a copy). */
export function sliceCols(a: Matrix, c0: number, c1: number): Matrix {
  checkMatrix('sliceCols', 'a', a, { allowNonFinite: true });
  checkInt('sliceCols: c0', c0, { min: 0, max: a.cols });
  checkInt('sliceCols: c1', c1, { min: c0, max: a.cols });
  const w = c1 - c0;
  const out = new Float64Array(a.rows * w);
  for (let i = 0; i < a.rows; i++) out.set(a.data.subarray(i * a.cols + c0, i * a.cols + c1), i * w);
  return { rows: a.rows, cols: w, data: out };
}

/** Rows [r0, r1) of A (a copy). */
export function sliceRows(a: Matrix, r0: number, r1: number): Matrix {
  checkMatrix('sliceRows', 'a', a, { allowNonFinite: true });
  checkInt('sliceRows: r0', r0, { min: 0, max: a.rows });
  checkInt('sliceRows: r1', r1, { min: r0, max: a.rows });
  return { rows: r1 - r0, cols: a.cols, data: a.data.slice(r0 * a.cols, r1 * a.cols) };
}

/** diag(v) as an n×n matrix. */
export function diag(v: VectorLike): Matrix {
  if (
    !(Array.isArray(v) || v instanceof Float64Array) ||
    !Array.from(v as ArrayLike<unknown>).every((x) => typeof x === 'number')
  )
    throw new ArgumentError(`diag: v expected an array of numbers, got ${describeValue(v)}`);
  const n = v.length;
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = v[i]!;
  return m;
}

/** A − B (same shapes). */
export function sub(a: Matrix, b: Matrix): Matrix {
  checkMatrix('sub', 'a', a, { allowNonFinite: true });
  checkMatrix('sub', 'b', b, { allowNonFinite: true });
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(
      `sub: shapes must match, got ${formatShape([a.rows, a.cols])} and ${formatShape([b.rows, b.cols])}`,
    );
  }
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! - b.data[i]!;
  return { rows: a.rows, cols: a.cols, data: out };
}

interface ShapedLike {
  shape?: unknown;
  rows?: unknown;
  cols?: unknown;
  data?: unknown;
}

/**
 * Validates a matrix argument of operation `op` and returns it as a Matrix (no copy).
 * Accepts `{rows, cols, data: Float64Array}` or a tensor-like `{shape: [m, n], data: Float64Array}`.
 * Rejects wrong ranks, wrong lengths and (unless `allowNonFinite`) NaN/±Infinity entries, so no
 * factorization ever runs on garbage.
 */
export function checkMatrix(
  op: string,
  name: string,
  a: unknown,
  opts: { readonly allowNonFinite?: boolean } = {},
): Matrix {
  const x = a as ShapedLike | null;
  if (x === null || typeof x !== 'object') {
    throw new ArgumentError(
      `${op}: ${name} must be a matrix {rows, cols, data: Float64Array}, got ${describeValue(a)}`,
    );
  }
  let rows: unknown = x.rows;
  let cols: unknown = x.cols;
  if (rows === undefined && Array.isArray(x.shape)) {
    if (x.shape.length !== 2)
      throw new ShapeError(`${op}: ${name} must be a 2-D matrix, got shape ${formatShape(x.shape)}`);
    [rows, cols] = x.shape;
  }
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || (rows as number) < 0 || (cols as number) < 0) {
    throw new ShapeError(
      `${op}: ${name} must have non-negative integer rows and cols, got rows=${describeValue(rows)}, cols=${describeValue(cols)}`,
    );
  }
  const data = x.data;
  if (!(data instanceof Float64Array)) {
    throw new ArgumentError(
      `${op}: ${name}.data must be a Float64Array, got ${data === undefined ? 'undefined' : ((data as object).constructor?.name ?? typeof data)}`,
    );
  }
  const m = rows as number;
  const n = cols as number;
  if (data.length !== m * n) {
    throw new ShapeError(
      `${op}: ${name}.data has length ${data.length}, expected rows·cols = ${m}·${n} = ${m * n}`,
    );
  }
  if (opts.allowNonFinite) return x.rows === undefined ? { rows: m, cols: n, data } : (x as Matrix);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v - v is NaN exactly for NaN and ±Infinity; cheaper than Number.isFinite in a hot loop
    if (v - v !== 0) {
      throw new NonFiniteError(
        `${op}: ${name} must have finite entries, got ${String(v)} at (${Math.floor(i / n)}, ${i % n}) of shape ${formatShape([m, n])}`,
      );
    }
  }
  return x.rows === undefined ? { rows: m, cols: n, data } : (x as Matrix);
}

/** Validates a square matrix argument. */
export function checkSquare(op: string, name: string, a: unknown): Matrix {
  const m = checkMatrix(op, name, a);
  if (m.rows !== m.cols)
    throw new ShapeError(`${op}: ${name} must be square, got shape ${formatShape([m.rows, m.cols])}`);
  return m;
}

/**
 * Validates a right-hand side: a Matrix (n×k) or a vector (length n, treated as n×1).
 * Returns the matrix view and whether the caller should hand back a vector.
 */
export function checkRhs(op: string, name: string, b: unknown, n: number): { b: Matrix; vector: boolean } {
  if (b instanceof Float64Array || Array.isArray(b)) {
    const v = b instanceof Float64Array ? b : Float64Array.from(b as number[]);
    const m = checkMatrix(op, name, { rows: v.length, cols: 1, data: v });
    if (m.rows !== n) throw new ShapeError(`${op}: ${name} must have length ${n}, got ${v.length}`);
    return { b: m, vector: true };
  }
  const m = checkMatrix(op, name, b);
  if (m.rows !== n) {
    throw new ShapeError(`${op}: ${name} must have ${n} rows, got shape ${formatShape([m.rows, m.cols])}`);
  }
  return { b: m, vector: false };
}

/** Symmetry check for eigh/cholesky: |a_ij − a_ji| ≤ tol·max|a|. */
export function checkSymmetric(op: string, name: string, a: Matrix, tol = 1e-10): void {
  const n = a.rows;
  const x = a.data;
  let amax = 0;
  for (let i = 0; i < x.length; i++) amax = Math.max(amax, Math.abs(x[i]!));
  const bound = tol * amax;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(x[i * n + j]! - x[j * n + i]!);
      if (d > bound) {
        throw new ArgumentError(
          `${op}: ${name} must be symmetric, got |a[${i}, ${j}] − a[${j}, ${i}]| = ${d.toExponential(3)} > ${tol}·max|a|`,
        );
      }
    }
  }
}
