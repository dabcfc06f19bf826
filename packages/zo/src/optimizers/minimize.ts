import { ArgumentError, checkInt, checkNumber, checkObject, ShapeError } from '@tenzo/core';
import { checkFunction, checkVector } from '../checks.js';
import { type BatchObjective, batchObjective, type Objective } from '../objective.js';
import type { ZoOptimizer } from './askTell.js';
import { Spsa, type SpsaOptions } from './spsa.js';
import { ZoAdam, type ZoAdamOptions } from './zoAdam.js';
import { ZoSgd, type ZoSgdOptions } from './zoSgd.js';
import { ZoSignSgd, type ZoSignSgdOptions } from './zoSignSgd.js';

/** Stopping rules and bookkeeping shared by every method. */
export interface MinimizeControl {
  /** hard evaluation budget: the run stops before a step that would exceed it */
  readonly maxEvaluations: number;
  readonly maxIterations?: number;
  /** stop as soon as an evaluated point reaches f ≤ target */
  readonly target?: number;
  /** concurrent evaluations for a pointwise objective (default: a whole step at once) */
  readonly concurrency?: number;
  /** called after every step */
  readonly onStep?: (opt: ZoOptimizer) => void;
}

/**
 * Options of `minimize`: the stopping control plus one optimizer's options, chosen by `method` (ZO-Adam by
 * default, ZO-SGD, ZO-signSGD or SPSA).
 */
export type MinimizeOptions = MinimizeControl &
  (
    | ({ readonly method?: 'zoAdam' } & ZoAdamOptions)
    | ({ readonly method: 'zoSgd' } & ZoSgdOptions)
    | ({ readonly method: 'zoSignSgd' } & ZoSignSgdOptions)
    | ({ readonly method: 'spsa' } & SpsaOptions)
  );

/**
 * What `minimize` returns: the final iterate, the best point evaluated and its value, evaluations and
 * iterations spent, the history and why it stopped.
 */
export interface MinimizeResult {
  /** the final iterate */
  readonly x: Float64Array;
  /** the best point evaluated (iterates and perturbed points alike) and its value */
  readonly bestX: Float64Array;
  readonly bestF: number;
  readonly evaluations: number;
  readonly iterations: number;
  /** best value after each step */
  readonly history: Float64Array;
  readonly stopReason: 'budget' | 'iterations' | 'target';
}

/** Builds the optimizer a `MinimizeOptions` names. */
export function createOptimizer(x0: Float64Array, opts: MinimizeOptions): ZoOptimizer {
  checkObject('createOptimizer: options', opts);
  switch (opts.method ?? 'zoAdam') {
    case 'zoAdam':
      return new ZoAdam(x0, opts as ZoAdamOptions);
    case 'zoSgd':
      return new ZoSgd(x0, opts as ZoSgdOptions);
    case 'zoSignSgd':
      return new ZoSignSgd(x0, opts as ZoSignSgdOptions);
    case 'spsa':
      return new Spsa(x0, opts as SpsaOptions);
    default:
      throw new ArgumentError(
        `method: expected 'zoAdam', 'zoSgd', 'zoSignSgd' or 'spsa', got ${String(opts.method)}`,
      );
  }
}

/** Minimises a pointwise (sync or async) objective from x0 with forward queries only. */
export function minimize(f: Objective, x0: Float64Array, opts: MinimizeOptions): Promise<MinimizeResult> {
  checkObject('minimize: options', opts);
  checkVector('minimize', 'x0', x0);
  return minimizeBatch(batchObjective(f, x0.length, opts.concurrency), x0, opts);
}

/** Minimises a batched objective: one call per optimizer step. */
export async function minimizeBatch(
  F: BatchObjective,
  x0: Float64Array,
  opts: MinimizeOptions,
): Promise<MinimizeResult> {
  checkFunction('minimizeBatch', 'F', F);
  checkObject('minimizeBatch: options', opts);
  const budget = checkInt('maxEvaluations', opts.maxEvaluations, { positive: true });
  const maxIter =
    opts.maxIterations === undefined
      ? Number.POSITIVE_INFINITY
      : checkInt('maxIterations', opts.maxIterations);
  const target = opts.target === undefined ? Number.NEGATIVE_INFINITY : checkNumber('target', opts.target);
  const opt = createOptimizer(x0, opts);
  const d = opt.dim;
  let bestF = Number.POSITIVE_INFINITY;
  const bestX = opt.x.slice();
  const history: number[] = [];
  let stopReason: MinimizeResult['stopReason'] = 'budget';
  for (;;) {
    if (opt.iteration >= maxIter) {
      stopReason = 'iterations';
      break;
    }
    if (opt.evaluations + opt.queriesPerStep() > budget) break;
    const P = opt.ask();
    const count = P.length / d;
    const values = await F(P, count);
    if (values.length !== count)
      throw new ShapeError(`objective returned ${values.length} values for ${count} points`);
    for (let i = 0; i < count; i++) {
      if (values[i]! < bestF) {
        bestF = values[i]!;
        bestX.set(P.subarray(i * d, (i + 1) * d));
      }
    }
    opt.tell(values);
    history.push(bestF);
    opts.onStep?.(opt);
    if (bestF <= target) {
      stopReason = 'target';
      break;
    }
  }
  return {
    x: opt.x.slice(),
    bestX,
    bestF,
    evaluations: opt.evaluations,
    iterations: opt.iteration,
    history: Float64Array.from(history),
    stopReason,
  };
}
