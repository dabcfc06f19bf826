import { checkInt, checkNumber, checkObject, ShapeError } from '@tenzo/core';
import { type Matrix, qr, svd } from '@tenzo/linalg';
import { checkFull } from '../checks.js';
import { checkTensorTrain, type TensorTrain } from './tensorTrain.js';

/**
 * Options of `ttSvd`: the relative Frobenius error bound of the whole approximation and an optional cap on
 * every TT rank.
 */
export interface TtSvdOptions {
  /** relative Frobenius error bound ε of the whole approximation (default 1e-12) */
  tol?: number;
  /** cap on every TT rank (default: none) */
  maxRank?: number;
}

/** smallest rank r with Σ_{j≥r} s_j² ≤ δ², capped at maxRank (at least 1) */
function truncationRank(s: Float64Array, delta: number, maxRank: number): number {
  let tail = 0;
  let r = s.length;
  while (r > 1 && tail + s[r - 1]! ** 2 <= delta * delta) {
    tail += s[r - 1]! ** 2;
    r--;
  }
  return Math.max(1, Math.min(r, maxRank));
}

/**
 * TT-SVD (Oseledets 2011, Alg. 1). full: row-major tensor of the given shape. Each of the d − 1
 * sequential SVDs is truncated at δ = ε‖A‖_F/√(d − 1), so ‖A − TT‖_F ≤ ε‖A‖_F.
 */
export function ttSvd(full: Float64Array, shape: ArrayLike<number>, options: TtSvdOptions = {}): TensorTrain {
  checkFull('ttSvd', full, shape);
  checkObject('ttSvd: options', options);
  const d = shape.length;
  const sh = Int32Array.from(shape);
  let total = 1;
  for (let k = 0; k < d; k++) total *= checkInt(`ttSvd: shape[${k}]`, sh[k], { positive: true });
  if (full.length !== total)
    throw new ShapeError(
      `ttSvd: full must have ${total} entries for shape [${sh.join(', ')}], got ${full.length}`,
    );
  const tol = checkNumber('ttSvd: options.tol', options.tol ?? 1e-12, { min: 0 });
  const maxRank =
    options.maxRank === undefined
      ? Number.POSITIVE_INFINITY
      : checkInt('ttSvd: options.maxRank', options.maxRank, { positive: true });
  let norm2 = 0;
  for (const v of full) norm2 += v * v;
  const delta = d > 1 ? (tol * Math.sqrt(norm2)) / Math.sqrt(d - 1) : 0;
  const ranks = new Int32Array(d + 1).fill(1);
  const cores: Float64Array[] = [];
  let c: Float64Array = full.slice();
  let rest = total;
  for (let k = 0; k < d - 1; k++) {
    const rows = ranks[k]! * sh[k]!;
    rest /= sh[k]!;
    const { U, S, V } = svd({ rows, cols: rest, data: c });
    const r = truncationRank(S, delta, maxRank);
    ranks[k + 1] = r;
    const core = new Float64Array(rows * r);
    for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) core[i * r + j] = U.data[i * U.cols + j]!;
    cores.push(core);
    // next: diag(S)·Vᵀ, r×rest
    const next = new Float64Array(r * rest);
    for (let j = 0; j < r; j++)
      for (let q = 0; q < rest; q++) next[j * rest + q] = S[j]! * V.data[q * V.cols + j]!;
    c = next;
  }
  cores.push(c);
  return { shape: sh, ranks, cores };
}

/**
 * TT rounding (Oseledets 2011, Alg. 2): right-to-left QR orthogonalisation, then left-to-right
 * truncated SVDs at δ = ε‖A‖/√(d − 1). Returns a new TT with ‖A − round(A)‖ ≤ ε‖A‖.
 */
export function ttRound(tt: TensorTrain, options: TtSvdOptions = {}): TensorTrain {
  checkTensorTrain('ttRound', tt);
  const tol = checkNumber('ttRound: options.tol', options.tol ?? 1e-12, { min: 0 });
  const maxRank =
    options.maxRank === undefined
      ? Number.POSITIVE_INFINITY
      : checkInt('ttRound: options.maxRank', options.maxRank, { positive: true });
  const d = tt.shape.length;
  const n = tt.shape;
  const ranks = Int32Array.from(tt.ranks);
  const cores: Float64Array[] = tt.cores.map((c) => c.slice());
  // right-to-left: core k as r_k×(n_k r_{k+1}); its transpose = Q·R, core k ← Qᵀ, core k−1 ← core k−1·Rᵀ
  for (let k = d - 1; k > 0; k--) {
    const r0 = ranks[k]!;
    const cols = n[k]! * ranks[k + 1]!;
    const t: Matrix = { rows: cols, cols: r0, data: transposeData(cores[k]!, r0, cols) };
    const { Q, R } = qr(t);
    const rn = Q.cols;
    cores[k] = transposeData(Q.data, cols, rn);
    const prev = cores[k - 1]!;
    const pr = ranks[k - 1]! * n[k - 1]!;
    const next = new Float64Array(pr * rn);
    for (let i = 0; i < pr; i++)
      for (let a = 0; a < r0; a++) {
        const x = prev[i * r0 + a]!;
        if (x !== 0) for (let b = 0; b < rn; b++) next[i * rn + b]! += x * R.data[b * r0 + a]!;
      }
    cores[k - 1] = next;
    ranks[k] = rn;
  }
  let norm2 = 0;
  for (const v of cores[0]!) norm2 += v * v;
  const delta = d > 1 ? (tol * Math.sqrt(norm2)) / Math.sqrt(d - 1) : 0;
  for (let k = 0; k < d - 1; k++) {
    const rows = ranks[k]! * n[k]!;
    const r1 = ranks[k + 1]!;
    const { U, S, V } = svd({ rows, cols: r1, data: cores[k]! });
    const r = truncationRank(S, delta, maxRank);
    const core = new Float64Array(rows * r);
    for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) core[i * r + j] = U.data[i * U.cols + j]!;
    cores[k] = core;
    // next core ← diag(S)·Vᵀ·next
    const nxt = cores[k + 1]!;
    const cols = n[k + 1]! * ranks[k + 2]!;
    const out = new Float64Array(r * cols);
    for (let j = 0; j < r; j++)
      for (let a = 0; a < r1; a++) {
        const x = S[j]! * V.data[a * V.cols + j]!;
        if (x !== 0) for (let q = 0; q < cols; q++) out[j * cols + q]! += x * nxt[a * cols + q]!;
      }
    cores[k + 1] = out;
    ranks[k + 1] = r;
  }
  return { shape: Int32Array.from(n), ranks, cores };
}

function transposeData(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}
