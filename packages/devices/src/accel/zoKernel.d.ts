/**
 * Everything a worker needs for directions of one projected ZO estimate (typed arrays may live
 * on SharedArrayBuffers). p: parameter count; C, S, … are length p unless noted.
 */
export interface ZoKernelSpec {
  /** the elementwise law h of A_k = h(ω_k) */
  readonly law: 'cos' | 'allPass';
  readonly p: number;
  /** M_BB, the number of directions (the 1/q of the estimate) */
  readonly q: number;
  readonly mu: number;
  readonly directions: 'gaussian' | 'rademacher';
  /** the direction stream's 64-bit key */
  readonly key0: number;
  readonly key1: number;
  /** 'cos': scale·G·cos ω and scale·G·sin ω; 'allPass': cos ω and sin ω */
  readonly C: Float64Array;
  readonly S: Float64Array;
  /** 'allPass' only: 2G, t(ω) and the ring constants α = a² + r², β = 2ar, γ = 1 + a²r² */
  readonly G2: Float64Array;
  readonly T0: Float64Array;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** ω − lower and upper − ω (∞ when unbounded), and their smallest entry */
  readonly slackLo: Float64Array;
  readonly slackHi: Float64Array;
  readonly minSlack: number;
  /**
   * 'rademacher' only: with Plus_k, Minus_k = G_k (h(ω_k ± μ) − h(ω_k)) (bounds applied),
   * Diff = Plus − Minus and minusSum = Σ_k Minus_k
   */
  readonly Diff: Float64Array;
  readonly minusSum: number;
  /** σ‖W‖_F of Gaussian readout noise (0: none) and the noise stream's key */
  readonly noiseScale: number;
  readonly noiseKey0: number;
  readonly noiseKey1: number;
  /** measured baseline − noiseless baseline (the baseline query's own noise) */
  readonly baseOffset: number;
  /** out: d_i for every direction (length q) */
  readonly diffs: Float64Array;
  /** out: chunk c's Σ_i (d_i/q) u_i at [c·p, (c+1)·p) */
  readonly partials: Float64Array;
}

/** Runs directions [first, last) as chunk `chunk` (writes spec.diffs and partials of the chunk). */
export function zoChunk(spec: ZoKernelSpec, first: number, last: number, chunk: number): void;
