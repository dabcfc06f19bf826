import { FormatError, Rng } from '@tenzo/core';
import { parseSafetensors, serializeSafetensors } from '@tenzo/nn';
import { Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { mtpFromSafetensors } from './fromSafetensors.js';
import { MtpLM } from './mtpLM.js';

const config = { vocabSize: 11, maxSeqLen: 16, dModel: 8, nLayers: 1, nHeads: 2, n: 3, rank: 2 } as const;

describe('mtpFromSafetensors', () => {
  it('rebuilds the saved model: the same next-token distributions, in eval mode', () => {
    const saved = new MtpLM(config, new Rng(4));
    const bytes = serializeSafetensors(saved.stateDict(), { config: JSON.stringify(config) });
    const model = mtpFromSafetensors(parseSafetensors(bytes, 'm.safetensors'), 'm.safetensors');
    expect(model.config).toEqual(config);
    expect(model.training).toBe(false);
    saved.eval();
    const ids = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], 'float32');
    expect(Array.from(model.nextTokenLogProbs(ids).data)).toEqual(
      Array.from(saved.nextTokenLogProbs(ids).data),
    );
  });

  it('refuses a file without a JSON config, or whose tensors do not fit the config', () => {
    const state = new MtpLM(config, new Rng(4)).stateDict();
    const file = (metadata: Record<string, string>) =>
      parseSafetensors(serializeSafetensors(state, metadata), 'x');
    expect(() => mtpFromSafetensors(file({}), 'x.safetensors')).toThrow(FormatError);
    expect(() => mtpFromSafetensors(file({}), 'x.safetensors')).toThrow(
      /x\.safetensors: expected a 'config' metadata entry/,
    );
    expect(() => mtpFromSafetensors(file({ config: '{oops' }))).toThrow(/metadata 'config' expected JSON/);
    expect(() => mtpFromSafetensors(file({ config: '[1]' }))).toThrow(/expected a JSON object/);
    expect(() => mtpFromSafetensors(file({ config: JSON.stringify({ ...config, rank: 3 }) }))).toThrow(
      /loadStateDict|shape/,
    );
  });
});
