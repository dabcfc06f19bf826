import { BudgetError } from '@tenzo/core';
import type { BlackBox, BlackBoxSource } from '../blackbox/blackBox.js';
import { ttCross } from '../tt/ttCross.js';
import { type BaselineOptions, type BaselineResult, baselineTracker, setupBaseline } from './driver.js';

/** Uniform random search over the grid, in batches of 100 (minimisation). */
export async function randomSearchMinimize(
  f: BlackBoxSource | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { d, budget, box, rng } = setupBaseline('randomSearchMinimize', f, options);
  const t = baselineTracker(box);
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
  f: BlackBoxSource | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { d, budget, box, rng } = setupBaseline('onePlusOneMinimize', f, options);
  const t = baselineTracker(box);
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
  f: BlackBoxSource | BlackBox,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const { d, budget, box } = setupBaseline('ttCrossMinimize', f, options);
  const t = baselineTracker(box);
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
