import { ArgumentError, BudgetError, checkInt, checkNumber, Rng, type Seed } from '@tenzo/core';
import { type Matrix, qr } from '@tenzo/linalg';
import { BlackBox, type BlackBoxSource } from '../blackbox/blackBox.js';
import { rectMaxvol, takeRows } from '../maxvol/maxvol.js';
import { ttEvaluate as evalTT, type TensorTrain } from './tensorTrain.js';

/**
 * Options of `ttCross`: the grid (d, n), the budget of unique evaluations, sweeps and stopping tolerance,
 * the rect-maxvol and rank-growth settings, the seed, and a callback after every core step.
 */
export interface TtCrossOptions {
  /** grid size: one for all dimensions or one per dimension */
  n: number | ArrayLike<number>;
  d: number;
  /** unique evaluations allowed: the cross stops before a core step that would exceed it */
  budget?: number;
  /** sweeps (left-to-right and back count as two), default 100 */
  sweeps?: number;
  /** stop when the relative change between sweeps is below this (default 0: never) */
  tol?: number;
  /** rect-maxvol τ (default 1.1), rank growth per core step (default 1..1), start τ0 (1.05), swaps k0 (100) */
  tau?: number;
  drMin?: number;
  drMax?: number;
  tau0?: number;
  k0?: number;
  seed?: Seed;
  /** called after every core step */
  onStep?: (info: { evaluations: number }) => void;
}

/**
 * What `ttCross` returns: the tensor train, the unique evaluations spent, the half-sweeps completed and
 * the black box with its cache.
 */
export interface TtCrossResult {
  tt: TensorTrain;
  evaluations: number;
  /** half-sweeps completed */
  sweeps: number;
  box: BlackBox;
}

/**
 * TT-cross with maxvol (Oseledets & Tyrtyshnikov 2010; Savostyanov & Oseledets 2011), following
 * teneva's `cross`: a random rank-1 TT gives the first left/right index sets without evaluations;
 * then each core step evaluates the r_k×n_k×r_{k+1} cross block, takes its QR and picks the next
 * index set by rect-maxvol (rank + drMin..drMax per step). The core is the interpolation matrix
 * B; the leftover R is carried to the next core. This is the baseline the HTBB paper compares with.
 * `f` is a batched function, an evaluation engine (`@tenzo/engines`: worker threads, BullMQ) or a
 * BlackBox; every core step is one batch of new unique points, so any engine gives the same train.
 */
