import { ArgumentError, checkInt, Rng, type Seed } from '@tenzo/core';
import { BlackBox, type BlackBoxSource } from '../blackbox/blackBox.js';
import { balancedTree } from '../ht/dimensionTree.js';
import { HtbbState, type MatrixTransform } from './htbbState.js';
import { htbbWalk } from './walk.js';

/**
 * Options of `htbbMinimize`: the grid (d, n), the budget of unique evaluations, the initial rank, the
 * seed, the cache-hit limit, root permutation and a progress callback.
 */
export interface HtbbOptimizeOptions {
  /** number of dimensions (≥ 2) */
  d: number;
  /** grid size: one for all dimensions or one per dimension */
  n: number | ArrayLike<number>;
  /** unique black-box evaluations allowed (default 10⁴) */
  budget?: number;
  /** initial rank of every node (default 2) */
  r0?: number;
  seed?: Seed;
  /** also stop once this many requests were answered from the cache (default 5 × budget) */
  maxCacheHits?: number;
  /** randomly permute the dimensions at the root (default true, as the reference's optimiser: random_split) */
  permute?: boolean;
  /** progress callback after every batch of black-box values */
  onProgress?: (info: { evaluations: number; best: number }) => void;
}

/** One point of an optimisation trace: unique evaluations so far and the best value so far. */
export interface TracePoint {
  /** unique evaluations so far */
  evaluations: number;
  /** best value so far */
  value: number;
}

/**
 * What `htbbMinimize` returns: the best multi-index and its value, the unique evaluations spent, the
 * best-so-far trace, the sweeps completed and why it stopped.
 */
export interface HtbbOptimizeResult {
  /** the best multi-index found */
  index: Int32Array;
  /** f at `index` */
  value: number;
  /** unique evaluations spent */
  evaluations: number;
  /** best value so far after every batch that changed it (evaluations ascending) */
  trace: TracePoint[];
  /** sweeps completed */
  sweeps: number;
  /** why the walk stopped */
  stoppedBy: 'budget' | 'cacheHits';
}

/**
 * Exp-normalisation of a block before QR/maxvol (HTBB.md §5): centre, scale by the standard
 * deviation when it exceeds 1e-6, negate for minimisation, exponentiate — so maxvol, which seeks
 * large entries, is drawn towards the optimum.
 */
export function expNormalize(minimize: boolean): MatrixTransform {
  return (a) => {
    const m = a.length;
    let mean = 0;
    for (let i = 0; i < m; i++) mean += a[i]!;
    mean /= m;
    let v = 0;
    for (let i = 0; i < m; i++) v += (a[i]! - mean) ** 2;
    const std = Math.sqrt(v / m);
    const scale = std > 1e-6 ? 1 / std : 1;
    const sign = minimize ? -1 : 1;
    for (let i = 0; i < m; i++) a[i] = Math.exp(sign * (a[i]! - mean) * scale);
  };
}

async function htbbOptimize(
  op: string,
  minimize: boolean,
  f: BlackBoxSource | BlackBox,
  options: HtbbOptimizeOptions,
): Promise<HtbbOptimizeResult> {
  const d = checkInt(`${op}: options.d`, options.d, { min: 2 });
  const r0 = checkInt(`${op}: options.r0`, options.r0 ?? 2, { positive: true });
  const budget = checkInt(`${op}: options.budget`, options.budget ?? 10_000, { positive: true });
  const maxHits = checkInt(`${op}: options.maxCacheHits`, options.maxCacheHits ?? 5 * budget);
  const rng = new Rng(options.seed ?? 0);
  const box = f instanceof BlackBox ? f : new BlackBox(f, { n: options.n, d, budget });
  if (box.d !== d) throw new ArgumentError(`${op}: the black box has d = ${box.d}, options.d = ${d}`);
  const limit = Math.min(budget, box.budget);
  const tree = balancedTree(d, options.permute === false ? undefined : rng.permutation(d));
  const state = new HtbbState(tree, box, r0, rng, true);
  state.transform = expNormalize(minimize);
  const trace: TracePoint[] = [];
  const best = () => (minimize ? box.bestMin() : box.bestMax());
  const hits0 = box.cacheHits;
  const evals0 = box.evaluations;
  state.onBatch = () => {
    const b = best();
    if (b === null) return;
    const last = trace[trace.length - 1];
    if (last === undefined || last.value !== b.value)
      trace.push({ evaluations: box.evaluations - evals0, value: b.value });
    options.onProgress?.({ evaluations: box.evaluations - evals0, best: b.value });
  };
  await htbbWalk(
    state,
    () => state.exhausted || box.evaluations - evals0 >= limit || box.cacheHits - hits0 >= maxHits,
  );
  const b = best();
  if (b === null) throw new ArgumentError(`${op}: no point was evaluated (budget ${limit})`);
  const stoppedBy = box.cacheHits - hits0 >= maxHits && !state.exhausted ? 'cacheHits' : 'budget';
  return {
    index: b.index,
    value: b.value,
    evaluations: box.evaluations - evals0,
    trace,
    sweeps: state.minCount,
    stoppedBy,
  };
}

/**
 * HTBB minimisation (HTBB.md §5): the approximation's tree (random permutation at the root) and
 * walk without finalisation, on exp-normalised blocks, until the budget of unique evaluations is spent or the
 * cache has answered 5 × budget requests; returns the best evaluated point and a best-so-far trace.
 */
export function htbbMinimize(
  f: BlackBoxSource | BlackBox,
  options: HtbbOptimizeOptions,
): Promise<HtbbOptimizeResult> {
  return htbbOptimize('htbbMinimize', true, f, options);
}

/** HTBB maximisation: as `htbbMinimize` with the sign of the normalisation flipped. */
export function htbbMaximize(
  f: BlackBoxSource | BlackBox,
  options: HtbbOptimizeOptions,
): Promise<HtbbOptimizeResult> {
  return htbbOptimize('htbbMaximize', false, f, options);
}
