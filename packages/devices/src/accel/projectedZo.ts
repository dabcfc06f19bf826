import {
  ArgumentError,
  checkAllFinite,
  checkFloat64Array,
  checkInt,
  checkNumber,
  checkObject,
  describeValue,
  ShapeError,
  StateError,
} from '@tenzo/core';
import type { ParamBounds } from '../device.js';
import type { QueryLedger } from '../ledger.js';
import type { MeshLayout } from '../mesh/layout.js';
import { slices, ZO_CHUNKS, type ZoExecutor } from './executor.js';
import { inProcess } from './inProcess.js';
import { elementwiseFields, meshFields } from './lawFields.js';
import { fillGaussian } from './streams.js';
import type { ZoKernelSpec } from './zoKernel.js';

/**
 * An elementwise law A_k = h(ω_k) of a simulator's matrix (k = i·d_in + j, row-major):
 * 'cos' is the SLM's scale·cos φ, 'allPass' the microring's 2 t(φ) − 1 with loss a and
 * self-coupling r.
 */
/** An MZI mesh of ideal classical cells (loss η per cell), coherent readout Re(U x)[:d_out]. */
export interface MeshLaw {
  readonly law: 'mesh';
  readonly layout: MeshLayout;
  readonly eta: number;
}

/**
 * How a device maps each parameter ω to its transmission, for the accelerated ZO kernels: `scale·cos(ω)`
 * ('cos') or a microring's all-pass response with self-coupling `r` and loss `a` ('allPass').
 */
export type ElementwiseLaw =
  | { readonly law: 'cos'; readonly scale: number }
  | { readonly law: 'allPass'; readonly a: number; readonly r: number };

/** One projected ZO estimate, as `layerParamGrad` asks for it. */
export interface ProjectedZoRequest {
  /** probed inputs P (rows×d_in) and their output weights W (rows×d_out): s = ⟨f(P), W⟩ */
  readonly P: Float64Array;
  readonly W: Float64Array;
  /** ω (the device is left set to it, as after the materialised estimate) */
  readonly omega: Float64Array;
  /** M_BB directions, finite-difference step μ */
  readonly q: number;
  readonly mu: number;
  readonly directions: 'gaussian' | 'rademacher';
  /** 64-bit key of the direction streams (direction i is stream i of the key) */
  readonly key: readonly [number, number];
  /** ⟨f_ω(P), W⟩ as already measured (the forward's outputs); omitted: a baseline query is counted */
  readonly base?: number;
  readonly executor?: ZoExecutor;
}

/**
 * One projected ZO estimate: the gradient ω̄ = (1/q)·Σ dᵢuᵢ, the finite differences dᵢ, the input vectors
 * a real device would have been sent, and the device calls made.
 */
export interface ProjectedZoResult {
  /** ω̄ = (1/q) Σ_i d_i u_i */
  readonly grad: Float64Array;
  /** d_i = (⟨f_{ω+μu_i}(P), W⟩ − base)/μ */
  readonly diffs: Float64Array;
  /** input vectors a real device would have been sent (rows per query) */
  readonly inputs: number;
  readonly calls: number;
}

/**
 * The simulator capability behind the fast ZO path (issue #19): the paper's estimate needs only
 * ⟨f_{ω+μu}(P), W⟩, which a linear simulator returns as ⟨A(ω + μu), WᵀP⟩ without the
 * rows×d_out×d_in product. Exact for noiseless devices and exact in distribution for Gaussian
 * readout noise (⟨ε, W⟩ ~ N(0, σ²‖W‖²) is drawn directly); other noise models and drift make it
 * unavailable. Like `ExactLinearAccess` it is NOT part of the black-box contract: a real or
 * remote device has none, and the ledger still counts the rows a device would be queried with.
 */
export interface ProjectedZoAccess {
  /** null when the projection is exact for this simulator's settings, else the reason it is not */
  readonly unavailable: string | null;
  /**
   * One projected ZO estimate of ⟨f_ω(P), W⟩'s gradient in ω, computed by the simulator without
   * materialising f(P) for every direction.
   */
  estimate(req: ProjectedZoRequest): Promise<ProjectedZoResult>;
}

/** What the estimate needs of the simulator it runs for. */
export interface ProjectionHost {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly bounds: ParamBounds;
  readonly ledger: QueryLedger;
  /** σ of the Gaussian readout noise (0: none) */
  readonly readoutSigma: number;
  /** the rows as the device's input DAC passes them (the rows themselves without one) */
  digitise(P: Float64Array): Float64Array;
  /** two fresh 32-bit words from the device's noise generator */
  noiseKey(): [number, number];
  /** sets the device to ω (the state a materialised estimate leaves) and says whether it changed */
  settle(omega: Float64Array): boolean;
  /** scratch array number `slot` of length n (on a SharedArrayBuffer when `shared`), reused across calls */
  scratch(slot: number, n: number, shared: boolean): Float64Array;
}

