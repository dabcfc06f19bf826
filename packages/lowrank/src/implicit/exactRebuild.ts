import { ArgumentError, checkInt, checkNumber, checkOneOf, Rng, type Seed, ShapeError } from '@tenzo/core';
import { diag, eye, lstsq, type Matrix, randomizedSvd, sliceCols, svd, transpose } from '@tenzo/linalg';
import type { LowRank } from '../lowRank.js';
import { drawProbes } from './probes.js';
import { type LinearQuery, QueryCounter, type QueryReport } from './query.js';

/**
 * Options of `exactRebuild`: the probes that query the operator (identity, or random rows and how many),
 * the batch size per query, full or randomised SVD with its settings, the rank tolerance and the seed or
 * `Rng`.
 */
export interface ExactRebuildOptions {
  /**
   * - 'identity' (default, the paper's initialisation): the d_in unit vectors; exact, d_in queries
   * - 'gaussian' | 'orthogonal': `samples` random rows Z; the operator is recovered as the
   *   least-squares Â = A·P_Z (P_Z: projector onto the rows' span), exact when samples ≥ d_in,
   *   otherwise A restricted to a random subspace — range(U) is still exact when rank(A) ≤ samples
   */
  probes?: 'identity' | 'gaussian' | 'orthogonal';
  /** number of random rows for 'gaussian' / 'orthogonal' (default d_in) */
  samples?: number;
  /** rows per call to f (default: all in one call) */
  batchSize?: number;
  /** 'full' (default): truncated SVD of Â; 'randomized': Halko–Martinsson–Tropp randomized SVD */
  svd?: 'full' | 'randomized';
  /** randomized SVD oversampling (default 10) and power iterations (default 2) */
  oversample?: number;
  powerIters?: number;
  /** relative Frobenius truncation tolerance, with `rank` as the cap ('full' svd only) */
  tol?: number;
  /** generator for random probes and the randomized SVD; otherwise new Rng(seed), seed default 0 */
  rng?: Rng;
  seed?: Seed;
}

/**
 * What `exactRebuild` returns: the rank-r truncated SVD of the recovered operator as a {@link LowRank},
 * the singular values computed and a report of the queries made.
 */
export interface ExactRebuildResult {
  /** the rank-r truncated SVD of the recovered operator, S diagonal */
  readonly surrogate: LowRank;
  /** the singular values computed: all min(d_out, d_in) with 'full', the top `rank` with 'randomized' */
  readonly singularValues: Float64Array;
  /** queries made, all on f (reported as target 'f1', purpose 'rebuild') */
  readonly report: QueryReport;
}

/**
 * Builds (or rebuilds) the surrogate of a black-box linear operator f: d_in → d_out from forward
 * queries: recover A on the query rows, then take its rank-r truncated SVD (METHODS.md §1.3).
 * With the default identity probes this is exact and costs d_in queries; the reference
 * implementation does this once at initialisation and optionally every k steps.
 */
export async function exactRebuild(
  f: LinearQuery,
  dIn: number,
  rank: number,
  options: ExactRebuildOptions = {},
): Promise<ExactRebuildResult> {
  const op = 'exactRebuild';
  if (typeof f !== 'function')
    throw new ArgumentError(`${op}: f must be a LinearQuery function, got ${String(f)}`);
  checkInt(`${op}: dIn`, dIn, { positive: true });
  checkInt(`${op}: rank`, rank, { positive: true });
  const probes = checkOneOf(`${op}: options.probes`, options.probes ?? 'identity', [
    'identity',
    'gaussian',
    'orthogonal',
  ] as const);
  const samples =
    probes === 'identity'
      ? dIn
      : checkInt(`${op}: options.samples`, options.samples ?? dIn, { positive: true });
  const batchSize = checkInt(`${op}: options.batchSize`, options.batchSize ?? samples, { positive: true });
  const svdKind = checkOneOf(`${op}: options.svd`, options.svd ?? 'full', ['full', 'randomized'] as const);
  const tol =
    options.tol === undefined ? undefined : checkNumber(`${op}: options.tol`, options.tol, { min: 0 });
  if (options.rng !== undefined && typeof (options.rng as Partial<Rng> | null)?.fillNormal !== 'function') {
    throw new ArgumentError(`${op}: options.rng must be an Rng from @tenzo/core`);
  }
  const rng = options.rng ?? new Rng(options.seed ?? 0);

  const Z = probes === 'identity' ? eye(dIn) : drawProbes(rng, samples, dIn, probes);
  const counter = new QueryCounter(op, undefined);
  const chunks: Matrix[] = [];
  for (let start = 0; start < samples; start += batchSize) {
    const k = Math.min(batchSize, samples - start);
    const x: Matrix = { rows: k, cols: dIn, data: Z.data.slice(start * dIn, (start + k) * dIn) };
    chunks.push(await counter.run(f, 'f1', x, [{ purpose: 'rebuild', inputs: k }]));
  }
  const dOut = counter.outputSize ?? 0;
  if (rank > Math.min(dIn, dOut)) {
    throw new ShapeError(`${op}: rank = ${rank} must be <= min(d_out, d_in) = min(${dOut}, ${dIn})`);
  }
  const R: Matrix = { rows: samples, cols: dOut, data: new Float64Array(samples * dOut) };
  let off = 0;
  for (const c of chunks) {
    R.data.set(c.data, off);
    off += c.data.length;
  }
  // rows of R are (A·z_b)ᵀ, so R = Z·Aᵀ; identity rows give Aᵀ directly
  const At = probes === 'identity' ? R : lstsq(Z, R).x;
  const A = transpose(At);
  if (svdKind === 'randomized') {
    const s = randomizedSvd(A, rank, {
      rng,
      oversample: checkInt(`${op}: options.oversample`, options.oversample ?? 10),
      powerIters: checkInt(`${op}: options.powerIters`, options.powerIters ?? 2),
    });
    return { surrogate: { U: s.U, S: diag(s.S), V: s.V }, singularValues: s.S, report: counter.report() };
  }
  const { U, S, V } = svd(A);
  // no more triplets than the SVD has (a rank above min(d_in, d_out) keeps them all)
  let keep = Math.min(rank, S.length);
  if (tol !== undefined) {
    // fewest triplets with ‖A − Y‖_F ≤ tol·‖A‖_F (as svdTruncated), but at least one
    let total = 0;
    for (const v of S) total += v * v;
    let tail = 0;
    let k = S.length;
    while (k > 1 && tail + S[k - 1]! ** 2 <= tol * tol * total) tail += S[--k]! ** 2;
    keep = Math.min(rank, k);
  }
  return {
    surrogate: { U: sliceCols(U, 0, keep), S: diag(S.subarray(0, keep)), V: sliceCols(V, 0, keep) },
    singularValues: S,
    report: counter.report(),
  };
}
