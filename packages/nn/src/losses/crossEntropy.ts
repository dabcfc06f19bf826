import { checkAllFinite, checkNumber, checkNumbers, formatShape, ShapeError } from '@tenzo/core';
import { type Indices, oneHot, Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';

/** How a loss reduces over examples: their mean, their sum, or none (one loss per example). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of `crossEntropy`: the reduction over examples and label smoothing. */
export interface CrossEntropyOptions {
  reduction?: Reduction;
  /** mixes the one-hot target with the uniform distribution (Szegedy et al. 2016) */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy of logits [N, C] against class indices [N] (PyTorch's
 * F.cross_entropy). Computed through logSoftmax, so it is stable for any logit scale.
 * Non-finite logits are reported instead of silently producing NaN.
 */
export function crossEntropy(logits: Tensor, targets: Indices, opts: CrossEntropyOptions = {}): Tensor {
  checkInput('crossEntropy: logits', logits);
  if (logits.ndim !== 2)
    throw new ShapeError(`crossEntropy: logits expected [N, C], got ${formatShape(logits.shape)}`);
  const [n, c] = logits.shape as [number, number];
  if (!(targets instanceof Tensor)) checkNumbers('crossEntropy: targets', targets);
  const targetCount =
    'size' in targets && typeof targets.size === 'number'
      ? targets.size
      : (targets as ArrayLike<number>).length;
  if (targetCount !== n)
    throw new ShapeError(
      `crossEntropy: targets expected ${n} entries (one per row of logits), got ${targetCount}`,
    );
  checkAllFinite('crossEntropy: logits', logits.data);
  const eps = checkNumber('crossEntropy: labelSmoothing', opts.labelSmoothing ?? 0, { min: 0, max: 1 });
  let target = oneHot(targets, c, logits.dtype);
  if (eps > 0) target = target.mul(1 - eps).add(eps / c);
  const perSample = logits.logSoftmax(-1).mul(target).sum({ axis: 1 }).neg();
  const reduction = opts.reduction ?? 'mean';
  return reduction === 'none' ? perSample : reduction === 'sum' ? perSample.sum() : perSample.mean();
}
