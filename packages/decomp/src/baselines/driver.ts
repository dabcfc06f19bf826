import { ArgumentError, checkInt, checkObject, describeValue, Rng, type Seed } from '@tenzo/core';
import { BlackBox, type BlackBoxSource } from '../blackbox/blackBox.js';
import type { HtbbOptimizeResult, TracePoint } from '../htbb/htbbOptimize.js';

/**
 * What every black-box baseline (TTOpt, PROTES, nevergrad ports …) is given: d dimensions with n grid
 * points each, the budget of unique evaluations, the seed, and the cache-hit limit that stops an optimiser
 * asking for known points.
 */
export interface BaselineOptions {
  d: number;
  n: number | ArrayLike<number>;
  /** unique evaluations allowed (default 10⁴) */
  budget?: number;
  seed?: Seed;
  /**
   * ask/tell optimisers also stop once this many requested rows were answered from the cache
   * (default 5 × budget, HTBB's rule): a converged optimiser may keep asking for known points
   */
  maxCacheHits?: number;
}

/** What the baselines return: HTBB's result shape without sweeps. */
export type BaselineResult = Omit<HtbbOptimizeResult, 'sweeps'>;

/**
 * An ask/tell optimiser on the integer grid n_0×…×n_{d−1} (minimisation). `ask()` returns the
 * next batch of multi-indices, count×d row-major (count = length / d; an empty batch means the
 * method has nothing more to ask); `tell(values)` takes their values in row order. The caller owns
 * the evaluation — a `BlackBox` with its cache and budget, on any engine — so one optimiser runs
 * unchanged in-process, on worker threads or on BullMQ workers.
 */
export interface GridOptimizer {
  readonly d: number;
  /** The next rows of grid multi-indices to evaluate (count × d, row-major). */
  ask(): Int32Array;
  /** The black box's values at the rows of the last `ask`, in order. */
  tell(values: Float64Array): void;
}

/** The black box, budget and seeded generator of one baseline run (shared option checks). */
export function setupBaseline(op: string, f: BlackBoxSource | BlackBox, options: BaselineOptions) {
  checkObject(`${op}: options`, options);
  const d = checkInt(`${op}: options.d`, options.d, { min: 1 });
  const budget = checkInt(`${op}: options.budget`, options.budget ?? 10_000, { positive: true });
  const maxCacheHits = checkInt(`${op}: options.maxCacheHits`, options.maxCacheHits ?? 5 * budget);
  const box = f instanceof BlackBox ? f : new BlackBox(f, { n: options.n, d, budget });
  if (box.d !== d) throw new ArgumentError(`${op}: the black box has d = ${box.d}, options.d = ${d}`);
  const rng = new Rng(options.seed ?? 0);
  return { d, budget: Math.min(budget, box.remaining), maxCacheHits, box, rng };
}

/** An optional boolean option (`fallback` when undefined). */
export function checkFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ArgumentError(`${name}: expected a boolean, got ${describeValue(value)}`);
  return value;
}

/** Best-so-far trace and result of a run on `box` (only what this run evaluated is counted). */
export function baselineTracker(box: BlackBox) {
  const trace: TracePoint[] = [];
  const e0 = box.evaluations;
  return {
    trace,
    note() {
      const b = box.bestMin();
      if (b !== null && (trace.length === 0 || trace[trace.length - 1]!.value !== b.value)) {
        trace.push({ evaluations: box.evaluations - e0, value: b.value });
      }
    },
    result(stoppedBy: 'budget' | 'cacheHits'): BaselineResult {
      const b = box.bestMin();
      if (b === null) throw new ArgumentError('baseline: nothing was evaluated');
      return { index: b.index, value: b.value, evaluations: box.evaluations - e0, trace, stoppedBy };
    },
  };
}

/**
 * Drives an ask/tell optimiser on `box` until `budget` unique evaluations are spent (the batch
 * that crosses it is evaluated up to the budget in row order and not told), the optimiser asks
 * for nothing, or `maxCacheHits` requested rows were answered from the cache. Repeated points
 * cost nothing (BlackBox's cache), so the count is exact on every engine.
 */
export async function runGridOptimizer(
  opt: GridOptimizer,
  box: BlackBox,
  budget: number,
  maxCacheHits: number,
): Promise<BaselineResult> {
  const t = baselineTracker(box);
  const e0 = box.evaluations;
  const h0 = box.cacheHits;
  let stoppedBy: 'budget' | 'cacheHits' = 'budget';
  while (box.evaluations - e0 < budget) {
    if (box.cacheHits - h0 >= maxCacheHits) {
      stoppedBy = 'cacheHits';
      break;
    }
    const pts = opt.ask();
    const count = pts.length / opt.d;
    if (count === 0) break;
    const before = box.evaluations;
    const r = await evaluateUpTo(box, pts, count, budget - (box.evaluations - e0));
    // the best can only change with new evaluations (a stalled optimiser asks for known points)
    if (box.evaluations !== before) t.note();
    if (!r.complete) break;
    opt.tell(r.values);
  }
  return t.result(stoppedBy);
}

/**
 * `box.tryEvaluate` limited to `left` new unique points: a box shared with other runs may have a
 * larger budget than this run, so the prefix of the batch that fits is found from the cache first.
 */
async function evaluateUpTo(
  box: BlackBox,
  pts: Int32Array,
  count: number,
  left: number,
): Promise<{ values: Float64Array; complete: boolean }> {
  if (box.remaining <= left) return box.tryEvaluate(pts, count);
  const d = box.d;
  const seen = new Set<string>();
  let rows = 0;
  for (; rows < count; rows++) {
    const row = pts.subarray(rows * d, (rows + 1) * d);
    if (box.lookup(row) !== undefined) continue;
    const key = row.join(',');
    if (seen.has(key)) continue;
    if (seen.size === left) break;
    seen.add(key);
  }
  const values = await box.evaluate(pts.subarray(0, rows * d), rows);
  if (rows === count) return { values, complete: true };
  const out = new Float64Array(count).fill(Number.NaN);
  out.set(values);
  return { values: out, complete: false };
}
