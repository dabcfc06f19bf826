import { ArgumentError, checkInt, checkNumber, checkNumbers, describeValue, Rng } from '@tenzo/core';
import { KVCache } from '@tenzo/nn';
import { noGrad, Tensor } from '@tenzo/tensor';
import { decodingHeads } from '../heads/decodingHeads.js';
import type { MtpLM } from '../model/mtpLM.js';
import { checkTokenIds } from '../tokenIds.js';
import { type CPBlock, conditionalLogProbs, cpBlocks } from './cpBlock.js';
import { argmax, type SamplingOptions, sampleFrom, samplingDistribution } from './sampling.js';

/**
 * Options of `generate`: the sampling settings, the number of new tokens and the `Rng` that sampling needs
 * when the temperature is > 0.
 */
export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** required when temperature > 0 */
  rng?: Rng;
}

/**
 * What `generate` returns: the new tokens (the prompt not included) and the decoder forwards after the
 * prompt's prefill.
 */
export interface GenerateResult {
  tokens: number[];
  /** decoder forwards after the prompt's prefill */
  forwards: number;
}

export function idsTensor(model: MtpLM, ids: ArrayLike<number>): Tensor {
  const t = new Tensor(Float32Array.from(ids), [1, ids.length], 'float32');
  return model.config.dtype === 'float64' ? t.cast('float64') : t;
}

/** Checks a prompt and length against the model and returns the sampling mode. */
export function checkGenerate(model: MtpLM, prompt: ArrayLike<number>, opts: GenerateOptions): boolean {
  if (typeof opts !== 'object' || opts === null)
    throw new ArgumentError(`generate: opts: expected an options object, got ${describeValue(opts)}`);
  checkInt('maxNewTokens', opts.maxNewTokens, { positive: true });
  checkNumbers('generate: prompt', prompt);
  if (prompt.length === 0) throw new ArgumentError('prompt expected at least one token, got none');
  checkTokenIds('generate: prompt', prompt, model.config.vocabSize);
  checkNumber('generate: temperature', opts.temperature ?? 0, { min: 0 });
  checkInt('generate: topK', opts.topK ?? 0);
  checkNumber('generate: topP', opts.topP ?? 1, { gt: 0, max: 1 });
  const max = model.config.maxSeqLen;
  if (prompt.length + opts.maxNewTokens > max) {
    throw new ArgumentError(
      `prompt length + maxNewTokens expected ≤ maxSeqLen ${max}, got ${prompt.length} + ${opts.maxNewTokens}`,
    );
  }
  const sampling = (opts.temperature ?? 0) > 0;
  if (sampling && !(opts.rng instanceof Rng))
    throw new ArgumentError(
      `rng expected when temperature > 0, got ${opts.rng ? describeValue(opts.rng) : 'none'}`,
    );
  return sampling;
}

/** Prefills the cache with the prompt; returns the states [P, d] of the prompt positions. */
export function prefill(model: MtpLM, prompt: ArrayLike<number>, cache: KVCache): Tensor {
  return noGrad(() => model.states(idsTensor(model, prompt), cache));
}

/** Picks the next token from a marginal: argmax (greedy) or a draw from the sampling distribution. */
export function pickToken(logp: Float64Array, sampling: boolean, opts: GenerateOptions): number {
  return sampling ? sampleFrom(samplingDistribution(logp, opts), opts.rng!) : argmax(logp);
}

/**
 * Plain autoregressive decoding of the model's next-token marginal Σ_α w_α P^{(1)}_α with a KV
 * cache: one single-token forward per generated token (greedy, or temperature / top-k sampling).
 */
export function generate(model: MtpLM, prompt: ArrayLike<number>, opts: GenerateOptions): GenerateResult {
  const sampling = checkGenerate(model, prompt, opts);
  const heads = decodingHeads(model.heads);
  const cache = new KVCache(model.config.nLayers);
  const e = prefill(model, prompt, cache);
  let block: CPBlock = cpBlocks(heads, e.slice([prompt.length - 1, 0], [1, model.config.dModel]), 1)[0]!;
  const tokens: number[] = [];
  let forwards = 0;
  for (;;) {
    const x = pickToken(conditionalLogProbs(block, 0, []), sampling, opts);
    tokens.push(x);
    if (tokens.length === opts.maxNewTokens) return { tokens, forwards };
    const e1 = noGrad(() => model.states(idsTensor(model, [x]), cache));
    forwards++;
    block = cpBlocks(heads, e1, 1)[0]!;
  }
}
