import { ArgumentError, BudgetError, checkInt, checkNumber, checkObject, Rng, type Seed } from '@tenzo/core';
import { BlackBox, type BlackBoxSource } from '../blackbox/blackBox.js';
import { balancedTree } from '../ht/dimensionTree.js';
import { type HTensor, htEvaluate } from '../ht/hTensor.js';
import { HtbbState } from './htbbState.js';
import { htbbWalk } from './walk.js';

/**
 * Options of `htbbApprox`: the grid (d, n), initial and maximum ranks, sweeps, the seed and root
 * permutation, the budget of unique evaluations, the validation policy that stops rank growth (held-out
 * points, patience, minimum gain, settle) and a progress callback.
 */
export interface HtbbApproxOptions {
  /** number of dimensions (≥ 2) */
  d: number;
  /** grid size: one for all dimensions or one per dimension */
  n: number | ArrayLike<number>;
  /** initial rank of every node (default 2) */
  r0?: number;
  /** sweeps of the walk: it stops when every node has been visited this many times (default 100) */
  sweeps?: number;
  seed?: Seed;
  /** randomly permute the dimensions at the root (default true, as the reference does) */
  permute?: boolean;
  /**
   * stop after this many unique evaluations (default: no limit; a BlackBox passed in brings its
   * own budget instead): the run then returns the interpolant with the smallest validation error
   * built so far (`stoppedBy: 'budget'`); a budget too small for the validation points and one
   * interpolant is a BudgetError
   */
  budget?: number;
  /** no up or down index set grows beyond this many rows (default 12; Infinity: no cap, as the reference) */
  maxRank?: number;
  /**
   * held-out random grid points (evaluated once, counted as evaluations) on which the interpolant
   * is checked at the end of every sweep (default 64; 0 turns the validation policy off)
   */
  validation?: number;
  /**
   * sweeps without the validation error falling by `minGain` after which rank growth stops: no
   * set grows beyond the largest rank reached by then (default 3)
   */
  patience?: number;
  /**
   * once rank growth has stopped, the walk may spend at most this multiple of the evaluations
   * made until then (default 1; Infinity: no limit): the ranks are bounded, the sets still move
   */
  settle?: number;
  /** the relative fall of the validation error that counts as progress (default 0.25: 25 %) */
  minGain?: number;
  /** progress callback after every batch of black-box values */
  onProgress?: (info: { sweep: number; evaluations: number }) => void;
}

/**
 * What `htbbApprox` returns: the HT interpolant, the unique evaluations and requests it made, sweeps and
 * updates, why it stopped, its relative error on the validation points, when rank growth stopped, and the
 * black box with its cache.
 */
export interface HtbbApproxResult {
  /** the HT interpolant (every core consistent with its children's final index sets) */
  ht: HTensor;
  /** unique black-box evaluations (validation points included) */
  evaluations: number;
  /** rows requested from the black box (cached or not) */
  requests: number;
  /** sweeps completed */
  sweeps: number;
  /** local updates performed */
  updates: number;
  /**
   * why the walk ended: all `sweeps` done, the evaluations allowed after rank growth stopped
   * (`settle`) were spent, or the budget ran out (the returned interpolant is then the best one
   * built before)
   */
  stoppedBy: 'sweeps' | 'settled' | 'budget';
  /** true when the evaluation budget ended the run (`stoppedBy === 'budget'`) */
  budgetExhausted: boolean;
  /** relative L2 error of `ht` on the validation points (null without validation) */
  validationError: number | null;
  /** the sweep after which rank growth stopped (null: it never did) */
  growthStoppedAt: number | null;
  /**
   * the validation error of the interpolant at the end of each sweep, then of the final one
   * (empty without validation): the convergence curve the returned interpolant was chosen from
   */
  validationHistory: number[];
  /** the black box with its cache (e.g. to reuse the evaluated points) */
  box: BlackBox;
}

/** ‖y − ŷ‖₂ / ‖y‖₂ of two equal-length value arrays (‖y − ŷ‖₂ when y = 0) */
export function relativeError(y: ArrayLike<number>, yh: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    num += (y[i]! - yh[i]!) ** 2;
    den += y[i]! ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}

/**
 * HTBB approximation (Ryzhakov, Chertkov, Basharin, Oseledets, arXiv 2402.02890): builds an HT
 * interpolant of a black box f(i_1..i_d) on a grid from nested up/down index sets, updated by
 * maxvol on column-pivoted-QR bases of candidates×columns blocks of f (HTBB.md §1–§4), walking
 * the tree least-visited-first for `sweeps` sweeps, then a bottom-up finalisation pass with rank
 * growth off so each core matches its children's final sets. Every local update is one batched
 * call of f; only unique points count as evaluations.
 *
 * Bounded cost (the reference has none of these): ranks are capped at `maxRank`; at the end of
 * every sweep the interpolant the run would return is checked on `validation` held-out points;
 * ranks grow only while that error keeps falling (by `minGain` within `patience` sweeps), after
 * which the walk may spend at most `settle` × the evaluations made so far; with a `budget` the
 * run ends when it is spent and returns the interpolant with the smallest validation error so far
 * (`budgetExhausted`) instead of throwing; a run that ends otherwise returns its final interpolant
 * unless an earlier sweep's was better on the validation points by 1 % (and more than rounding).
 * `{ maxRank: Infinity, validation: 0 }` is the
 * reference's unbounded policy, step for step.
 */
