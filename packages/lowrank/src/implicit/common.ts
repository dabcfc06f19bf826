import { ArgumentError, checkInt, formatShape, Rng, type Seed, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix, sliceRows, transpose } from '@tenzo/linalg';
import type { LowRank } from '../lowRank.js';
import { checkEstimator, drawProbes, type TransposeEstimator } from './probes.js';
import { type LinearQuery, type QueryCounter, type QueryReport, vcat } from './query.js';

/** Options shared by the query-only integrators. */
export interface ImplicitOptions {
  /** M: probe vectors for the transposed product ΔAᵀ·U (M_SM in the paper), ≥ 1 */
  samples: number;
  /** transposed-product estimator (default 'gaussian', the paper's) */
  estimator?: TransposeEstimator;
  /**
   * generator of the probes, advanced in place so successive updates draw fresh probes (the
   * way to use these functions in a loop); otherwise a new Rng(seed) per call (seed default 0)
   */
  rng?: Rng;
  seed?: Seed;
  /**
   * after the update, query f1 on the NEXT update's rows ([V1ᵀ; Z_next], r1 + M vectors) while
   * the hardware is still at ω₁, and return them as `cache`; passing that cache as the next
   * update's f0 then needs no f0 queries, so the device is never switched back to the old ω
   */
  prefetch?: boolean;
}

/**
 * Responses of the operator that will be f0 at the next update, taken in advance (see
 * `ImplicitOptions.prefetch`). Plain data, so it can be checkpointed with the surrogate.
 */
export interface F0Cache {
  /** d_in×r: the basis the responses were taken at; must equal the next update's surrogate V */
  readonly V: Matrix;
  /** M×d_in: the probe rows the next update will use */
  readonly probes: Matrix;
  /** the estimator the probes were drawn for */
  readonly estimator: TransposeEstimator;
  /** (r + M)×d_out: f(V's columns) as the first r rows, then f(probes) */
  readonly responses: Matrix;
}

/** What the query-only integrators return. */
export interface ImplicitResult {
  /** the updated surrogate Y1 ≈ A(ω₁) */
  readonly surrogate: LowRank;
  /** the queries this update made, on which operator and why */
  readonly report: QueryReport;
  /** present with `prefetch: true`: pass it as f0 to the next update */
  readonly cache?: F0Cache;
}

export interface ParsedImplicit {
  samples: number;
  estimator: TransposeEstimator;
  rng: Rng;
  prefetch: boolean;
}

export function parseImplicitOptions(op: string, options: ImplicitOptions, dIn: number): ParsedImplicit {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(`${op}: options {samples, ...} are required, got ${String(options)}`);
  }
  const samples = checkInt(`${op}: options.samples`, options.samples, { positive: true });
  const estimator = checkEstimator(op, options.estimator ?? 'gaussian', samples, dIn);
  if (options.rng !== undefined && typeof (options.rng as Partial<Rng> | null)?.fillNormal !== 'function') {
    throw new ArgumentError(`${op}: options.rng must be an Rng from @tenzo/core`);
  }
  return {
    samples,
    estimator,
    rng: options.rng ?? new Rng(options.seed ?? 0),
    prefetch: options.prefetch === true,
  };
}

function sameMatrix(a: Matrix, b: Matrix): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

function checkCache(op: string, c: F0Cache, y: LowRank, p: ParsedImplicit): void {
  const V = checkMatrix(op, 'f0.V (cache)', c.V);
  const Z = checkMatrix(op, 'f0.probes (cache)', c.probes);
  const R = checkMatrix(op, 'f0.responses (cache)', c.responses);
  if (!sameMatrix(V, y.V)) {
    throw new ArgumentError(
      `${op}: the f0 cache was taken at a different basis V than the surrogate's (pass the cache returned by the update that produced this surrogate)`,
    );
  }
  if (c.estimator !== p.estimator || Z.rows !== p.samples || Z.cols !== y.V.rows) {
    throw new ArgumentError(
      `${op}: the f0 cache holds ${Z.rows} '${c.estimator}' probes of size ${Z.cols}, but this update asks for ${p.samples} '${p.estimator}' probes of size ${y.V.rows}`,
    );
  }
  if (R.rows !== y.V.cols + p.samples || R.cols !== y.U.rows) {
    throw new ShapeError(
      `${op}: f0.responses (cache) must be (r + M)×d_out = ${formatShape([y.V.cols + p.samples, y.U.rows])}, got ${formatShape([R.rows, R.cols])}`,
    );
  }
}

/** The differences both query-only integrators start from. */
export interface Differences {
  /** ΔA·V0: d_out×r, exact */
  P1: Matrix;
  /** probe rows: M×d_in */
  Z: Matrix;
  /** Z·ΔAᵀ: M×d_out */
  R: Matrix;
}

/**
 * Queries f0 (or reads the cache), then f1, each once on the same rows [V0ᵀ; Z]
 * ((r + M)×d_in), and returns their differences.
 */
export async function gatherDifferences(
  op: string,
  y: LowRank,
  f0: LinearQuery | F0Cache,
  f1: LinearQuery,
  p: ParsedImplicit,
  counter: QueryCounter,
): Promise<Differences> {
  const r = y.V.cols;
  const parts = [
    { purpose: 'basis' as const, inputs: r },
    { purpose: 'probes' as const, inputs: p.samples },
  ];
  if (typeof f1 !== 'function') throw new ArgumentError(`${op}: f1 must be a LinearQuery function`);
  let y0: Matrix;
  let Z: Matrix;
  if (typeof f0 === 'function') {
    Z = drawProbes(p.rng, p.samples, y.V.rows, p.estimator);
    y0 = await counter.run(f0, 'f0', vcat(transpose(y.V), Z), parts);
  } else {
    if (f0 === null || typeof f0 !== 'object') {
      throw new ArgumentError(`${op}: f0 must be a LinearQuery function or an F0Cache, got ${String(f0)}`);
    }
    checkCache(op, f0, y, p);
    Z = f0.probes;
    y0 = f0.responses;
    counter.cached('f0', parts);
  }
  const y1 = await counter.run(f1, 'f1', vcat(transpose(y.V), Z), parts);
  const d = new Float64Array(y1.data.length);
  for (let i = 0; i < d.length; i++) d[i] = y1.data[i]! - y0.data[i]!;
  const D: Matrix = { rows: y1.rows, cols: y1.cols, data: d };
  return { P1: transpose(sliceRows(D, 0, r)), Z, R: sliceRows(D, r, D.rows) };
}

/** Queries f1 on the next update's rows [V1ᵀ; Z_next] and packs them as an F0Cache. */
export async function prefetchF0(
  V1: Matrix,
  f1: LinearQuery,
  p: ParsedImplicit,
  counter: QueryCounter,
): Promise<F0Cache> {
  const probes = drawProbes(p.rng, p.samples, V1.rows, p.estimator);
  const responses = await counter.run(f1, 'f1', vcat(transpose(V1), probes), [
    { purpose: 'prefetch', inputs: V1.cols + p.samples },
  ]);
  return { V: V1, probes, estimator: p.estimator, responses };
}
