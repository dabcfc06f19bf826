import { ArgumentError, checkInt, describeValue, ShapeError } from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import { GPT } from '../layers/transformer.js';
import { crossEntropy } from '../losses/crossEntropy.js';

/** A next-token training batch: token ids [B, T] (a float tensor, as `GPT.forward` takes) and targets (B·T). */
export interface NextTokenBatch {
  readonly ids: Tensor;
  readonly targets: Int32Array;
}

/**
 * Windows of T + 1 tokens, row-major [B, T + 1] (`@tenzo/data`'s `randomWindows(tokens, B, T + 1,
 * rng)`) → ids [B, T], the windows' first T tokens, and targets: the same rows shifted by one,
 * targets[b·T + t] = windows[b][t + 1].
 */
export function nextTokenBatch(windows: Int32Array, batch: number, seqLen: number): NextTokenBatch {
  if (!(windows instanceof Int32Array))
    throw new ArgumentError(`nextTokenBatch: windows expected an Int32Array, got ${describeValue(windows)}`);
  const b = checkInt('nextTokenBatch: batch', batch, { positive: true });
  const t = checkInt('nextTokenBatch: seqLen', seqLen, { positive: true });
  if (windows.length !== b * (t + 1))
    throw new ShapeError(
      `nextTokenBatch: windows expected B·(T + 1) = ${b}·${t + 1} = ${b * (t + 1)} tokens, got ${windows.length}`,
    );
  const ids = new Float32Array(b * t);
  const targets = new Int32Array(b * t);
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < t; j++) {
      ids[r * t + j] = windows[r * (t + 1) + j]!;
      targets[r * t + j] = windows[r * (t + 1) + j + 1]!;
    }
  }
  return { ids: new Tensor(ids, [b, t], 'float32'), targets };
}

/**
 * The mean next-token cross-entropy (nats per token) of `gpt` on a batch, through `forwardAsync`
 * so that feed-forward slots answering asynchronously (a device) work: a scalar tensor.
 */
export async function nextTokenLoss(gpt: GPT, batch: NextTokenBatch): Promise<Tensor> {
  if (!(gpt instanceof GPT))
    throw new ArgumentError(`nextTokenLoss: gpt expected a GPT, got ${describeValue(gpt)}`);
  const logits = await gpt.forwardAsync(batch.ids);
  return crossEntropy(logits.reshape([batch.targets.length, gpt.config.vocabSize]), batch.targets);
}
