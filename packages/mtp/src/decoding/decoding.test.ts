import { Rng } from '@tenzo/core';
import { KVCache } from '@tenzo/nn';
import { noGrad } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { MtpLM } from '../model/mtpLM.js';
import { chiSquareGoodnessOfFit } from '../stats/chiSquare.js';
import { conditionalLogProbs, cpBlocks } from './cpBlock.js';
import { generate, idsTensor } from './generate.js';
import { samplingDistribution } from './sampling.js';
import { speculativeGenerate } from './speculative.js';

/** A tiny float64 model with peaked, expert-dependent distributions (random weights, sharpened). */
function tinyModel(seed: number, n = 3, rank = 2, vocabSize = 5): MtpLM {
  const m = new MtpLM(
    { vocabSize, maxSeqLen: 24, dModel: 8, nLayers: 1, nHeads: 2, mlpRatio: 2, n, rank, dtype: 'float64' },
    new Rng(seed),
  );
  const sharpen = (data: Float64Array | Float32Array, k: number) => {
    for (let i = 0; i < data.length; i++) data[i]! *= k;
  };
  sharpen(m.trunk.tokEmb.weight.data, 60);
  sharpen(m.heads.gate.weight.data, 3);
  const rng = new Rng(seed + 100);
  for (const map of m.heads.maps) rng.fillNormal(map.weight.data, 0, 0.6);
  m.eval();
  return m;
}

describe('speculative decoding', () => {
  it('greedy: the same tokens as greedy autoregressive decoding, on many prompts, with drafts accepted', () => {
    let accepted = 0;
    let tokens = 0;
    let forwards = 0;
    for (let seed = 0; seed < 4; seed++) {
      const model = tinyModel(seed, 3, seed % 2 === 0 ? 2 : 1);
      const rng = new Rng(seed);
      for (let k = 0; k < 10; k++) {
        const prompt = Array.from({ length: 1 + rng.int(4) }, () => rng.int(5));
        const ar = generate(model, prompt, { maxNewTokens: 16 });
        const sp = speculativeGenerate(model, prompt, { maxNewTokens: 16 });
        expect(sp.tokens).toEqual(ar.tokens);
        expect(ar.forwards).toBe(15);
        accepted += sp.acceptedDraftTokens;
        tokens += sp.tokens.length;
        forwards += sp.forwards;
        expect(sp.depthAccepts.every((a, i) => a <= sp.depthAttempts[i]!)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(tokens / forwards).toBeGreaterThan(1);
  });

  it('greedy with a draft threshold: still exact; no more drafts verified as it rises, none at 1', () => {
    for (let seed = 0; seed < 3; seed++) {
      const model = tinyModel(seed, 3, 2);
      const rng = new Rng(seed + 20);
      for (let k = 0; k < 6; k++) {
        const prompt = Array.from({ length: 1 + rng.int(4) }, () => rng.int(5));
        const ar = generate(model, prompt, { maxNewTokens: 16 });
        const full = speculativeGenerate(model, prompt, { maxNewTokens: 16 });
        const tried = (r: { depthAttempts: number[] }) => r.depthAttempts.reduce((a, b) => a + b, 0);
        let last = tried(full);
        for (const draftThreshold of [0.3, 0.7, 1]) {
          const sp = speculativeGenerate(model, prompt, { maxNewTokens: 16, draftThreshold });
          expect(sp.tokens).toEqual(ar.tokens);
          expect(tried(sp)).toBeLessThanOrEqual(last);
          last = tried(sp);
        }
        // at threshold 1 no draft is ever sure enough: one token per forward, as autoregressive
        expect(last).toBe(0);
      }
    }
  });

  for (const opts of [
    { temperature: 0.9, topK: 3 },
    { temperature: 0.9, topP: 0.75 },
    { temperature: 0.9, topK: 3, draftThreshold: 0.5 },
  ])
    it(`sampling (${JSON.stringify(opts)}): token frequencies match the exact autoregressive distribution (chi-square, fixed seed)`, () => {
      const model = tinyModel(11, 3, 2, 4);
      const prompt = [1, 2];
      // exact distribution of the first 3 generated tokens: 4³ sequences, chained marginals
      const exact = new Float64Array(64);
      noGrad(() => {
        for (let seq = 0; seq < 64; seq++) {
          const xs = [seq >> 4, (seq >> 2) & 3, seq & 3];
          const cache = new KVCache(1);
          let e = model.states(idsTensor(model, prompt), cache).slice([1, 0], [1, 8]);
          let p = 1;
          for (let j = 0; j < 3; j++) {
            const q = samplingDistribution(conditionalLogProbs(cpBlocks(model.heads, e, 1)[0]!, 0, []), opts);
            p *= q[xs[j]!]!;
            if (j < 2) e = model.states(idsTensor(model, [xs[j]!]), cache);
          }
          exact[seq] = p;
        }
      });
      expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      const draws = 1500;
      const arCounts = new Float64Array(64);
      const spCounts = new Float64Array(64);
      const rngA = new Rng(1);
      const rngS = new Rng(2);
      let accepted = 0;
      for (let i = 0; i < draws; i++) {
        const a = generate(model, prompt, { maxNewTokens: 3, ...opts, rng: rngA }).tokens;
        const s = speculativeGenerate(model, prompt, { maxNewTokens: 3, ...opts, rng: rngS });
        accepted += s.acceptedDraftTokens;
        arCounts[a[0]! * 16 + a[1]! * 4 + a[2]!]! += 1;
        spCounts[s.tokens[0]! * 16 + s.tokens[1]! * 4 + s.tokens[2]!]! += 1;
      }
      expect(accepted).toBeGreaterThan(draws / 4);
      expect(accepted).toBeLessThan(draws * 2 * 0.9); // and rejections (residual resampling) too
      expect(chiSquareGoodnessOfFit(arCounts, exact).pValue).toBeGreaterThan(0.001);
      expect(chiSquareGoodnessOfFit(spCounts, exact).pValue).toBeGreaterThan(0.001);
      // the test has power: a draft-only sampler (accepting every draft) is rejected
      const draftOnly = new Float64Array(64);
      const rngD = new Rng(3);
      noGrad(() => {
        const block = cpBlocks(
          model.heads,
          model.states(idsTensor(model, prompt)).slice([1, 0], [1, 8]),
          3,
        )[0]!;
        for (let i = 0; i < draws; i++) {
          const xs: number[] = [];
          for (let s = 0; s < 3; s++) {
            const q = samplingDistribution(conditionalLogProbs(block, s, xs), opts);
            let u = rngD.uniform();
            let x = 0;
            while (x < 3 && u >= q[x]!) u -= q[x++]!;
            xs.push(x);
          }
          draftOnly[xs[0]! * 16 + xs[1]! * 4 + xs[2]!]! += 1;
        }
      });
      expect(chiSquareGoodnessOfFit(draftOnly, exact).pValue).toBeLessThan(1e-6);
    });

  it('rejects prompts that do not fit and sampling without an rng', () => {
    const model = tinyModel(0);
    expect(() => generate(model, [1, 2], { maxNewTokens: 23 })).toThrowError(
      'prompt length + maxNewTokens expected ≤ maxSeqLen 24, got 2 + 23',
    );
    expect(() => speculativeGenerate(model, [1], { maxNewTokens: 2, temperature: 1 })).toThrowError(
      'rng expected when temperature > 0, got none',
    );
    expect(() => speculativeGenerate(model, [1], { maxNewTokens: 2, draftThreshold: 1.5 })).toThrowError(
      /speculativeGenerate: draftThreshold/,
    );
  });
});
