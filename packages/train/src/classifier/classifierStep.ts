import { crossEntropy } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import type { StepOutput } from '../types.js';

/**
 * A classification step's output for the Trainer: the mean cross-entropy of `logits` (B×C)
 * against `labels` (B) with `labelSmoothing`, and the count of argmax predictions that are right
 * (the running accuracy).
 */
export function classifierStep(logits: Tensor, labels: ArrayLike<number>, labelSmoothing = 0): StepOutput {
  const pred = logits.argmax(1).data;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
  return { loss: crossEntropy(logits, labels, { labelSmoothing }), correct };
}