export async function ttCross(f: BlackBoxSource | BlackBox, options: TtCrossOptions): Promise<TtCrossResult> {
  const d = checkInt('ttCross: options.d', options.d, { min: 2 });
  const tau = checkNumber('ttCross: options.tau', options.tau ?? 1.1, { min: 1 });
  const tau0 = checkNumber('ttCross: options.tau0', options.tau0 ?? 1.05, { min: 1 });
  const k0 = checkInt('ttCross: options.k0', options.k0 ?? 100);
  const drMin = checkInt('ttCross: options.drMin', options.drMin ?? 1);
  const drMax = checkInt('ttCross: options.drMax', options.drMax ?? 1);
  const maxSweeps = checkInt('ttCross: options.sweeps', options.sweeps ?? 100);
  const tol = checkNumber('ttCross: options.tol', options.tol ?? 0, { min: 0 });
  const box =
    f instanceof BlackBox
      ? f
      : new BlackBox(f, {
          n: options.n,
          d,
          ...(options.budget !== undefined ? { budget: options.budget } : {}),
        });
  if (box.d !== d) throw new ArgumentError(`ttCross: the black box has d = ${box.d}, options.d = ${d}`);
  const n = box.shape;
  const rng = new Rng(options.seed ?? 0);
  // Ir[k]: r_k rows of prefix values (length k); Ic[k]: r_k rows of suffix values (length d − k)
  const Ir: Int32Array[] = new Array(d + 1);
  const Ic: Int32Array[] = new Array(d + 1);
  Ir[0] = new Int32Array(0);
  Ic[d] = new Int32Array(0);
  const ranks = new Int32Array(d + 1).fill(1);
  const cores: Float64Array[] = [];
  for (let k = 0; k < d; k++) {
    const g = new Float64Array(n[k]!);
    rng.fillNormal(g);
    cores.push(g);
  }
  const steps = { dr0: 0, dr1: 0, tau: tau0 };
  // initial left-to-right and right-to-left passes on the random rank-1 TT (no evaluations)
  let R: Matrix = { rows: 1, cols: 1, data: Float64Array.of(1) };
  for (let k = 0; k < d; k++) {
    const z = mulLeft(R, cores[k]!, n[k]!, ranks[k + 1]!);
    const res = iterate(z, ranks[k]!, n[k]!, ranks[k + 1]!, true, steps, tau0, k0);
    cores[k] = res.G;
    R = res.R;
    Ir[k + 1] = leftSet(Ir[k]!, k, n[k]!, res.ind);
    ranks[k + 1] = res.ind.length;
  }
  cores[d - 1] = mulRight(cores[d - 1]!, ranks[d - 1]! * n[d - 1]!, R);
  R = { rows: 1, cols: 1, data: Float64Array.of(1) };
  for (let k = d - 1; k >= 0; k--) {
    const z = mulRight(cores[k]!, ranks[k]! * n[k]!, R);
    const res = iterate(z, ranks[k]!, n[k]!, ranks[k + 1]!, false, steps, tau0, k0);
    cores[k] = res.G;
    R = res.R;
    Ic[k] = rightSet(Ic[k + 1]!, d - k - 1, res.ind);
    ranks[k] = res.ind.length;
  }
  ranks[0] = 1;
  cores[0] = mulLeft(R, cores[0]!, n[0]!, ranks[1]!);
  const grow = { dr0: drMin, dr1: drMax, tau };
  let sweeps = 0;
  let prev: TensorTrain | null = null;
  const finish = (): TtCrossResult => ({
    tt: { shape: Int32Array.from(n), ranks: Int32Array.from(ranks), cores },
    evaluations: box.evaluations,
    sweeps,
    box,
  });
  const block = async (k: number): Promise<Float64Array | null> => {
    const r0 = ranks[k]!;
    const r1 = ranks[k + 1]!;
    const nk = n[k]!;
    const pts = new Int32Array(r0 * nk * r1 * d);
    for (let a = 0; a < r0; a++)
      for (let i = 0; i < nk; i++)
        for (let b = 0; b < r1; b++) {
          const o = ((a * nk + i) * r1 + b) * d;
          pts.set(Ir[k]!.subarray(a * k, a * k + k), o);
          pts[o + k] = i;
          pts.set(Ic[k + 1]!.subarray(b * (d - k - 1), (b + 1) * (d - k - 1)), o + k + 1);
        }
    try {
      return await box.evaluate(pts, r0 * nk * r1);
    } catch (err) {
      if (err instanceof BudgetError) return null;
      throw err;
    }
  };
  while (sweeps < maxSweeps) {
    const ltr = sweeps % 2 === 0;
    R = { rows: 1, cols: 1, data: Float64Array.of(1) };
    for (let s = 0; s < d; s++) {
      const k = ltr ? s : d - 1 - s;
      const z = await block(k);
      if (z === null) {
        // before one full sweep some cores are still the random start: not a fitted train
        if (sweeps === 0)
          throw new BudgetError(
            `ttCross: the budget ran out after ${box.evaluations} evaluations, at core ${k + 1} of ${d} of the first sweep (the train would be unfitted); raise options.budget`,
          );
        // budget: fold the carried R into the current core and stop
        cores[k] = ltr
          ? mulLeft(R, cores[k]!, n[k]!, ranks[k + 1]!)
          : mulRight(cores[k]!, ranks[k]! * n[k]!, R);
        if (ltr) ranks[k] = R.rows;
        else ranks[k + 1] = R.cols;
        return finish();
      }
      const res = iterate(z, ranks[k]!, n[k]!, ranks[k + 1]!, ltr, grow, tau0, k0);
      cores[k] = res.G;
      R = res.R;
      if (ltr) {
        Ir[k + 1] = leftSet(Ir[k]!, k, n[k]!, res.ind);
        ranks[k + 1] = res.ind.length;
      } else {
        Ic[k] = rightSet(Ic[k + 1]!, d - k - 1, res.ind);
        ranks[k] = res.ind.length;
      }
      options.onStep?.({ evaluations: box.evaluations });
    }
    if (ltr) {
      cores[d - 1] = mulRight(cores[d - 1]!, ranks[d - 1]! * n[d - 1]!, R);
      ranks[d] = 1;
    } else {
      cores[0] = mulLeft(R, cores[0]!, n[0]!, ranks[1]!);
      ranks[0] = 1;
    }
    sweeps++;
    if (tol > 0) {
      const cur: TensorTrain = {
        shape: Int32Array.from(n),
        ranks: Int32Array.from(ranks),
        cores: cores.map((c) => c.slice()),
      };
      if (prev !== null && relativeChange(prev, cur) < tol) break;
      prev = cur;
    }
  }
  return finish();
}

