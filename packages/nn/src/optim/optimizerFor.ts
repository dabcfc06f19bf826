import { checkArray, checkNumber, checkObject, checkOneOf } from '@tenzo/core';
import type { Parameter } from '../parameter.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

/** The optimizers {@link optimizerFor} builds by name. */
export const OPTIMIZER_KINDS = ['adamw', 'adam', 'sgd'] as const;
/** An optimizer `optimizerFor` builds: 'adamw', 'adam' or 'sgd'. */
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/**
 * An optimizer by name over named parameters (`module.namedParameters()`), with the usual
 * settings besides `lr` and `weightDecay`: 'adamw' (decoupled decay), 'adam' (L2 decay) with
 * their default betas, 'sgd' with Nesterov momentum 0.9 (L2 decay). The names key the
 * optimizer's state in checkpoints.
 *
 * ```ts
 * const opt = optimizerFor('adamw', net.namedParameters(), { lr: 2e-3, weightDecay: 0.05 });
 * ```
 */
export function optimizerFor(
  kind: OptimizerKind,
  named: readonly (readonly [string, Parameter])[],
  opts: { lr: number; weightDecay: number },
): Optimizer {
  checkOneOf('optimizerFor: kind', kind, OPTIMIZER_KINDS);
  checkArray('optimizerFor: named', named);
  checkObject('optimizerFor: opts', opts);
  const lr = checkNumber('optimizerFor: lr', opts.lr, { gt: 0 });
  const weightDecay = checkNumber('optimizerFor: weightDecay', opts.weightDecay, { min: 0 });
  const params = named.map(([, p]) => p);
  const names = named.map(([n]) => n);
  if (kind === 'sgd') return new SGD(params, { lr, momentum: 0.9, nesterov: true, weightDecay }, names);
  return new (kind === 'adamw' ? AdamW : Adam)(params, { lr, weightDecay }, names);
}
