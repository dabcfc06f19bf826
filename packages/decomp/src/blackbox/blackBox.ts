import {
  ArgumentError,
  BudgetError,
  checkInt,
  checkNumbers,
  describeValue,
  NonFiniteError,
  OutOfRangeError,
  ShapeError,
} from '@tenzo/core';
import { type EngineBatchFunction, type EvaluationEngine, inProcessEngine } from '@tenzo/engines';

/**
 * A batched black box on a grid: `points` holds `count` multi-indices row-major (count×d), the
 * result one value per row. May be async (hardware, remote devices, worker pools).
 */
export type BatchFunction = (
  points: Int32Array,
  count: number,
  d: number,
) => Float64Array | Promise<Float64Array>;

/**
 * Options of a {@link BlackBox}: the grid (n per dimension, and d when n is one number) and the budget of
 * unique evaluations.
 */
export interface BlackBoxOptions {
  /** grid size per dimension: one number for all, or d numbers */
  n: number | ArrayLike<number>;
  /** number of dimensions d (needed when n is one number) */
  d?: number;
  /** maximum number of unique evaluations (default: unlimited) */
  budget?: number;
}

/** The smallest value a {@link BlackBox} has seen: its grid multi-index (length d) and the value there. */
export interface BestPoint {
  /** the multi-index (length d) */
  index: Int32Array;
  value: number;
}

/**
 * What `BlackBox.tryEvaluate` returns: a value per requested row (NaN where the budget ran out first) and
 * whether the whole batch was evaluated.
 */
export interface TryEvaluateResult {
  /** one value per requested row; NaN where the budget ran out before the row was evaluated */
  values: Float64Array;
  /** false when the budget ran out inside this batch */
  complete: boolean;
}

const EMPTY = -1;

/**
 * What a BlackBox evaluates: a batched function, called in this thread, or an evaluation engine
 * (`@tenzo/engines`: worker threads, BullMQ workers on other machines) that returns the same values.
 */
export type BlackBoxSource = BatchFunction | EvaluationEngine;

/**
 * Wraps a batched function or an evaluation engine with a unique-point cache, an evaluation budget and counters. Only
 * unique multi-indices count as evaluations (HTBB.md §1); repeated rows, inside a batch or across
 * batches, are answered from the cache. The cache is a chained hash table over an Int32Array
 * pool of the evaluated rows (rows are compared in full on a hash match, so a collision can never
 * return a wrong value). Only the new unique rows of a batch reach the function or engine, as one
 * `evaluate` call, so the count and the cache are the same on every engine.
 */
/** most dimensions a black box takes (its point pool holds 1024·d indices) */
const MAX_D = 1 << 20;

/**
 * A budgeted, cached black box on a d-dimensional grid: evaluates batches of multi-indices through a
 * batched function or an evaluation engine, counts each unique point once, keeps the best point seen and
 * refuses to exceed its budget (a `BudgetError`, or partial results from `tryEvaluate`).
 */
export class BlackBox {
  readonly d: number;
  /** grid size per dimension */
  readonly shape: Int32Array;
  readonly budget: number;
  /** unique points evaluated */
  evaluations = 0;
  /** rows requested in total (cached or not) */
  requests = 0;
  /** rows answered from the cache */
  cacheHits = 0;
  /** calls of the wrapped function */
  batches = 0;

  /** where the new points of each batch are evaluated */
  readonly engine: EvaluationEngine;
  private pool: Int32Array;
  private vals: Float64Array;
  private next: Int32Array;
  private readonly heads = new Map<number, number>();
  private size = 0;
  private minSlot = EMPTY;
  private maxSlot = EMPTY;

