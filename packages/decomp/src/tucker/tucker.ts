import { ArgumentError, checkInt, checkNumber, checkObject, describeValue, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix, svd } from '@tenzo/linalg';
import { checkFields, checkFull } from '../checks.js';
import { rankFor, unfold } from '../ht/htSvd.js';

/** A Tucker tensor: core (r_0×…×r_{d−1}, row-major) and factors U_k: n_k×r_k. */
export interface TuckerTensor {
  core: Float64Array;
  /** r_k */
  ranks: Int32Array;
  factors: Matrix[];
}

/**
 * Options of `hosvd`: the relative Frobenius error bound (δ = ε‖X‖/√d per mode) and, optionally, fixed
 * ranks per mode.
 */
export interface HosvdOptions {
  /** relative Frobenius error bound ε (default 1e-12); per mode δ = ε‖X‖/√d */
  tol?: number;
  /** fixed ranks per mode (caps the tolerance rule) */
  ranks?: ArrayLike<number>;
}

/**
 * Mode-k product: Y = X ×_k M with M: p×n_k (Y_k = M·X_(k)). X: row-major of `shape`; returns Y
 * (shape with n_k replaced by p).
 */
export function modeProduct(x: Float64Array, shape: ArrayLike<number>, k: number, m: Matrix): Float64Array {
  checkFull('modeProduct', x, shape);
  checkInt('modeProduct: k', k, { max: shape.length - 1 });
  checkMatrix('modeProduct', 'M', m);
  const n = shape[k]!;
  if (m.cols !== n)
    throw new ShapeError(`modeProduct: M must have ${n} columns for mode ${k}, got ${m.cols}`);
  let outer = 1;
  for (let j = 0; j < k; j++) outer *= shape[j]!;
  let inner = 1;
  for (let j = k + 1; j < shape.length; j++) inner *= shape[j]!;
  const p = m.rows;
  const y = new Float64Array(outer * p * inner);
  for (let o = 0; o < outer; o++)
    for (let a = 0; a < p; a++) {
      const yo = (o * p + a) * inner;
      for (let i = 0; i < n; i++) {
        const w = m.data[a * n + i]!;
        if (w === 0) continue;
        const xo = (o * n + i) * inner;
        for (let q = 0; q < inner; q++) y[yo + q]! += w * x[xo + q]!;
      }
    }
  return y;
}

function transposeM(a: Matrix): Matrix {
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data: out };
}

function leading(u: Matrix, r: number): Matrix {
  const out = new Float64Array(u.rows * r);
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < r; j++) out[i * r + j] = u.data[i * u.cols + j]!;
  return { rows: u.rows, cols: r, data: out };
}

function setup(op: string, full: Float64Array, shape: ArrayLike<number>, options: HosvdOptions) {
  checkFull(op, full, shape);
  checkObject(`${op}: options`, options);
  const d = shape.length;
  let total = 1;
  for (let k = 0; k < d; k++) total *= checkInt(`${op}: shape[${k}]`, shape[k], { positive: true });
  if (full.length !== total)
    throw new ShapeError(`${op}: full must have ${total} entries, got ${full.length}`);
  const tol = checkNumber(`${op}: options.tol`, options.tol ?? 1e-12, { min: 0 });
  if (options.ranks !== undefined && options.ranks.length !== d) {
    throw new ArgumentError(`${op}: options.ranks must have ${d} entries, got ${options.ranks.length}`);
  }
  let norm2 = 0;
  for (const v of full) norm2 += v * v;
  return { d, delta: (tol * Math.sqrt(norm2)) / Math.sqrt(d) };
}

/**
 * HOSVD (De Lathauwer, De Moor, Vandewalle 2000): U_k = leading left singular vectors of the
 * mode-k unfolding of X, core = X ×_1 U_1ᵀ ⋯ ×_d U_dᵀ. With truncation δ = ε‖X‖/√d per mode the
 * error is ≤ ε‖X‖.
 */
export function hosvd(
  full: Float64Array,
  shape: ArrayLike<number>,
  options: HosvdOptions = {},
): TuckerTensor {
  const { d, delta } = setup('hosvd', full, shape, options);
  const factors: Matrix[] = [];
  for (let k = 0; k < d; k++) {
    const { U, S } = svd(unfold(full, shape, [k]));
    const cap =
      options.ranks === undefined
        ? Number.POSITIVE_INFINITY
        : checkInt(`hosvd: options.ranks[${k}]`, options.ranks[k], { positive: true });
    factors.push(leading(U, rankFor(S, delta, cap)));
  }
  let core = full;
  const cur = Array.from(shape);
  for (let k = 0; k < d; k++) {
    core = modeProduct(core, cur, k, transposeM(factors[k]!));
    cur[k] = factors[k]!.cols;
  }
  return { core, ranks: Int32Array.from(cur), factors };
}

/**
 * Sequentially truncated HOSVD (Vannieuwenhoven, Vandebril, Meerbergen 2012): mode k's basis is
 * computed from the tensor already projected on modes < k, which is cheaper and no less accurate.
 */
export function stHosvd(
  full: Float64Array,
  shape: ArrayLike<number>,
  options: HosvdOptions = {},
): TuckerTensor {
  const { d, delta } = setup('stHosvd', full, shape, options);
  const factors: Matrix[] = [];
  let core = full;
  const cur = Array.from(shape);
  for (let k = 0; k < d; k++) {
    const { U, S } = svd(unfold(core, cur, [k]));
    const cap =
      options.ranks === undefined
        ? Number.POSITIVE_INFINITY
        : checkInt(`stHosvd: options.ranks[${k}]`, options.ranks[k], { positive: true });
    const u = leading(U, rankFor(S, delta, cap));
    factors.push(u);
    core = modeProduct(core, cur, k, transposeM(u));
    cur[k] = u.cols;
  }
  return { core, ranks: Int32Array.from(cur), factors };
}

/** The full tensor core ×_1 U_1 ⋯ ×_d U_d (row-major). */
export function tuckerFull(t: TuckerTensor): Float64Array {
  checkFields('tuckerFull', 't', t, ['core', 'ranks', 'factors']);
  if (!Array.isArray(t.factors) || t.factors.length !== t.ranks?.length)
    throw new ShapeError(
      `tuckerFull: t.factors expected one matrix per rank, got ${describeValue(t.factors)}`,
    );
  let x = t.core;
  const cur = Array.from(t.ranks);
  for (let k = 0; k < t.factors.length; k++) {
    x = modeProduct(x, cur, k, t.factors[k]!);
    cur[k] = t.factors[k]!.rows;
  }
  return x;
}
