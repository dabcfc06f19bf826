import { checkInt, checkNumber, type Rng, SingularMatrixError } from '@tenzo/core';
import { type Matrix, qr } from '@tenzo/linalg';
import type { BlackBox, BlackBoxSource } from '../blackbox/blackBox.js';
import { maxvol } from '../maxvol/maxvol.js';
import {
  type BaselineOptions,
  type BaselineResult,
  checkFlag,
  type GridOptimizer,
  runGridOptimizer,
  setupBaseline,
} from './driver.js';
import { type Quantization, quantizeShape, unquantize } from './quantize.js';

/**
 * Options of the TTOpt baseline (maxvol-based TT-cross optimisation): the shared {@link BaselineOptions}
 * plus the TT-rank and the smoothing that turns the minimum into the largest entry.
 */
export interface TtoptOptions extends BaselineOptions {
  /** maximum TT-rank of the unfoldings (default 4, as the HTBB paper runs it) */
  rank?: number;
  /** the smoothing exp(fsOpt·(y_opt − y)) that turns the minimum into the largest entry (default 1) */
  fsOpt?: number;
  /** search the quantised grid (every n_k = 2^q split into q binary dimensions; default true) */
  quantize?: boolean;
}

/**
 * TTOpt (Sozykin, Chertkov, Schutski, Phan, Cichocki, Oseledets, NeurIPS 2022) as an ask/tell
 * optimiser: a TT-cross whose maxvol seeks the largest entries of the transformed tensor
 * exp(fsOpt·(y_opt − y)), so the index sets gather around the current minimum y_opt.
 *
 * On the (quantised) grid N_0×…×N_{D−1} with ranks r_k = min(rank, N_{k−1} r_{k−1}), a random
 * Gaussian TT gives the first left index sets (one left-to-right pass, no evaluations). Then the
 * sweeps alternate direction, starting right-to-left at the last core: step k asks for the
 * r_k×N_k×r_{k+1} block (left set × grid values × right set), transforms it, takes the Q factor of
 * its unfolding ((r_k N_k)×r_{k+1} left-to-right, (N_k r_{k+1})×r_k right-to-left) and picks the
 * next index set by square maxvol (τ = 1.001, at most 1000 swaps); the row of the largest
 * transformed entry replaces the last pick when maxvol missed it (TTOpt's `add_opt_inner`).
 */
export class Ttopt implements GridOptimizer {
  readonly d: number;
  private readonly qz: Quantization;
  private readonly D: number;
  private readonly fsOpt: number;
  private readonly ranks: Int32Array;
  /** sets[k]: r_k index rows; prefixes (length k) left of the current core, suffixes (length D − k) right of it */
  private readonly sets: Int32Array[];
  private core: number;
  private leftToRight = false;
  private best = Number.POSITIVE_INFINITY;

  constructor(
    shape: ArrayLike<number>,
    rng: Rng,
    options: { rank: number; fsOpt: number; quantize: boolean },
  ) {
    this.d = shape.length;
    this.qz = quantizeShape(shape, options.quantize);
    const N = this.qz.shape;
    const D = N.length;
    this.D = D;
    this.fsOpt = options.fsOpt;
    this.ranks = new Int32Array(D + 1).fill(1);
    for (let k = 1; k < D; k++) this.ranks[k] = Math.min(options.rank, N[k - 1]! * this.ranks[k - 1]!);
    this.sets = Array.from({ length: D + 1 }, () => new Int32Array(0));
    for (let k = 0; k < D - 1; k++) {
      const y = new Float64Array(this.ranks[k]! * N[k]! * this.ranks[k + 1]!);
      rng.fillNormal(y);
      this.select(k, y, true);
    }
    this.core = D - 1;
  }

  ask(): Int32Array {
    const k = this.core;
    const N = this.qz.shape;
    const D = this.D;
    const r0 = this.ranks[k]!;
    const r1 = this.ranks[k + 1]!;
    const n = N[k]!;
    const left = this.sets[k]!;
    const right = this.sets[k + 1]!;
    const lenR = D - k - 1;
    const pts = new Int32Array(r0 * n * r1 * D);
    for (let a = 0; a < r0; a++)
      for (let j = 0; j < n; j++)
        for (let b = 0; b < r1; b++) {
          const o = ((a * n + j) * r1 + b) * D;
          pts.set(left.subarray(a * k, (a + 1) * k), o);
          pts[o + k] = j;
          pts.set(right.subarray(b * lenR, (b + 1) * lenR), o + k + 1);
        }
    return unquantize(this.qz, pts, r0 * n * r1);
  }