/** The projected estimate for a simulator's law (see {@link ProjectedZoAccess}). */
export async function projectedEstimate(
  host: ProjectionHost,
  law: ElementwiseLaw | MeshLaw,
  req: ProjectedZoRequest,
): Promise<ProjectedZoResult> {
  const fn = `${host.name}.projectedZo.estimate`;
  checkObject(`${fn}: request`, req);
  const q = checkInt(`${fn}: q`, req.q, { positive: true });
  const mu = checkNumber(`${fn}: mu`, req.mu, { gt: 0 });
  const { inputSize: dIn, outputSize: dOut } = host;
  const p = host.bounds.lower.length;
  const P = checkFloat64Array(`${fn}: P`, req.P);
  const W = checkFloat64Array(`${fn}: W`, req.W);
  const omega = checkFloat64Array(`${fn}: omega`, req.omega);
  if (omega.length !== p) throw new ShapeError(`${fn}: ω has length ${omega.length}, expected ${p}`);
  if (P.length === 0 || P.length % dIn !== 0)
    throw new ShapeError(`${fn}: P length ${P.length} is not a positive multiple of d_in ${dIn}`);
  const rows = P.length / dIn;
  if (W.length !== rows * dOut) throw new ShapeError(`${fn}: W length ${W.length}, expected ${rows}×${dOut}`);
  if (req.directions !== 'gaussian' && req.directions !== 'rademacher')
    throw new ArgumentError(
      `${fn}: directions expected 'gaussian' or 'rademacher', got ${describeValue(req.directions)}`,
    );
  if (!Array.isArray(req.key) || req.key.length !== 2 || !req.key.every((w) => Number.isInteger(w)))
    throw new ArgumentError(`${fn}: key expected two 32-bit integers, got ${describeValue(req.key)}`);
  if (req.base !== undefined) checkNumber(`${fn}: base`, req.base);
  checkAllFinite(`${fn}: omega`, omega);
  checkAllFinite(`${fn}: P`, P);
  checkAllFinite(`${fn}: W`, W);
  if (
    req.executor !== undefined &&
    (req.executor === null || typeof (req.executor as Partial<ZoExecutor>).run !== 'function')
  )
    throw new ArgumentError(
      `${fn}: executor expected a ZoExecutor (inProcess, or workerPool from @tenzo/devices/node), got ${describeValue(req.executor)}`,
    );
  // small estimates stay in this thread: a round trip to the workers costs more than they save
  // (the result is the same either way)
  const work = law.law === 'mesh' ? q * p * rows : q * p;
  const executor =
    req.executor !== undefined && work >= (req.executor.minWork ?? 0) ? req.executor : inProcess;
  const withBase = req.base === undefined;
  host.ledger.checkMany(q + (withBase ? 1 : 0), (q + (withBase ? 1 : 0)) * rows, q + 2);
  const t0 = performance.now();
  // scratch arrays are reused across estimates of one device (an estimate awaits all its chunks,
  // so no worker still reads them when the next one starts)
  let slot = 0;
  const alloc = (n: number): Float64Array => host.scratch(slot++, n, executor.shared);
  // the probed rows reach the physics through the input DAC, as in a materialised query
  const Pd = host.digitise(P);
  const fields =
    law.law === 'mesh'
      ? meshFields(law, Pd, W, omega, rows, dIn, dOut, mu, alloc)
      : await elementwiseFields(
          law,
          Pd,
          W,
          omega,
          rows,
          dIn,
          dOut,
          mu,
          req.directions,
          host.bounds,
          alloc,
          executor,
        );
  // readout noise: ⟨ε, W⟩ ~ N(0, σ²‖W‖²) per query, from the device's own (index-split) stream
  let noiseScale = 0;
  let noiseKey: [number, number] = [0, 0];
  let baseOffset = 0;
  if (host.readoutSigma > 0) {
    let ww = 0;
    for (let k = 0; k < W.length; k++) ww += W[k]! * W[k]!;
    noiseScale = host.readoutSigma * Math.sqrt(ww);
    noiseKey = host.noiseKey();
  }
  if (req.base !== undefined) baseOffset = req.base - fields.cleanBase;
  else if (noiseScale > 0) {
    // the baseline query's own noise: stream q of the noise key (directions use 0..q−1)
    const z = new Float64Array(1);
    fillGaussian(z, 1, noiseKey[0], noiseKey[1], q, new Int32Array(4));
    baseOffset = noiseScale * z[0]!;
  }
  const nChunks = Math.min(q, ZO_CHUNKS);
  const spec: ZoKernelSpec = {
    ...fields,
    p,
    q,
    mu,
    directions: req.directions,
    key0: req.key[0] | 0,
    key1: req.key[1] | 0,
    noiseScale,
    noiseKey0: noiseKey[0] | 0,
    noiseKey1: noiseKey[1] | 0,
    baseOffset,
    diffs: alloc(q),
    partials: alloc(nChunks * p),
    parts: nChunks,
    grad: alloc(p),
  };
  await executor.run(spec, slices(undefined, q, nChunks));
  // ω̄ = the partial sums added in chunk order, entry ranges split over the threads
  await executor.run(spec, slices('reduce', p, Math.min(p, ZO_CHUNKS)));
  const grad = Float64Array.from(spec.grad!);
  const diffs = Float64Array.from(spec.diffs);
  // the ledger as for the materialised estimate: q perturbed queries (and the baseline when not
  // given), each a reconfiguration, then the device set back to ω
  const calls = q + (withBase ? 1 : 0);
  const ledger = host.ledger;
  ledger.calls += calls;
  ledger.inputs += calls * rows;
  const moved = host.settle(omega);
  ledger.reconfigurations += q + 1 + (withBase && moved ? 1 : 0);
  ledger.wallMs += performance.now() - t0;
  return { grad, diffs, inputs: calls * rows, calls };
}

/** The `projectedZo` member of a simulator: available unless `blocker` names a reason. */
export function projectedAccess(
  blocker: string | null,
  host: () => ProjectionHost,
  law: ElementwiseLaw | MeshLaw,
): ProjectedZoAccess {
  return {
    unavailable: blocker,
    estimate: (req) => {
      if (blocker !== null) {
        const h = host();
        return Promise.reject(new StateError(`${h.name}.projectedZo.estimate: unavailable (${blocker})`));
      }
      return projectedEstimate(host(), law, req);
    },
  };
}
