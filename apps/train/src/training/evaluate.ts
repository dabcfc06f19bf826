import { crossEntropy, type Module } from '@tenzo/nn';
import { fromTypedArray, noGradAsync, type Tensor } from '@tenzo/tensor';

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** A forward pass: synchronous for digital models, awaited for models with a physical layer. */
export type Forward = (x: Tensor) => Tensor | Promise<Tensor>;

/**
 * Loss and accuracy of `model` (in eval mode, run through `forward`) on n examples x (n×d), in
 * chunks so memory stays bounded. Restores the model's previous train/eval mode.
 */
export async function evaluate(
  model: Module,
  forward: Forward,
  x: Float32Array,
  labels: ArrayLike<number>,
  d: number,
  chunk = 1000,
): Promise<Evaluation> {
  const n = labels.length;
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let correct = 0;
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
  model.train(wasTraining);
  return { loss: lossSum / n, accuracy: correct / n };
}