  tell(values: Float64Array): void {
    const k = this.core;
    for (const v of values) if (v < this.best) this.best = v;
    const z = values.map((v) => Math.exp(this.fsOpt * (this.best - v)));
    if (this.leftToRight && k < this.D - 1) this.select(k, z, true);
    if (!this.leftToRight && k > 0) this.select(k, z, false);
    this.core += this.leftToRight ? 1 : -1;
    if (this.core === -1 || this.core === this.D) {
      this.leftToRight = !this.leftToRight;
      this.core += this.leftToRight ? 1 : -1;
    }
  }

  /** the next index set from block z (r_k×N_k×r_{k+1}, row-major) of core k */
  private select(k: number, z: Float64Array, leftToRight: boolean): void {
    const r0 = this.ranks[k]!;
    const r1 = this.ranks[k + 1]!;
    const n = this.qz.shape[k]!;
    let m: Matrix;
    if (leftToRight) m = { rows: r0 * n, cols: r1, data: z };
    else {
      // rows (j, b), columns a
      const data = new Float64Array(z.length);
      for (let a = 0; a < r0; a++)
        for (let j = 0; j < n; j++)
          for (let b = 0; b < r1; b++) data[(j * r1 + b) * r0 + a] = z[(a * n + j) * r1 + b]!;
      m = { rows: n * r1, cols: r0, data };
    }
    const Q = qr(m).Q;
    const ind = pickRows(Q);
    let top = 0;
    for (let i = 1; i < m.data.length; i++) if (Math.abs(m.data[i]!) > Math.abs(m.data[top]!)) top = i;
    const topRow = Math.floor(top / m.cols);
    if (!ind.includes(topRow)) ind[ind.length - 1] = topRow;
    const D = this.D;
    if (leftToRight) {
      const prev = this.sets[k]!;
      const out = new Int32Array(ind.length * (k + 1));
      ind.forEach((row, s) => {
        const a = Math.floor(row / n);
        out.set(prev.subarray(a * k, (a + 1) * k), s * (k + 1));
        out[s * (k + 1) + k] = row - a * n;
      });
      this.sets[k + 1] = out;
      this.ranks[k + 1] = ind.length;
    } else {
      const prev = this.sets[k + 1]!;
      const len = D - k - 1;
      const out = new Int32Array(ind.length * (len + 1));
      ind.forEach((row, s) => {
        const j = Math.floor(row / r1);
        const b = row - j * r1;
        out[s * (len + 1)] = j;
        out.set(prev.subarray(b * len, (b + 1) * len), s * (len + 1) + 1);
      });
      this.sets[k] = out;
      this.ranks[k] = ind.length;
    }
  }
}

/**
 * Square maxvol rows of an orthonormal Q (TTOpt's `_maxvol`: all rows when there are no more
 * rows than columns). An orthonormal Q always holds a nonsingular r×r block, but the LU start
 * can pick a numerically singular one when the block had exact zeros (an underflowed
 * transform); then the rows of largest norm are taken greedily instead.
 */
function pickRows(Q: Matrix): number[] {
  if (Q.rows <= Q.cols) return Array.from({ length: Q.rows }, (_, i) => i);
  try {
    return Array.from(maxvol(Q, { tau: 1.001, maxIters: 1000 }).I);
  } catch (err) {
    if (!(err instanceof SingularMatrixError)) throw err;
    const norms = Array.from({ length: Q.rows }, (_, i) => {
      let s = 0;
      for (let j = 0; j < Q.cols; j++) s += Q.data[i * Q.cols + j]! ** 2;
      return s;
    });
    return norms
      .map((s, i) => [s, i] as const)
      .sort((x, y) => y[0] - x[0] || x[1] - y[1])
      .slice(0, Q.cols)
      .map(([, i]) => i);
  }
}

/** TTOpt minimisation of a black box on the grid (see `Ttopt`); the best evaluated point. */
export async function ttoptMinimize(
  f: BlackBoxSource | BlackBox,
  options: TtoptOptions,
): Promise<BaselineResult> {
  const op = 'ttoptMinimize';
  const { budget, maxCacheHits, box, rng } = setupBaseline(op, f, options);
  const rank = checkInt(`${op}: options.rank`, options.rank ?? 4, { positive: true });
  const fsOpt = checkNumber(`${op}: options.fsOpt`, options.fsOpt ?? 1, { gt: 0 });
  const quantize = checkFlag(`${op}: options.quantize`, options.quantize, true);
  const opt = new Ttopt(box.shape, rng, { rank, fsOpt, quantize });
  return runGridOptimizer(opt, box, budget, maxCacheHits);
}
