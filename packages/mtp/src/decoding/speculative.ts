import { checkNumber } from '@tenzo/core';
import { KVCache } from '@tenzo/nn';
import { noGrad } from '@tenzo/tensor';
import { decodingHeads } from '../heads/decodingHeads.js';
import type { MtpLM } from '../model/mtpLM.js';
import { conditionalLogProbs, cpBlocks, extendBlock } from './cpBlock.js';
import {
  checkGenerate,
  type GenerateOptions,
  type GenerateResult,
  idsTensor,
  pickToken,
  prefill,
} from './generate.js';
import { argmax, sampleFrom, samplingDistribution } from './sampling.js';

/** Options of {@link speculativeGenerate}: those of `generate` and when drafting stops early. */
export interface SpeculativeOptions extends GenerateOptions {
  /**
   * Dynamic draft length (as `assistant_confidence_threshold` in Hugging Face's assisted
   * generation): drafting stops before token s when the heads' most likely token there has less
   * than this probability, so a forward verifies fewer unlikely drafts and the heads beyond are
   * not computed. 0 (default) drafts all n tokens. Exactness holds for any value: the draft length
   * depends on the draft distribution only, not on the token drawn from it.
   */
  draftThreshold?: number;
}

/**
 * What self-speculative decoding returns: the {@link GenerateResult} plus how many draft tokens beyond the
 * first were accepted and, per draft depth, the drafts verified and accepted.
 */
export interface SpeculativeResult extends GenerateResult {
  /** draft tokens beyond the first that were accepted, summed over forwards */
  acceptedDraftTokens: number;
  /** per draft depth s = 2..n (index s − 2): drafts verified at that depth and drafts accepted */
  depthAttempts: number[];
  depthAccepts: number[];
}

/**
 * Self-speculative decoding with the CP heads (Stern et al. 2018; Basharin et al. 2024 §4):
 *
 * 1. Draft from the block at the last accepted position: x̂₁ from the marginal (or the token fixed
 *    by the previous verification), x̂₂..x̂ₙ from the CP conditionals with posterior expert weights.
 * 2. One forward of x̂₁..x̂ₙ with the KV cache gives the model's marginal after each draft.
 * 3. Greedy: accept x̂_s while it equals the argmax of the marginal before it. Sampling: accept
 *    with probability min(1, p/q), and on the first rejection draw from norm(max(0, p − q))
 *    (Leviathan et al. 2023; Chen et al. 2023) — the output has exactly the distribution of
 *    autoregressive sampling. The corrected token becomes x̂₁ of the next draft.
 * 4. Roll the cache back to the accepted tokens; the block at the last accepted position drafts next.
 *
 * Greedy output equals greedy autoregressive decoding of the marginal token for token.
 */
export function speculativeGenerate(
  model: MtpLM,
  prompt: ArrayLike<number>,
  opts: SpeculativeOptions,
): SpeculativeResult {
  const sampling = checkGenerate(model, prompt, opts);
  const threshold = checkNumber('speculativeGenerate: draftThreshold', opts.draftThreshold ?? 0, {
    min: 0,
    max: 1,
  });
  const logThreshold = Math.log(threshold);
  const { n, nLayers, maxSeqLen, dModel } = model.config;
  const heads = decodingHeads(model.heads);
  const cache = new KVCache(nLayers);
  const e0 = prefill(model, prompt, cache);
  let eLast = e0.slice([prompt.length - 1, 0], [1, dModel]);
  let block = cpBlocks(heads, eLast, n)[0]!;
  let fixed: number | null = null;
  const tokens: number[] = [];
  const depthAttempts = new Array<number>(Math.max(n - 1, 0)).fill(0);
  const depthAccepts = new Array<number>(Math.max(n - 1, 0)).fill(0);
  let forwards = 0;
  let acceptedDraftTokens = 0;
  while (tokens.length < opts.maxNewTokens) {
    const budget = Math.min(n, opts.maxNewTokens - tokens.length, maxSeqLen - cache.length);
    const draft: number[] = [fixed ?? pickToken(conditionalLogProbs(block, 0, []), sampling, opts)];
    const q: Float64Array[] = [];
    for (let s = 1; s < budget; s++) {
      // with a threshold the heads are computed as drafting reaches them
      if (block.logP.length <= s) extendBlock(heads, eLast, block, s + 1);
      const logq = conditionalLogProbs(block, s, draft);
      if (sampling) {
        const qd = samplingDistribution(logq, opts);
        // the stop may depend on q only, never on the token drawn from it: the acceptance test
        // and the residual p − q are exact for a draft drawn from q itself
        if (threshold > 0 && qd[argmax(qd)]! < threshold) break;
        q.push(qd);
        draft.push(sampleFrom(qd, opts.rng!));
      } else {
        const x = argmax(logq);
        if (threshold > 0 && logq[x]! < logThreshold) break;
        draft.push(x);
      }
    }
    const drafted = draft.length;
    const start = cache.length;
    const e = noGrad(() => model.states(idsTensor(model, draft), cache));
    forwards++;
    const blocks = cpBlocks(heads, e, 1);
    let accepted = 1;
    fixed = null;
    for (let s = 1; s < drafted; s++) {
      depthAttempts[s - 1]!++;
      const logp = conditionalLogProbs(blocks[s - 1]!, 0, []);
      const x: number = draft[s]!;
      if (!sampling) {
        const t = argmax(logp);
        if (t !== x) {
          fixed = t;
          break;
        }
      } else {
        const p = samplingDistribution(logp, opts);
        const qd = q[s - 1]!;
        if (opts.rng!.uniform() >= Math.min(1, p[x]! / qd[x]!)) {
          let z = 0;
          for (let i = 0; i < p.length; i++) z += Math.max(0, p[i]! - qd[i]!);
          for (let i = 0; i < p.length; i++) p[i] = Math.max(0, p[i]! - qd[i]!) / z;
          fixed = sampleFrom(p, opts.rng!);
          break;
        }
      }
      depthAccepts[s - 1]!++;
      accepted++;
    }
    acceptedDraftTokens += accepted - 1;
    for (let s = 0; s < accepted; s++) tokens.push(draft[s]!);
    cache.truncate(start + accepted);
    eLast = e.slice([accepted - 1, 0], [1, dModel]);
    block = threshold > 0 ? blocks[accepted - 1]! : extendBlock(heads, eLast, blocks[accepted - 1]!, n);
  }
  return { tokens, forwards, acceptedDraftTokens, depthAttempts, depthAccepts };
}
