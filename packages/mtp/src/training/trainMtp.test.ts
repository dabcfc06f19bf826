import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { generate } from '../decoding/generate.js';
import { speculativeGenerate } from '../decoding/speculative.js';
import { MtpLM } from '../model/mtpLM.js';
import { evaluateMtp, trainMtp } from './trainMtp.js';

/** A noisy cycle 0 1 2 3 4 5 0 1 …, 5% of tokens replaced at random: predictable but not trivially. */
function noisyCycle(length: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length }, (_, i) => (rng.uniform() < 0.05 ? rng.int(6) : i % 6));
}

describe('trainMtp', () => {
  const cfg = {
    vocabSize: 6,
    maxSeqLen: 40,
    dModel: 16,
    nLayers: 1,
    nHeads: 2,
    mlpRatio: 2,
    n: 3,
    rank: 2,
  } as const;

  it('learns a noisy cycle from scratch; greedy speculative decoding then accepts most drafts and still equals greedy AR', () => {
    const model = new MtpLM(cfg, new Rng(0));
    const tokens = noisyCycle(4000, 1);
    const before = evaluateMtp(model, tokens, { batches: 2, batchSize: 8, seqLen: 16, rng: new Rng(2) });
    const hist = trainMtp(model, {
      tokens,
      steps: 60,
      batchSize: 8,
      seqLen: 16,
      lr: 1e-2,
      warmupSteps: 5,
      rng: new Rng(3),
    });
    expect(hist).toHaveLength(60);
    const after = evaluateMtp(model, tokens, { batches: 2, batchSize: 8, seqLen: 16, rng: new Rng(2) });
    expect(after.joint).toBeLessThan(before.joint - 2);
    expect(after.firstToken).toBeLessThan(1);
    let forwards = 0;
    let produced = 0;
    const rng = new Rng(4);
    for (let k = 0; k < 20; k++) {
      const prompt = Array.from(noisyCycle(3 + rng.int(8), 10 + k));
      const ar = generate(model, prompt, { maxNewTokens: 20 });
      const sp = speculativeGenerate(model, prompt, { maxNewTokens: 20 });
      expect(sp.tokens).toEqual(ar.tokens);
      forwards += sp.forwards;
      produced += sp.tokens.length;
    }
    expect(produced / forwards).toBeGreaterThan(2);
  });

  it('heads-only training leaves the trunk untouched', () => {
    const model = new MtpLM({ ...cfg, rank: 3 }, new Rng(5));
    const trunk = model.trunk.parameters().map((p) => Float32Array.from(p.data));
    const heads = model.heads.parameters().map((p) => Float32Array.from(p.data));
    trainMtp(model, {
      tokens: noisyCycle(2000, 6),
      steps: 5,
      batchSize: 4,
      seqLen: 8,
      regime: 'heads',
      rng: new Rng(7),
    });
    model.trunk.parameters().forEach((p, i) => {
      expect(Float32Array.from(p.data)).toEqual(trunk[i]);
    });
    expect(model.heads.parameters().some((p, i) => p.data.some((v, j) => v !== heads[i]![j]))).toBe(true);
  });
});
