import { ArgumentError, Rng, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { GPT } from '../layers/transformer.js';
import { crossEntropy } from '../losses/crossEntropy.js';
import { nextTokenBatch, nextTokenLoss } from './nextToken.js';

describe('nextTokenBatch and nextTokenLoss', () => {
  it('splits [B, T + 1] windows into ids [B, T] and the targets shifted by one', () => {
    const windows = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const { ids, targets } = nextTokenBatch(windows, 2, 3);
    expect(ids.shape).toEqual([2, 3]);
    expect(Array.from(ids.toFlat())).toEqual([1, 2, 3, 5, 6, 7]);
    expect(Array.from(targets)).toEqual([2, 3, 4, 6, 7, 8]);
    expect(() => nextTokenBatch(windows, 2, 4)).toThrow(ShapeError);
    expect(() => nextTokenBatch([1, 2] as never, 1, 1)).toThrow(ArgumentError);
  });

  it("is the GPT's mean cross-entropy over every position", async () => {
    const gpt = new GPT({ vocabSize: 9, maxSeqLen: 8, dModel: 8, nLayers: 1, nHeads: 2 }, new Rng(1));
    const b = nextTokenBatch(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 0, 1]), 2, 4);
    const want = crossEntropy(gpt.forward(b.ids).reshape([8, 9]), b.targets).item();
    expect((await nextTokenLoss(gpt, b)).item()).toBeCloseTo(want, 6);
    await expect(nextTokenLoss({} as never, b)).rejects.toThrow(ArgumentError);
  });
});
