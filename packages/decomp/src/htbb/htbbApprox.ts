import { ArgumentError, checkInt, Rng, type Seed } from '@tenzo/core';
import { BlackBox, type BlackBoxSource } from '../blackbox/blackBox.js';
import { balancedTree } from '../ht/dimensionTree.js';
import type { HTensor } from '../ht/hTensor.js';
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
  /** stop after this many unique evaluations (default: no limit); the budget error is thrown then */
  budget?: number;
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
  /** unique black-box evaluations */
  evaluations: number;
  /** rows requested from the black box (cached or not) */
  requests: number;
  /** sweeps completed */
  sweeps: number;
  /** local updates performed */
  updates: number;
  /** the black box with its cache (e.g. to reuse the evaluated points) */
  box: BlackBox;
}

/**
 * HTBB approximation (Ryzhakov, Chertkov, Basharin, Oseledets, arXiv 2402.02890): builds an HT
 * interpolant of a black box f(i_1..i_d) on a grid from nested up/down index sets, updated by
 * maxvol on column-pivoted-QR bases of candidates×columns blocks of f (HTBB.md §1–§4), walking
 * the tree least-visited-first for `sweeps` sweeps, then a bottom-up finalisation pass with rank
 * growth off so each core matches its children's final sets. Every local update is one batched
 * call of f; only unique points count as evaluations.
 */
export async function htbbApprox(
  f: BlackBoxSource | BlackBox,
  options: HtbbApproxOptions,
): Promise<HtbbApproxResult> {
  const d = checkInt('htbbApprox: options.d', options.d, { min: 2 });
  const r0 = checkInt('htbbApprox: options.r0', options.r0 ?? 2, { positive: true });
  const sweeps = checkInt('htbbApprox: options.sweeps', options.sweeps ?? 100);
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
  const tree = balancedTree(d, options.permute === false ? undefined : rng.permutation(d));
  const state = new HtbbState(tree, box, r0, rng, false);
  if (options.onProgress) {
    const cb = options.onProgress;
    state.onBatch = () => cb({ sweep: state.minCount, evaluations: box.evaluations });
  }
  await htbbWalk(state, () => state.minCount >= sweeps);
  // finalisation: bottom-up update_up with square maxvol, so B_t is consistent with U_L × U_R
  for (const id of tree.postorder) {
    const node = tree.nodes[id]!;
    if (node.parent < 0 || node.dummy) continue;
    await state.updateUp(id, false);
  }
  const ht = await state.toHTensor();
  return {
    ht,
    evaluations: box.evaluations,
    requests: box.requests,
    sweeps: state.minCount,
    updates: state.updates,
    box,
  };
}
