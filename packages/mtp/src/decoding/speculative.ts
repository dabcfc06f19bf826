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
  opts: GenerateOptions,
): SpeculativeResult {
  const sampling = checkGenerate(model, prompt, opts);
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
      const logq = conditionalLogProbs(block, s, draft);
      if (sampling) {
        const qd = samplingDistribution(logq, opts);
        q.push(qd);
        draft.push(sampleFrom(qd, opts.rng!));
      } else draft.push(argmax(logq));
    }
    const start = cache.length;
    const e = noGrad(() => model.states(idsTensor(model, draft), cache));
    forwards++;
    const blocks = cpBlocks(heads, e, 1);
    let accepted = 1;
    fixed = null;
    for (let s = 1; s < budget; s++) {
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
    block = extendBlock(heads, eLast, blocks[accepted - 1]!, n);
  }
  return { tokens, forwards, acceptedDraftTokens, depthAttempts, depthAccepts };
}
