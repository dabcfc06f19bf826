import {
  ArgumentError,
  checkInt,
  checkObject,
  checkOneOf,
  formatShape,
  Rng,
  type Seed,
  ShapeError,
} from '@tenzo/core';
import { checkMatrix, type Matrix, matmul, matmulNT } from '@tenzo/linalg';
import { applyTranspose } from '../apply.js';
import { checkLowRank, type LowRank } from '../lowRank.js';
import { drawProbes } from './probes.js';
import { type LinearQuery, QueryCounter, type QueryReport } from './query.js';

/** Probe distributions with E[z zᵀ] = I, so that the correction is unbiased. */
export type ResidualProbeEstimator = 'gaussian' | 'orthogonal';

/** Every {@link ResidualProbeEstimator}, in the order reports list them. */
export const RESIDUAL_PROBE_ESTIMATORS: readonly ResidualProbeEstimator[] = ['gaussian', 'orthogonal'];

/**
 * Options of `probeResidual`: the number of probe rows M (one forward query each), their distribution and
 * the seed or `Rng`.
 */
export interface ResidualProbeOptions {
  /** M: probe rows, one forward query each */
  samples: number;
  /**
   * 'gaussian' (default): z ~ N(0, I); 'orthogonal': blocks of up to d_in orthonormal rows scaled
   * by √d_in (lower variance; with M a multiple of d_in the correction is exact)
   */
  estimator?: ResidualProbeEstimator;
  /** generator for the probes; otherwise new Rng(seed), seed default 0 */
  rng?: Rng;
  seed?: Seed;
}

/** The forward responses of the surrogate's residual on random probe rows. */
export interface ResidualProbes {
  /** Z: M×d_in, the probe rows z_j */
  readonly z: Matrix;
  /** R: M×d_out, row j = (A − U S Vᵀ)·z_j: the operator's response minus the surrogate's */
  readonly residual: Matrix;
  /** the M queries, all on f (target 'f1', purpose 'correction') */
  readonly report: QueryReport;
}

/**
 * Measures what a rank-r surrogate Y = U S Vᵀ misses of a black-box operator A, on M random
 * probe rows: R = Z·Aᵀ − Z·Yᵀ from M forward queries of A. With these,
 * {@link applyTransposeCorrected} turns the surrogate's biased backward Yᵀȳ into an unbiased
 * estimate of Aᵀȳ that uses the surrogate as a control variate:
 *
 *   x̄ = Yᵀȳ + (1/M) Σ_j z_j ⟨(A − Y) z_j, ȳ⟩,    E[x̄] = Aᵀȳ since E[z zᵀ] = I,
 *
 * with a variance of about (d_in/M)·‖(A − Y)ᵀȳ‖² — small when the surrogate is good, and never
 * the systematic error of a rank-r truncation of a full-rank A (a unitary-like MZI mesh loses
 * most of Aᵀȳ that way). The probes do not depend on ȳ, so they can be queried during the
 * (asynchronous) forward pass and used in the (synchronous) backward.
 */
export async function probeResidual(
  y: LowRank,
  f: LinearQuery,
  options: ResidualProbeOptions,
): Promise<ResidualProbes> {
  const op = 'probeResidual';
  checkLowRank(op, y, { orthoTol: Number.POSITIVE_INFINITY });
  if (typeof f !== 'function')
    throw new ArgumentError(`${op}: f must be a LinearQuery function, got ${String(f)}`);
  const samples = checkInt(`${op}: options.samples`, options?.samples, { positive: true });
  const estimator = checkOneOf(
    `${op}: options.estimator`,
    options.estimator ?? 'gaussian',
    RESIDUAL_PROBE_ESTIMATORS,
  );
  if (options.rng !== undefined && typeof (options.rng as Partial<Rng> | null)?.fillNormal !== 'function') {
    throw new ArgumentError(`${op}: options.rng must be an Rng from @tenzo/core`);
  }
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const dIn = y.V.rows;
  const dOut = y.U.rows;
  const z = drawProbes(rng, samples, dIn, estimator);
  const counter = new QueryCounter(op, dOut);
  const response = await counter.run(f, 'f1', z, [{ purpose: 'correction', inputs: samples }]);
  // Z·Yᵀ = Z V Sᵀ Uᵀ, O(M·(d_in + d_out)·r)
  const predicted = matmulNT(matmulNT(matmul(z, y.V), y.S), y.U);
  const residual = new Float64Array(samples * dOut);
  for (let i = 0; i < residual.length; i++) residual[i] = response.data[i]! - predicted.data[i]!;
  return { z, residual: { rows: samples, cols: dOut, data: residual }, report: counter.report() };
}

/**
 * The corrected backward on a batch of rows: G: B×d_out (row b is ȳ_b) → B×d_in with row b
 * = Yᵀȳ_b + (1/M) Σ_j z_j ⟨r_j, ȳ_b⟩, i.e. G·U·S·Vᵀ + (1/M)·(G·Rᵀ)·Z — an unbiased estimate
 * of G·A (see {@link probeResidual}). Costs O(B·M·(d_in + d_out)) on top of the surrogate's.
 */
export function applyTransposeCorrected(y: LowRank, probes: ResidualProbes, g: Matrix): Matrix {
  const op = 'applyTransposeCorrected';
  checkMatrix(op, 'g', g);
  checkLowRank(op, y, { orthoTol: Number.POSITIVE_INFINITY });
  checkObject(`${op}: probes`, probes);
  const z = checkMatrix(op, 'probes.z', probes.z);
  const residual = checkMatrix(op, 'probes.residual', probes.residual);
  if (z.cols !== y.V.rows || residual.cols !== y.U.rows || z.rows !== residual.rows) {
    throw new ShapeError(
      `${op}: probes must be Z: M×d_in and R: M×d_out with d_in = ${y.V.rows}, d_out = ${y.U.rows}, got Z ${formatShape([z.rows, z.cols])} and R ${formatShape([residual.rows, residual.cols])}`,
    );
  }
  const out = applyTranspose(y, g);
  const coeff = matmulNT(g, residual); // B×M: ⟨r_j, ȳ_b⟩
  const inv = 1 / z.rows;
  for (let i = 0; i < coeff.data.length; i++) coeff.data[i]! *= inv;
  const corr = matmul(coeff, z);
  for (let i = 0; i < out.data.length; i++) out.data[i]! += corr.data[i]!;
  return out;
}
