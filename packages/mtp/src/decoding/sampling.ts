import { checkInt, checkNumber, type Rng } from '@tenzo/core';

export interface SamplingOptions {
  /** 0 (default) means greedy */
  temperature?: number;
  /** keep only the k most likely tokens before sampling (0: all) */
  topK?: number;
}

/** Index of the largest entry (the first on ties, so greedy decoding is deterministic). */
export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/**
 * The distribution decoding draws from: softmax(logp / temperature), restricted to the top k.
 * Speculative sampling applies the same transform to target and draft, so it is exact for it.
 */
export function samplingDistribution(logp: ArrayLike<number>, opts: SamplingOptions): Float64Array {
  const t = checkNumber('temperature', opts.temperature ?? 1, { gt: 0 });
  const k = checkInt('topK', opts.topK ?? 0, { min: 0 });
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
  for (let i = 0; i < v; i++) out[i]! /= z;
  return out;
}

/** Inverse-CDF draw from probabilities p (summing to 1). */
export function sampleFrom(p: ArrayLike<number>, rng: Rng): number {
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
