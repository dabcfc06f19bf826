import { checkInt, checkNumber, checkNumbers, checkObject, ShapeError } from '@tenzo/core';
import { type Matrix, svd } from '@tenzo/linalg';
import { checkFull } from '../checks.js';
import { balancedTree, type DimensionTree } from './dimensionTree.js';
import type { HTensor } from './hTensor.js';

/**
 * Options of `htSvd`: the relative Frobenius error bound of the whole approximation and an optional cap on
 * every node rank.
 */
export interface HtSvdOptions {
  /** relative Frobenius error bound ε of the whole approximation (default 1e-12) */
  tol?: number;
  /** cap on every node rank (default: none) */
  maxRank?: number;
  /** dimension tree (default: balancedTree(d) without permutation) */
  tree?: DimensionTree;
}

/**
 * Matricization of a row-major tensor: rows run over `rowDims` (in that order, row-major), columns
 * over the remaining dimensions in increasing order. Returns the |rows|×|cols| matrix.
 */
export function unfold(full: Float64Array, shape: ArrayLike<number>, rowDims: ArrayLike<number>): Matrix {
  checkFull('unfold', full, shape);
  const d = shape.length;
  checkNumbers('unfold: rowDims', rowDims);
  for (let q = 0; q < rowDims.length; q++) checkInt(`unfold: rowDims[${q}]`, rowDims[q], { max: d - 1 });
  const isRow = new Uint8Array(d);
  for (let q = 0; q < rowDims.length; q++) isRow[rowDims[q]!] = 1;
  const colDims: number[] = [];
  for (let k = 0; k < d; k++) if (!isRow[k]) colDims.push(k);
  // weight of dimension k in the row or column index
  const rowW = new Float64Array(d);
  const colW = new Float64Array(d);
  let rows = 1;
  for (let q = rowDims.length - 1; q >= 0; q--) {
    rowW[rowDims[q]!] = rows;
    rows *= shape[rowDims[q]!]!;
  }
  let cols = 1;
  for (let q = colDims.length - 1; q >= 0; q--) {
    colW[colDims[q]!] = cols;
    cols *= shape[colDims[q]!]!;
  }
  const out = new Float64Array(rows * cols);
  const idx = new Int32Array(d);
  let r = 0;
  let c = 0;
  for (let p = 0; p < full.length; p++) {
    out[r * cols + c] = full[p]!;
    for (let k = d - 1; k >= 0; k--) {
      idx[k]!++;
      if (isRow[k]) r += rowW[k]!;
      else c += colW[k]!;
      if (idx[k]! < shape[k]!) break;
      if (isRow[k]) r -= rowW[k]! * shape[k]!;
      else c -= colW[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
  return { rows, cols, data: out };
}

/** smallest rank with discarded energy Σ s_j² ≤ δ², capped, at least 1 */
export function rankFor(s: ArrayLike<number>, delta: number, maxRank: number): number {
  let tail = 0;
  let r = s.length;
  while (r > 1 && tail + s[r - 1]! ** 2 <= delta * delta) {
    tail += s[r - 1]! ** 2;
    r--;
  }
  return Math.max(1, Math.min(r, maxRank));
}

/**
 * HT-SVD (Grasedyck 2010, Alg. 1) of a small full tensor: every node's basis U_t is the truncated
 * left singular basis of the matricization A_(t); transfer tensors are B_t = (U_L ⊗ U_R)ᵀ U_t and
 * the root's B = (U_L ⊗ U_R)ᵀ vec A. Truncation at δ = ε‖A‖/√(2d − 3) per node gives
 * ‖A − HT‖ ≤ ε‖A‖. full: row-major over dimensions 0..d−1.
 */
export function htSvd(full: Float64Array, shape: ArrayLike<number>, options: HtSvdOptions = {}): HTensor {
  checkFull('htSvd', full, shape);
  checkObject('htSvd: options', options);
  const d = shape.length;
  const sh = Int32Array.from(shape);
  let total = 1;
  for (let k = 0; k < d; k++) total *= checkInt(`htSvd: shape[${k}]`, sh[k], { positive: true });
  if (full.length !== total)
    throw new ShapeError(
      `htSvd: full must have ${total} entries for shape [${sh.join(', ')}], got ${full.length}`,
    );
  const tol = checkNumber('htSvd: options.tol', options.tol ?? 1e-12, { min: 0 });
  const maxRank =
    options.maxRank === undefined
      ? Number.POSITIVE_INFINITY
      : checkInt('htSvd: options.maxRank', options.maxRank, { positive: true });
  const tree = options.tree ?? balancedTree(d);
  if (tree.d !== d) throw new ShapeError(`htSvd: the tree has d = ${tree.d}, the shape ${d} dimensions`);
  let norm2 = 0;
  for (const v of full) norm2 += v * v;
  const delta = (tol * Math.sqrt(norm2)) / Math.sqrt(Math.max(1, 2 * d - 3));
  // full bases U_t (N_t×r_t) for every non-root node
  const basis: Matrix[] = [];
  for (const node of tree.nodes) {
    if (node.parent < 0) continue;
    if (node.dummy) {
      basis[node.id] = { rows: 1, cols: 1, data: Float64Array.of(1) };
      continue;
    }
    const { U, S } = svd(unfold(full, sh, node.dims));
    const r = rankFor(S, delta, maxRank);
    const u = new Float64Array(U.rows * r);
    for (let i = 0; i < U.rows; i++) for (let j = 0; j < r; j++) u[i * r + j] = U.data[i * U.cols + j]!;
    basis[node.id] = { rows: U.rows, cols: r, data: u };
  }
  const cores: Matrix[] = [];
  for (const node of tree.nodes) {
    if (node.left < 0) {
      cores[node.id] = basis[node.id]!;
      continue;
    }
    const UL = basis[node.left]!;
    const UR = basis[node.right]!;
    // columns of the node's basis (or vec A at the root) as N_L×N_R matrices
    const cols = node.parent < 0 ? [unfold(full, sh, node.dims).data] : columnsOf(basis[node.id]!);
    const rl = UL.cols;
    const rr = UR.cols;
    const out = new Float64Array(rl * rr * cols.length);
    cols.forEach((m, s) => {
      // U_Lᵀ · M · U_R
      const tmp = new Float64Array(rl * UR.rows);
      for (let i = 0; i < UL.rows; i++)
        for (let a = 0; a < rl; a++) {
          const x = UL.data[i * rl + a]!;
          if (x !== 0) for (let j = 0; j < UR.rows; j++) tmp[a * UR.rows + j]! += x * m[i * UR.rows + j]!;
        }
      for (let a = 0; a < rl; a++)
        for (let j = 0; j < UR.rows; j++) {
          const x = tmp[a * UR.rows + j]!;
          if (x !== 0)
            for (let b = 0; b < rr; b++) out[(a * rr + b) * cols.length + s]! += x * UR.data[j * rr + b]!;
        }
    });
    cores[node.id] = { rows: rl * rr, cols: cols.length, data: out };
  }
  return { tree, shape: sh, cores };
}

function columnsOf(u: Matrix): Float64Array[] {
  const out: Float64Array[] = [];
  for (let s = 0; s < u.cols; s++) {
    const c = new Float64Array(u.rows);
    for (let i = 0; i < u.rows; i++) c[i] = u.data[i * u.cols + s]!;
    out.push(c);
  }
  return out;
}
