import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkNumbers,
  checkProbabilities,
  describeValue,
  NonFiniteError,
  Rng,
} from '@tenzo/core';

/** How the next token is drawn: the temperature (0: greedy), top-k and top-p (nucleus) truncation. */
export interface SamplingOptions {
  /** 0 (default) means greedy */
  temperature?: number;
  /** keep only the k most likely tokens before sampling (0: all) */
  topK?: number;
  /**
   * nucleus sampling (Holtzman et al. 2020): keep the smallest set of most likely tokens whose
   * probability (after temperature and top-k) reaches p; 1 (default) keeps all
   */
  topP?: number;
}

/** Index of the largest entry (the first on ties, so greedy decoding is deterministic). */
export function argmax(x: ArrayLike<number>): number {
  checkLogits('argmax: x', x);
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/**
 * The distribution decoding draws from: softmax(logp / temperature), restricted to the top k,
 * then to the top-p nucleus (ties broken by the lower token id, so it is deterministic).
 * Speculative sampling applies the same transform to target and draft, so it is exact for it.
 */
export function samplingDistribution(logp: ArrayLike<number>, opts: SamplingOptions): Float64Array {
  checkLogits('samplingDistribution: logp', logp);
  if (typeof opts !== 'object' || opts === null)
    throw new ArgumentError(
      `samplingDistribution: opts: expected an options object, got ${describeValue(opts)}`,
    );
  const t = checkNumber('samplingDistribution: temperature', opts.temperature ?? 1, { gt: 0 });
  const k = checkInt('samplingDistribution: topK', opts.topK ?? 0, { min: 0 });
  const topP = checkNumber('samplingDistribution: topP', opts.topP ?? 1, { gt: 0, max: 1 });
  const v = logp.length;
  const out = new Float64Array(v);
  let floor = Number.NEGATIVE_INFINITY;
  if (k > 0 && k < v) floor = Array.from(logp).sort((a, b) => b - a)[k - 1]!;
  let mx = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v; i++) if (logp[i]! >= floor) mx = Math.max(mx, logp[i]! / t);
  let z = 0;
  for (let i = 0; i < v; i++) {
    const e = logp[i]! >= floor ? Math.exp(logp[i]! / t - mx) : 0;
    out[i] = e;
    z += e;
  }
  // every kept logit −∞, or a temperature so small that logp/t overflows
  if (!(z > 0 && Number.isFinite(z)))
    throw new NonFiniteError(
      `samplingDistribution: logp/temperature: expected at least one finite logit after top-k, got a normaliser of ${z}`,
    );
  for (let i = 0; i < v; i++) out[i]! /= z;
  return topP < 1 ? nucleus(out, topP) : out;
}

/** Keeps the most likely entries of p (in place) until their mass reaches topP, renormalised. */
function nucleus(p: Float64Array, topP: number): Float64Array {
  const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
  let mass = 0;
  let kept = 0;
  while (kept < order.length && mass < topP) mass += p[order[kept++]!]!;
  for (let i = kept; i < order.length; i++) p[order[i]!] = 0;
  for (let i = 0; i < p.length; i++) p[i]! /= mass;
  return p;
}

/** Inverse-CDF draw from probabilities p (summing to 1). */
export function sampleFrom(p: ArrayLike<number>, rng: Rng): number {
  checkProbabilities('sampleFrom: p', p);
  if (!(rng instanceof Rng))
    throw new ArgumentError(`sampleFrom: rng: expected an Rng, got ${describeValue(rng)}`);
  const u = rng.uniform();
  let c = 0;
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! <= 0) continue;
    last = i;
    c += p[i]!;
    if (u < c) return i;
  }
  return last; // rounding: u beyond the accumulated total
}

/** Log-probabilities or logits: a non-empty array, no NaN or +∞ (−∞ marks an impossible token). */
function checkLogits(name: string, x: ArrayLike<number>): void {
  checkNumbers(name, x, { minLength: 1, finite: false });
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || x[i] === Number.POSITIVE_INFINITY)
      throw new NonFiniteError(`${name}: expected finite values or −Infinity, got ${x[i]} at index ${i}`);
  }
}
