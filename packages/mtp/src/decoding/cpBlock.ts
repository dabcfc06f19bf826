import { ArgumentError, checkInt, checkNumbers, describeValue } from '@tenzo/core';
import { noGrad, Tensor } from '@tenzo/tensor';
import type { HeadsReader } from '../heads/decodingHeads.js';
import { checkTokenIds } from '../tokenIds.js';

/**
 * The CP block at one position, in plain arrays for decoding: log w [r] and, for the heads
 * computed so far, log P^{(s)}_α [r·V] (row α at offset α·V).
 */
export interface CPBlock {
  readonly r: number;
  readonly v: number;
  logW: Float64Array;
  logP: Float64Array[];
}

/**
 * Blocks for every row of e [M, d] with heads 0..depth−1 (depth 1: enough for the marginal);
 * `heads` is the model's CPHeads or `decodingHeads(heads)`.
 */
export function cpBlocks(heads: HeadsReader, e: Tensor, depth = 1): CPBlock[] {
  checkState('cpBlocks', e);
  checkInt('cpBlocks: depth', depth, { positive: true, max: heads.config.n });
  return noGrad(() => {
    const m = e.shape[0]!;
    const { rank: r, vocabSize: v } = heads.config;
    const lw = heads.logGate(e).data;
    const lps = Array.from({ length: depth }, (_, s) => heads.logProbs(e, s).data);
    return Array.from({ length: m }, (_, i) => ({
      r,
      v,
      logW: Float64Array.from(lw.subarray(i * r, (i + 1) * r)),
      logP: lps.map((lp) => Float64Array.from(lp.subarray(i * r * v, (i + 1) * r * v))),
    }));
  });
}

/** Adds heads up to `depth` to a block computed from state e [1, d]. */
export function extendBlock(heads: HeadsReader, e: Tensor, block: CPBlock, depth: number): CPBlock {
  checkState('extendBlock', e);
  checkBlock('extendBlock', block);
  checkInt('extendBlock: depth', depth, { positive: true, max: heads.config.n });
  noGrad(() => {
    const from = block.logP.length;
    if (heads.logProbsRange && depth - from > 1) {
      // a reader that batches heads: every missing head from one product
      const lp = heads.logProbsRange(e, from, depth).data;
      const size = block.r * block.v;
      for (let s = from; s < depth; s++)
        block.logP.push(Float64Array.from(lp.subarray((s - from) * size, (s - from + 1) * size)));
      return;
    }
    for (let s = from; s < depth; s++) block.logP.push(Float64Array.from(heads.logProbs(e, s).data));
  });
  return block;
}

/**
 * Log-probabilities [V] of token s (0-based) given the earlier tokens `prefix` (length s) of the
 * block: posterior expert weights log w'_α = log w_α + Σ_{j<s} log P^{(j)}_α(prefix_j), normalised,
 * then logsumexp_α(log w'_α + log P^{(s)}_α(x)). s = 0 gives the marginal.
 */
export function conditionalLogProbs(block: CPBlock, s: number, prefix: ArrayLike<number>): Float64Array {
  checkBlock('conditionalLogProbs', block);
  const { r, v } = block;
  checkInt('conditionalLogProbs: s', s, { max: block.logP.length - 1 });
  checkNumbers('conditionalLogProbs: prefix', prefix, { minLength: s });
  checkTokenIds('conditionalLogProbs: prefix', Array.prototype.slice.call(prefix, 0, s), v);
  const lw = Float64Array.from(block.logW);
  for (let j = 0; j < s; j++) for (let a = 0; a < r; a++) lw[a]! += block.logP[j]![a * v + prefix[j]!]!;
  let mx = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < r; a++) mx = Math.max(mx, lw[a]!);
  let z = 0;
  for (let a = 0; a < r; a++) z += Math.exp(lw[a]! - mx);
  const lz = mx + Math.log(z);
  const lp = block.logP[s]!;
  const out = new Float64Array(v);
  for (let x = 0; x < v; x++) {
    let m2 = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < r; a++) m2 = Math.max(m2, lw[a]! - lz + lp[a * v + x]!);
    let acc = 0;
    for (let a = 0; a < r; a++) acc += Math.exp(lw[a]! - lz + lp[a * v + x]! - m2);
    out[x] = m2 + Math.log(acc);
  }
  return out;
}

function checkState(fn: string, e: unknown): void {
  if (!(e instanceof Tensor) || e.ndim !== 2)
    throw new ArgumentError(`${fn}: e: expected a Tensor [M, d], got ${describeValue(e)}`);
}

function checkBlock(fn: string, block: CPBlock): void {
  const ok =
    typeof block === 'object' &&
    block !== null &&
    Number.isInteger(block.r) &&
    Number.isInteger(block.v) &&
    block.logW instanceof Float64Array &&
    block.logW.length === block.r &&
    Array.isArray(block.logP) &&
    block.logP.every((lp) => lp instanceof Float64Array && lp.length === block.r * block.v);
  if (!ok)
    throw new ArgumentError(`${fn}: block: expected a CPBlock from cpBlocks, got ${describeValue(block)}`);
}