  constructor(fn: BlackBoxSource, options: BlackBoxOptions) {
    if (typeof fn === 'function') this.engine = inProcessEngine(fn as EngineBatchFunction);
    else if (fn !== null && typeof fn === 'object' && typeof fn.evaluate === 'function') this.engine = fn;
    else throw new ArgumentError(`BlackBox: fn must be a function or an evaluation engine, got ${typeof fn}`);
    if (typeof options !== 'object' || options === null)
      throw new ArgumentError(`BlackBox: options expected { n, d?, budget? }, got ${describeValue(options)}`);
    if (typeof options.n === 'number') {
      const d = checkInt('BlackBox: options.d', options.d, { positive: true, max: MAX_D });
      const n = checkInt('BlackBox: options.n', options.n, { positive: true });
      this.shape = new Int32Array(d).fill(n);
    } else {
      this.shape = Int32Array.from(checkNumbers('BlackBox: options.n', options.n, { minLength: 1 }));
      checkInt('BlackBox: d', this.shape.length, { max: MAX_D });
      for (let k = 0; k < this.shape.length; k++)
        checkInt(`BlackBox: options.n[${k}]`, (options.n as ArrayLike<number>)[k], {
          positive: true,
          max: 2 ** 31 - 1,
        });
      for (let k = 0; k < this.shape.length; k++)
        checkInt(`BlackBox: options.n[${k}]`, this.shape[k], { positive: true });
      if (options.d !== undefined && options.d !== this.shape.length) {
        throw new ShapeError(
          `BlackBox: options.d = ${options.d} but options.n has ${this.shape.length} entries`,
        );
      }
    }
    this.d = this.shape.length;
    if (this.d === 0) throw new ShapeError('BlackBox: d must be at least 1');
    this.budget =
      options.budget === undefined
        ? Number.POSITIVE_INFINITY
        : checkInt('BlackBox: options.budget', options.budget);
    const cap = 1024;
    this.pool = new Int32Array(cap * this.d);
    this.vals = new Float64Array(cap);
    this.next = new Int32Array(cap);
  }

  /** evaluations left before the budget is exhausted */
  get remaining(): number {
    return this.budget - this.evaluations;
  }

  /** the smallest value evaluated so far, or null */
  bestMin(): BestPoint | null {
    return this.slotPoint(this.minSlot);
  }

  /** the largest value evaluated so far, or null */
  bestMax(): BestPoint | null {
    return this.slotPoint(this.maxSlot);
  }

  /** the cached value at one multi-index, or undefined */
  lookup(index: ArrayLike<number>): number | undefined {
    const raw = checkNumbers('BlackBox.lookup: index', index);
    // a fractional index would be truncated onto another grid point
    for (let k = 0; k < raw.length; k++)
      checkInt(`BlackBox.lookup: index[${k}]`, raw[k], { min: -(2 ** 31), max: 2 ** 31 - 1 });
    const row = Int32Array.from(raw);
    if (row.length !== this.d)
      throw new ShapeError(`BlackBox.lookup: index must have length ${this.d}, got ${row.length}`);
    const s = this.find(row, 0, this.hash(row, 0));
    return s === EMPTY ? undefined : this.vals[s];
  }

  /**
   * Values at `count` multi-indices (row-major count×d). Throws BudgetError, evaluating nothing,
   * when the batch holds more new unique points than the budget has left.
   */
  async evaluate(points: Int32Array, count?: number): Promise<Float64Array> {
    const r = await this.run('evaluate', points, count, false);
    return r.values;
  }

  /**
   * Like `evaluate`, but when the budget runs out inside the batch it evaluates the new points
   * in row order up to the budget and returns NaN for the rest (`complete: false`).
   */
  tryEvaluate(points: Int32Array, count?: number): Promise<TryEvaluateResult> {
    return this.run('tryEvaluate', points, count, true);
  }

