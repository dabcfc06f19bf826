import { checkAllFinite, formatShape, ShapeError } from '@tenzo/core';
import type { Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import type { Reduction } from './crossEntropy.js';

/** Mean squared error between predictions and targets of the same shape. */
export function mseLoss(pred: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  checkInput('mseLoss: pred', pred);
  checkInput('mseLoss: target', target);
  if (pred.shape.join() !== target.shape.join()) {
    throw new ShapeError(
      `mseLoss: pred ${formatShape(pred.shape)} and target ${formatShape(target.shape)} expected the same shape`,
    );
  }
  checkAllFinite('mseLoss: pred', pred.data);
  checkAllFinite('mseLoss: target', target.data);
  const sq = pred.sub(target).square();
  const reduction = opts.reduction ?? 'mean';
  return reduction === 'none' ? sq : reduction === 'sum' ? sq.sum() : sq.mean();
}