/** one cross step (teneva `_iter`): QR of the unfolding, rect-maxvol rows, core B, carried R */
function iterate(
  z: Float64Array,
  r0: number,
  nk: number,
  r1: number,
  ltr: boolean,
  g: { dr0: number; dr1: number; tau: number },
  tau0: number,
  k0: number,
): { G: Float64Array; R: Matrix; ind: Int32Array } {
  // ltr: (r0·nk)×r1 as stored; rtl: the transpose of r0×(nk·r1)
  const m: Matrix = ltr
    ? { rows: r0 * nk, cols: r1, data: z }
    : { rows: nk * r1, cols: r0, data: transposeData(z, r0, nk * r1) };
  const { Q, R } = qr(m);
  const rows = Q.rows;
  const cols = Q.cols;
  const drMax = Math.max(0, Math.min(g.dr1, rows - cols));
  const drMin = Math.min(g.dr0, drMax);
  const { I, B } = rectMaxvol(Q, { tau: g.tau, drMin, drMax, tau0, maxIters0: k0 });
  const QR = mul(takeRows(Q, I), R); // |I|×(r1 or r0)
  if (ltr) return { G: B.data, R: QR, ind: I };
  // rtl: core = Bᵀ reshaped |I|×nk×r1; carried R = (Q[I]·R)ᵀ, r0×|I|
  return {
    G: transposeData(B.data, B.rows, B.cols),
    R: { rows: QR.cols, cols: QR.rows, data: transposeData(QR.data, QR.rows, QR.cols) },
    ind: I,
  };
}

function leftSet(prev: Int32Array, k: number, nk: number, ind: Int32Array): Int32Array {
  // row (a·nk + i) of the (r_k·n_k) unfolding ↦ prefix (prev[a], i)
  const out = new Int32Array(ind.length * (k + 1));
  for (let j = 0; j < ind.length; j++) {
    const a = Math.floor(ind[j]! / nk);
    const i = ind[j]! - a * nk;
    out.set(prev.subarray(a * k, a * k + k), j * (k + 1));
    out[j * (k + 1) + k] = i;
  }
  return out;
}

function rightSet(next: Int32Array, len: number, ind: Int32Array): Int32Array {
  // row (i·r_{k+1} + b) of the transposed unfolding ↦ suffix (i, next[b])
  const r1 = len === 0 ? 1 : next.length / len;
  const out = new Int32Array(ind.length * (len + 1));
  for (let j = 0; j < ind.length; j++) {
    const i = Math.floor(ind[j]! / r1);
    const b = ind[j]! - i * r1;
    out[j * (len + 1)] = i;
    out.set(next.subarray(b * len, b * len + len), j * (len + 1) + 1);
  }
  return out;
}

function mul(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k]!;
      if (x !== 0) for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += x * b.data[k * b.cols + j]!;
    }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** R (p×r0) times core (r0×nk×r1) → p×nk×r1 */
function mulLeft(R: Matrix, core: Float64Array, nk: number, r1: number): Float64Array {
  return mul(R, { rows: R.cols, cols: nk * r1, data: core }).data;
}

/** core (rows×r1) times R (r1×q) */
function mulRight(core: Float64Array, rows: number, R: Matrix): Float64Array {
  return mul({ rows, cols: R.rows, data: core }, R).data;
}

function transposeData(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}

function relativeChange(a: TensorTrain, b: TensorTrain): number {
  // compare on a fixed random sample (cheap, no rank-squared inner products needed)
  const d = a.shape.length;
  const rng = new Rng(12345);
  const m = 200;
  const pts = new Int32Array(m * d);
  for (let i = 0; i < pts.length; i++) pts[i] = rng.int(a.shape[i % d]!);
  let num = 0;
  let den = 0;
  const ya = evalTT(a, pts, m);
  const yb = evalTT(b, pts, m);
  for (let i = 0; i < m; i++) {
    num += (ya[i]! - yb[i]!) ** 2;
    den += yb[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, Number.MIN_VALUE));
}
