import { ArgumentError, checkInt, describeValue, ShapeError } from '@tenzo/core';
import { crossEntropy, type Module } from '@tenzo/nn';
import { fromTypedArray, noGradAsync, type Tensor } from '@tenzo/tensor';

/** A forward pass: synchronous for digital models, awaited for models with a physical layer. */
export type Forward = (x: Tensor) => Tensor | Promise<Tensor>;

/**
 * A classifier's score on a dataset: the mean cross-entropy (nats, no label smoothing) and the accuracy
 * (share of argmax predictions equal to the label).
 */
export interface ClassifierEvaluation {
  /** mean cross-entropy (no label smoothing) */
  loss: number;
  /** share of argmax predictions equal to the label */
  accuracy: number;
}

/**
 * Loss and accuracy of `model` (in eval mode, without gradients, run through `forward`) on n
 * examples x (n×d row-major, n = labels.length), in chunks of `chunk` rows so memory stays
 * bounded. The model's train/eval mode is restored afterwards. Losses are summed per chunk in
 * float64, so the result does not depend on `chunk` beyond float32 rounding inside the model.
 */
export async function evaluateClassifier(
  model: Module,
  forward: Forward,
  x: Float32Array,
  labels: ArrayLike<number>,
  d: number,
  chunk = 1000,
): Promise<ClassifierEvaluation> {
  const fn = 'evaluateClassifier';
  if (typeof (model as Partial<Module> | null)?.eval !== 'function')
    throw new ArgumentError(`${fn}: model expected a Module, got ${describeValue(model)}`);
  if (typeof forward !== 'function')
    throw new ArgumentError(`${fn}: forward expected a function, got ${describeValue(forward)}`);
  if (!(x instanceof Float32Array))
    throw new ArgumentError(`${fn}: x expected a Float32Array, got ${describeValue(x)}`);
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number')
    throw new ArgumentError(`${fn}: labels expected an array of class indices, got ${describeValue(labels)}`);
  const n = labels.length;
  checkInt(`${fn}: d`, d, { positive: true });
  checkInt(`${fn}: chunk`, chunk, { positive: true });
  if (n === 0 || x.length !== n * d)
    throw new ShapeError(`${fn}: x expected labels.length·d = ${n}·${d} values (n > 0), got ${x.length}`);
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let correct = 0;
  try {
    await noGradAsync(async () => {
      for (let start = 0; start < n; start += chunk) {
        const size = Math.min(chunk, n - start);
        const xb = fromTypedArray(x.slice(start * d, (start + size) * d), [size, d]);
        const yb = Int32Array.from({ length: size }, (_, i) => labels[start + i]!);
        const logits = await forward(xb);
        lossSum += crossEntropy(logits, yb, { reduction: 'sum' }).item();
        const pred = logits.argmax(1).data;
        for (let i = 0; i < size; i++) if (pred[i] === yb[i]) correct++;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/**
 * The Trainer's `evaluate` for a held-out set: `evaluateClassifier` after each epoch, as the
 * metrics `testLoss` and `testAccuracy`.
 */
export function heldOutMetrics(
  model: Module,
  forward: Forward,
  x: Float32Array,
  labels: ArrayLike<number>,
  d: number,
  chunk?: number,
): () => Promise<Record<string, number>> {
  return async () => {
    const e = await evaluateClassifier(model, forward, x, labels, d, chunk);
    return { testLoss: e.loss, testAccuracy: e.accuracy };
  };
}