  private async run(
    op: string,
    points: Int32Array,
    countArg: number | undefined,
    partial: boolean,
  ): Promise<TryEvaluateResult> {
    const d = this.d;
    if (!(points instanceof Int32Array))
      throw new ArgumentError(`BlackBox.${op}: points must be an Int32Array, got ${describeValue(points)}`);
    // default: every row of points (computed after the check: junk has no length)
    const count = checkInt(`BlackBox.${op}: count`, countArg ?? points.length / d);
    if (points.length < count * d) {
      throw new ShapeError(
        `BlackBox.${op}: points must hold count·d = ${count * d} entries, got ${points.length}`,
      );
    }
    const values = new Float64Array(count);
    // slot per row; new unique rows are inserted (pending) so duplicates inside the batch hit them
    const slots = new Int32Array(count);
    const firstNew = this.size;
    let allowed = partial ? Math.max(0, this.remaining) : Number.POSITIVE_INFINITY;
    let complete = true;
    // rows answered without a new evaluation (cached before, or repeated inside this batch)
    let hits = 0;
    for (let i = 0; i < count; i++) {
      const off = i * d;
      for (let k = 0; k < d; k++) {
        const v = points[off + k]!;
        if (v < 0 || v >= this.shape[k]!) {
          this.rollback(firstNew);
          throw new OutOfRangeError(
            `BlackBox.${op}: points[${i}][${k}] must be in [0, ${this.shape[k]! - 1}], got ${v}`,
          );
        }
      }
      const h = this.hash(points, off);
      let s = this.find(points, off, h);
      if (s === EMPTY) {
        if (allowed <= 0) {
          complete = false;
          slots[i] = EMPTY;
          continue;
        }
        s = this.insert(points, off, h);
        allowed--;
      } else hits++;
      slots[i] = s;
    }
    const fresh = this.size - firstNew;
    if (!partial && fresh > this.remaining) {
      this.rollback(firstNew);
      throw new BudgetError(
        `BlackBox.${op}: the batch needs ${fresh} new evaluations but only ${this.remaining} of the budget ${this.budget} are left`,
      );
    }
    if (fresh > 0) {
      const batch = this.pool.slice(firstNew * d, this.size * d);
      let ys: Float64Array;
      try {
        ys = await this.engine.evaluate(batch, fresh, d);
      } catch (err) {
        this.rollback(firstNew);
        throw err;
      }
      if (!(ys instanceof Float64Array) || ys.length !== fresh) {
        this.rollback(firstNew);
        throw new ShapeError(`BlackBox.${op}: the function must return a Float64Array of length ${fresh}`);
      }
      for (let j = 0; j < fresh; j++) {
        if (!Number.isFinite(ys[j]!)) {
          this.rollback(firstNew);
          throw new NonFiniteError(`BlackBox.${op}: the function returned ${ys[j]} for a point of the batch`);
        }
      }
      this.vals.set(ys, firstNew);
      for (let j = firstNew; j < this.size; j++) {
        const y = this.vals[j]!;
        if (this.minSlot === EMPTY || y < this.vals[this.minSlot]!) this.minSlot = j;
        if (this.maxSlot === EMPTY || y > this.vals[this.maxSlot]!) this.maxSlot = j;
      }
      this.evaluations += fresh;
      this.batches++;
    }
    for (let i = 0; i < count; i++) values[i] = slots[i] === EMPTY ? Number.NaN : this.vals[slots[i]!]!;
    this.requests += count;
    this.cacheHits += hits;
    return { values, complete };
  }

  private slotPoint(s: number): BestPoint | null {
    if (s === EMPTY) return null;
    return { index: this.pool.slice(s * this.d, (s + 1) * this.d), value: this.vals[s]! };
  }

  /** 52-bit hash of a row from two 32-bit multiplicative lanes */
  private hash(a: Int32Array, off: number): number {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x01000193 | 0;
    for (let k = 0; k < this.d; k++) {
      const v = a[off + k]!;
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 + v + 0x9e3779b9, 0x85ebca6b) ^ (h2 >>> 13);
    }
    return (h1 >>> 0) * 1048576 + (h2 >>> 12);
  }

  private find(a: Int32Array, off: number, h: number): number {
    const d = this.d;
    let s = this.heads.get(h) ?? EMPTY;
    while (s !== EMPTY) {
      const base = s * d;
      let k = 0;
      while (k < d && this.pool[base + k] === a[off + k]) k++;
      if (k === d) return s;
      s = this.next[s]!;
    }
    return EMPTY;
  }

  private insert(a: Int32Array, off: number, h: number): number {
    const d = this.d;
    if (this.size === this.vals.length) {
      const cap = this.vals.length * 2;
      const pool = new Int32Array(cap * d);
      pool.set(this.pool);
      this.pool = pool;
      const vals = new Float64Array(cap);
      vals.set(this.vals);
      this.vals = vals;
      const next = new Int32Array(cap);
      next.set(this.next);
      this.next = next;
    }
    const s = this.size++;
    this.pool.set(a.subarray(off, off + d), s * d);
    this.next[s] = this.heads.get(h) ?? EMPTY;
    this.heads.set(h, s);
    this.hashes.push(h);
    return s;
  }

  private readonly hashes: number[] = [];

  /** removes the slots inserted since `size0` (newest first: they head their chains) */
  private rollback(size0: number): void {
    for (let s = this.size - 1; s >= size0; s--) {
      const h = this.hashes[s]!;
      const nx = this.next[s]!;
      if (nx === EMPTY) this.heads.delete(h);
      else this.heads.set(h, nx);
    }
    this.hashes.length = size0;
    this.size = size0;
  }
}
