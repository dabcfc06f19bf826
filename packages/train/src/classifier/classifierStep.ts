import { ArgumentError, describeValue, ShapeError } from '@tenzo/core';
import { crossEntropy } from '@tenzo/nn';
import { Tensor } from '@tenzo/tensor';
import type { StepOutput } from '../types.js';

/**
 * A classification step's output for the Trainer: the mean cross-entropy of `logits` (B×C)
 * against `labels` (B) with `labelSmoothing`, and the count of argmax predictions that are right
 * (the running accuracy).
 */
export function classifierStep(logits: Tensor, labels: ArrayLike<number>, labelSmoothing = 0): StepOutput {
  if (!(logits instanceof Tensor) || logits.ndim !== 2)
    throw new ShapeError(`classifierStep: logits expected a [B, C] Tensor, got ${describeValue(logits)}`);
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number')
    throw new ArgumentError(
      `classifierStep: labels expected an array of class indices, got ${describeValue(labels)}`,
    );
  // crossEntropy checks the labels' length and range and the smoothing
  const loss = crossEntropy(logits, labels, { labelSmoothing });
  const pred = logits.argmax(1).data;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
  return { loss, correct };
}