export async function htbbApprox(
  f: BlackBoxSource | BlackBox,
  options: HtbbApproxOptions,
): Promise<HtbbApproxResult> {
  checkObject('htbbApprox: options', options);
  const d = checkInt('htbbApprox: options.d', options.d, { min: 2 });
  const r0 = checkInt('htbbApprox: options.r0', options.r0 ?? 2, { positive: true });
  const sweeps = checkInt('htbbApprox: options.sweeps', options.sweeps ?? 100);
  const maxRank =
    options.maxRank === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : checkInt('htbbApprox: options.maxRank', options.maxRank ?? 12, { min: Math.max(r0, 2) });
  const nval = checkInt('htbbApprox: options.validation', options.validation ?? 64, { max: 2 ** 20 });
  const patience = checkInt('htbbApprox: options.patience', options.patience ?? 3, { positive: true });
  const settle =
    options.settle === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : checkNumber('htbbApprox: options.settle', options.settle ?? 1, { min: 0 });
  const minGain = checkNumber('htbbApprox: options.minGain', options.minGain ?? 0.25, { min: 0, max: 1 });
  const rng = new Rng(options.seed ?? 0);
  const box =
    f instanceof BlackBox
      ? f
      : new BlackBox(f, {
          n: options.n,
          d,
          ...(options.budget !== undefined ? { budget: options.budget } : {}),
        });
  if (box.d !== d) throw new ArgumentError(`htbbApprox: the black box has d = ${box.d}, options.d = ${d}`);
  const evals0 = box.evaluations;
  // a BlackBox passed in brings its own budget (options.budget sizes the one made here)
  const limit = box.remaining;
  const budgeted = Number.isFinite(limit);
  // the validation points come from a jumped copy of the run's generator: the walk's draws are
  // the same with or without validation
  const vrng = rng.clone().jump();
  const tree = balancedTree(d, options.permute === false ? undefined : rng.permutation(d));
  const state = new HtbbState(tree, box, r0, rng, budgeted);
  state.maxRank = maxRank;
  if (options.onProgress) {
    const cb = options.onProgress;
    state.onBatch = () => cb({ sweep: state.minCount, evaluations: box.evaluations - evals0 });
  }
  let vpts: Int32Array | null = null;
  let vy: Float64Array | null = null;
  if (nval > 0) {
    vpts = new Int32Array(nval * d);
    for (let i = 0; i < nval; i++) for (let k = 0; k < d; k++) vpts[i * d + k] = vrng.int(box.shape[k]!);
    if (nval > limit)
      throw new BudgetError(`htbbApprox: the budget ${limit} does not cover the ${nval} validation points`);
    vy = await box.evaluate(vpts, nval);
  }
  const validate = (ht: HTensor) => (vpts === null ? null : relativeError(vy!, htEvaluate(ht, vpts, nval)));
  let best: { ht: HTensor; err: number | null } | null = null;
  let bestErr = Number.POSITIVE_INFINITY;
  let stale = 0;
  let growthStoppedAt: number | null = null;
  let settleLimit = Number.POSITIVE_INFINITY;
  let seen = 0;
  let settled = false;
  const validationHistory: number[] = [];
  // at the end of every sweep (validation or a budget): the interpolant the run would return now
  const endOfSweep = async (): Promise<void> => {
    const ht = await state.snapshot();
    if (ht === null) return;
    const err = validate(ht);
    if (err === null) {
      best = { ht, err };
      return;
    }
    validationHistory.push(err);
    if (best === null || best.err === null || err <= best.err) best = { ht, err };
    if (err < (1 - minGain) * bestErr) {
      stale = 0;
    } else if (++stale >= patience && growthStoppedAt === null) {
      // no set grows beyond the largest rank reached (a set below it may still grow by one and
      // shrink back, which is how the walk keeps exploring)
      state.maxRank = Math.min(state.maxRank, state.largestRank());
      growthStoppedAt = state.minCount;
      settleLimit = box.evaluations + settle * (box.evaluations - evals0);
    }
    bestErr = Math.min(bestErr, err);
  };
  const perSweep = vpts !== null || budgeted;
  await htbbWalk(state, async () => {
    if (state.exhausted) return true;
    if (perSweep && state.minCount > seen) {
      seen = state.minCount;
      if (seen < sweeps) await endOfSweep();
    }
    if (box.evaluations >= settleLimit) settled = true;
    return state.minCount >= sweeps || settled || state.exhausted;
  });
  let stoppedBy: HtbbApproxResult['stoppedBy'] = settled ? 'settled' : 'sweeps';
  if (!state.exhausted) {
    // finalisation: bottom-up update_up with square maxvol, so B_t is consistent with U_L × U_R
    if ((await state.finalize()) && !state.exhausted) {
      const ht = await state.toHTensor().catch((err: unknown) => {
        if (state.exhausted) return null;
        throw err;
      });
      // a run that was not cut short returns its final interpolant, as the reference does —
      // unless an earlier sweep's interpolant did clearly better on the validation points (the
      // walk's error is not monotone in the sweeps: model selection on held-out points). Clearly:
      // by 1 % and by more than rounding, so interpolants exact to rounding keep the final one
      if (ht !== null) {
        const err = validate(ht);
        if (err !== null) validationHistory.push(err);
        const prev = best as { ht: HTensor; err: number | null } | null;
        if (err === null || prev === null || prev.err === null || !(prev.err < 0.99 * err - 1e-12))
          best = { ht, err };
      }
    }
  }
  if (state.exhausted) stoppedBy = 'budget';
  const chosen = best as { ht: HTensor; err: number | null } | null;
  if (chosen === null)
    throw new BudgetError(
      `htbbApprox: the budget ${limit} ran out before the first sweep's interpolant was built`,
    );
  return {
    ht: chosen.ht,
    evaluations: box.evaluations - evals0,
    requests: box.requests,
    sweeps: state.minCount,
    updates: state.updates,
    stoppedBy,
    budgetExhausted: stoppedBy === 'budget',
    validationError: chosen.err,
    growthStoppedAt,
    validationHistory,
    box,
  };
}
