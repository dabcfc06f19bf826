import { ArgumentError, BudgetError, checkInt, Rng, type Seed } from '@tenzo/core';
import { type BatchFunction, BlackBox } from '../blackbox/blackBox.js';
import type { HtbbOptimizeResult, TracePoint } from '../htbb/htbbOptimize.js';
import { ttCross } from '../tt/ttCross.js';

export interface BaselineOptions {
  d: number;
  n: number | ArrayLike<number>;
  /** unique evaluations allowed (default 10⁴) */
  budget?: number;
  seed?: Seed;
}

/** What the baselines return: HTBB's result shape without sweeps. */
export type BaselineResult = Omit<HtbbOptimizeResult, 'sweeps'>;

function setup(op: string, f: BatchFunction | BlackBox, options: BaselineOptions) {
  const d = checkInt(`${op}: options.d`, options.d, { min: 1 });
  const budget = checkInt(`${op}: options.budget`, options.budget ?? 10_000, { positive: true });
  const box = f instanceof BlackBox ? f : new BlackBox(f, { n: options.n, d, budget });
  if (box.d !== d) throw new ArgumentError(`${op}: the black box has d = ${box.d}, options.d = ${d}`);
  return { d, budget: Math.min(budget, box.remaining), box, rng: new Rng(options.seed ?? 0) };
}

function tracker(box: BlackBox) {
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

/** Uniform random search over the grid, in batches of 100 (minimisation). */
export async function randomSearchMinimize(
  f: BatchFunction | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { d, budget, box, rng } = setup('randomSearchMinimize', f, options);
  const t = tracker(box);
  const e0 = box.evaluations;
  let misses = 0;
  while (box.evaluations - e0 < budget && misses < 100) {
    const m = Math.min(100, budget - (box.evaluations - e0));
    const pts = new Int32Array(m * d);
    for (let i = 0; i < pts.length; i++) pts[i] = rng.int(box.shape[i % d]!);
    const before = box.evaluations;
    await box.tryEvaluate(pts, m);
    misses = box.evaluations === before ? misses + 1 : 0;
    t.note();
  }
  return t.result('budget');
}

/**
 * (1+1) evolution strategy on the grid (minimisation): start at the centre index ⌊n/2⌋ of every
 * dimension (as nevergrad's discrete OnePlusOne on TransitionChoice does), mutate each
 * coordinate with probability 1/d (at least one) to a uniformly drawn other value, keep the
 * child when it is not worse.
 */
export async function onePlusOneMinimize(
  f: BatchFunction | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { d, budget, box, rng } = setup('onePlusOneMinimize', f, options);
  const t = tracker(box);
  const e0 = box.evaluations;
  const parent = Int32Array.from(box.shape, (n) => Math.floor(n / 2));
  let fp = (await box.evaluate(parent, 1))[0]!;
  t.note();
  let stale = 0;
  while (box.evaluations - e0 < budget && stale < 50 * budget) {
    const child = parent.slice();
    let changed = 0;
    for (let k = 0; k < d; k++) {
      if (box.shape[k]! > 1 && rng.uniform() < 1 / d) {
        child[k] = (child[k]! + 1 + rng.int(box.shape[k]! - 1)) % box.shape[k]!;
        changed++;
      }
    }
    if (changed === 0) {
      const k = rng.int(d);
      if (box.shape[k]! > 1) child[k] = (child[k]! + 1 + rng.int(box.shape[k]! - 1)) % box.shape[k]!;
    }
    const before = box.evaluations;
    const fc = (await box.evaluate(child, 1))[0]!;
    stale = box.evaluations === before ? stale + 1 : 0;
    if (fc <= fp) {
      parent.set(child);
      fp = fc;
    }
    t.note();
  }
  return t.result('budget');
}

/**
 * TT-cross used as an optimiser (minimisation): run `ttCross` until the budget is spent and return
 * the best point it evaluated — the cross's maxvol index sets gravitate to large-modulus entries.
 */
export async function ttCrossMinimize(
  f: BatchFunction | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { d, budget, box } = setup('ttCrossMinimize', f, options);
  const t = tracker(box);
  try {
    await ttCross(box, {
      d,
      n: box.shape,
      budget,
      sweeps: 1_000_000,
      seed: options.seed ?? 0,
      onStep: () => t.note(),
    });
  } catch (err) {
    // as an optimiser only the evaluated points count: a budget spent inside the first sweep is fine
    if (!(err instanceof BudgetError)) throw err;
  }
  t.note();
  return t.result('budget');
}
