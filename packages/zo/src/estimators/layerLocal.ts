import {
  ArgumentError,
  checkAllFinite,
  checkInt,
  checkNumber,
  checkNumbers,
  checkObject,
  checkOneOf,
  checkRng,
  describeValue,
  Rng,
  type RngState,
  ShapeError,
} from '@tenzo/core';
import { checkVector } from '../checks.js';
import { type DirectionKind, sampleDirections } from '../directions.js';
import { lowRankBatch } from './batchCompression.js';

/**
 * What the layer-local estimator needs of a device: sizes and a batched, async forward query at a
 * given ω. `PhysicalDevice` from @tenzo/devices satisfies it structurally.
 */
export interface ParamQueryable {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  /**
   * The device's outputs for the rows of X (B × inputSize) at ω (the current setting when omitted): B ×
   * outputSize.
   */
  query(X: Float64Array, omega?: Float64Array): Promise<Float64Array>;
}

/**
 * The simulator-only fast path `layerParamGrad` uses with `simulation: 'projected'` (implemented by
 * @tenzo/devices' SLM, MRR and MZI simulators as `projectedZo`): ⟨f_{ω+μu_i}(P), W⟩ for every direction
 * without materialising the outputs. Declared here structurally, as `ParamQueryable` is.
 */
export interface ProjectedZoCapable {
  readonly projectedZo?: {
    readonly unavailable: string | null;
    /** the projected estimate for directions drawn from `key` (`@tenzo/devices`' `ProjectedZoRequest`) */
    estimate(req: {
      readonly P: Float64Array;
      readonly W: Float64Array;
      readonly omega: Float64Array;
      readonly q: number;
      readonly mu: number;
      readonly directions: 'gaussian' | 'rademacher';
      readonly key: readonly [number, number];
      readonly base?: number;
      readonly executor?: unknown;
    }): Promise<{ grad: Float64Array; diffs: Float64Array; inputs: number; calls: number }>;
  };
}

/**
 * Options of `layerParamGrad`: directions M_BB and step μ, the `Rng` and direction distribution, batch
 * compression and its rank, the baseline outputs, and the simulation/executor of the projected path.
 */
export interface LayerParamGradOptions {
  /** M_BB: number of perturbation directions */
  readonly q: number;
  /** finite-difference step μ (the reference uses 1e-4) */
  readonly mu?: number;
  readonly rng: Rng;
  /** 'gaussian' (the paper) or 'rademacher' */
  readonly directions?: Extract<DirectionKind, 'gaussian' | 'rademacher'>;
  /**
   * Batch compression for devices LINEAR in x: Σ_b ⟨A x_b, ȳ_b⟩ = Σ_j ⟨A m_j, e_j⟩ with
   * M = Ȳᵀ X (d_out rows), so each direction costs d_out input vectors instead of B. `true`
   * always compresses, 'auto' when B > d_out; default false (safe for nonlinear devices).
   */
  readonly compress?: boolean | 'auto';
  /**
   * Low-rank batch compression (device LINEAR in x): probe only the top-k singular directions of
   * G = Ȳᵀ X (see `lowRankBatch`), so each direction costs k inputs. Overrides `compress`; a
   * k ≥ rank(G) is exact. Omit for the paper's estimator.
   */
  readonly compressRank?: number;
  /** f_ω(X) if the forward pass already measured it (saves B queries when not compressing) */
  readonly baseline?: Float64Array;
  /**
   * 'materialised' (default): every direction is a real query of the device, outputs and all.
   * 'projected': when the device is a simulator that offers `projectedZo` (and it is available
   * for its noise settings), ⟨f_{ω+μu}(P), W⟩ comes from the simulator's exact projection — the
   * same estimator, counted in the ledger as the same queries, at a fraction of the cost. Its
   * directions come from counter-based streams keyed by two words of `rng` (direction i is
   * stream i), so the result is bit-identical whatever executor runs them; a device without the
   * capability is queried as in 'materialised'.
   */
  readonly simulation?: 'materialised' | 'projected';
  /** where the projected directions run (a `ZoExecutor` of @tenzo/devices; default in-process) */
  readonly executor?: unknown;
}

/**
 * One layer-local ω-gradient estimate: ω̄ (length paramSize), the input vectors and query calls sent to
 * the device, whether the batch was compressed and the share of ‖ȲᵀX‖² kept, the finite differences and
 * the RNG state that replays them, and whether the simulator's projected query served the directions.
 */
export interface LayerParamGrad {
  /** ω̄ estimate, length paramSize */
  readonly grad: Float64Array;
  /** input vectors sent to the device */
  readonly inputs: number;
  /** query calls (one per ω setting) */
  readonly calls: number;
  readonly compressed: boolean;
  /** share of ‖Ȳᵀ X‖²_F the probed inputs carry (1 unless `compressRank` truncated it) */
  readonly captured: number;
  /** s_i = Σ_b ⟨f_{ω+μu_i}(x_b) − f_ω(x_b), ȳ_b⟩ / μ; with `seed` they replay ω̄ */
  readonly diffs: Float64Array;
  readonly seed: RngState;
  /** true when the simulator's projected query served the directions (see `simulation`) */
  readonly projected: boolean;
}

/**
 * The layer-local ω-gradient of the paper (METHODS.md §1.2):
 *   ω̄ ≈ 1/(μ M) Σ_i u_i Σ_b ⟨f_{ω+μu_i}(x_b) − f_ω(x_b), ȳ_b⟩,   u_i ~ N(0, I),
 * an estimate of (∂f_ω/∂ω)ᵀ ȳ summed over the batch. X: B×d_in, Ybar: B×d_out, omega: paramSize.
 * Cost: (M + 1) calls of B (or d_out when compressed) input vectors; M·B with a `baseline`.
 */
export async function layerParamGrad(
  device: ParamQueryable & ProjectedZoCapable,
  omega: Float64Array,
  X: Float64Array,
  Ybar: Float64Array,
  opts: LayerParamGradOptions,
): Promise<LayerParamGrad> {
  checkObject('layerParamGrad: options', opts);
  checkRng('layerParamGrad: rng', opts.rng);
  if (typeof device !== 'object' || device === null || typeof device.query !== 'function')
    throw new ArgumentError(
      `layerParamGrad: device expected a queryable device, got ${describeValue(device)}`,
    );
  checkVector('layerParamGrad', 'omega', omega);
  checkVector('layerParamGrad', 'X', X);
  checkVector('layerParamGrad', 'Ybar', Ybar);
  const q = checkInt('q', opts.q, { positive: true });
  const mu = checkNumber('mu', opts.mu ?? 1e-4, { gt: 0 });
  const { inputSize: dIn, outputSize: dOut, paramSize: p } = device;
  if (omega.length !== p)
    throw new ShapeError(`layerParamGrad: ω has length ${omega.length}, device expects ${p}`);
  if (X.length === 0 || X.length % dIn !== 0)
    throw new ShapeError(`layerParamGrad: X length ${X.length} is not B×${dIn}`);
  const B = X.length / dIn;
  if (Ybar.length !== B * dOut)
    throw new ShapeError(`layerParamGrad: Ybar length ${Ybar.length}, expected ${B}×${dOut}`);
  checkAllFinite('omega', omega);
  checkAllFinite('Ybar', Ybar);
  const lowRank =
    opts.compressRank === undefined ? null : checkInt('compressRank', opts.compressRank, { positive: true });
  const compressed = lowRank !== null || opts.compress === true || (opts.compress === 'auto' && B > dOut);
  // probes P and weights W such that the contraction is Σ_rows ⟨f(P_row), W_row⟩
  let P = X;
  let W = Ybar;
  let captured = 1;
  if (lowRank !== null) {
    const c = lowRankBatch(X, Ybar, B, dIn, dOut, lowRank);
    P = c.probes;
    W = c.weights;
    captured = c.captured;
  } else if (compressed) {
    // M = Ȳᵀ X: row j is m_j = Σ_b ȳ_bj x_b; weights are the identity rows e_j
    P = new Float64Array(dOut * dIn);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < dOut; j++) {
        const y = Ybar[b * dOut + j]!;
        if (y !== 0) for (let k = 0; k < dIn; k++) P[j * dIn + k]! += y * X[b * dIn + k]!;
      }
    W = new Float64Array(dOut * dOut);
    for (let j = 0; j < dOut; j++) W[j * dOut + j] = 1;
  }
  const rows = P.length / dIn;
  const contract = (Y: Float64Array) => {
    let s = 0;
    for (let k = 0; k < rows * dOut; k++) s += Y[k]! * W[k]!;
    return s;
  };
  if (rows === 0) {
    // Ȳᵀ X = 0: nothing to probe, ω̄ = 0
    return {
      grad: new Float64Array(p),
      inputs: 0,
      calls: 0,
      compressed,
      captured,
      diffs: new Float64Array(q),
      seed: opts.rng.getState(),
      projected: false,
    };
  }
  const kind = opts.directions ?? 'gaussian';
  const simulation = checkOneOf('layerParamGrad: simulation', opts.simulation ?? 'materialised', [
    'materialised',
    'projected',
  ] as const);
  const fast = device.projectedZo;
  if (simulation === 'projected' && fast !== undefined && fast.unavailable === null) {
    if (kind !== 'gaussian' && kind !== 'rademacher')
      throw new ArgumentError(
        `layerParamGrad: directions expected 'gaussian' or 'rademacher', got ${String(kind)}`,
      );
    const seed = opts.rng.getState();
    const key: [number, number] = [opts.rng.nextUint32(), opts.rng.nextUint32()];
    let base: number | undefined;
    if (!compressed && opts.baseline !== undefined) {
      if (opts.baseline.length !== B * dOut)
        throw new ShapeError(
          `layerParamGrad: baseline length ${opts.baseline.length}, expected ${B}×${dOut}`,
        );
      base = contract(opts.baseline);
    }
    const r = await fast.estimate({
      P,
      W,
      omega,
      q,
      mu,
      directions: kind,
      key,
      ...(base === undefined ? {} : { base }),
      ...(opts.executor === undefined ? {} : { executor: opts.executor }),
    });
    return {
      grad: r.grad,
      inputs: r.inputs,
      calls: r.calls,
      compressed,
      captured,
      diffs: r.diffs,
      seed,
      projected: true,
    };
  }
  let inputs = 0;
  let calls = 0;
  let base: number;
  if (!compressed && opts.baseline !== undefined) {
    if (opts.baseline.length !== B * dOut)
      throw new ShapeError(`layerParamGrad: baseline length ${opts.baseline.length}, expected ${B}×${dOut}`);
    base = contract(opts.baseline);
  } else {
    base = contract(await device.query(P, omega));
    inputs += rows;
    calls++;
  }
  const seed = opts.rng.getState();
  // directions are drawn one at a time (the same stream as sampleDirections(kind, p, q) draws at
  // once, so replayLayerParamGrad still reproduces ω̄) and folded into ω̄ as soon as their
  // difference is measured: memory O(p) instead of O(q·p) — 52 MB for a 256×256 SLM at q = 100
  const u = new Float64Array(p);
  const w = new Float64Array(p);
  const grad = new Float64Array(p);
  const diffs = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    if (kind === 'gaussian') opts.rng.fillNormal(u);
    else opts.rng.fillRademacher(u);
    for (let j = 0; j < p; j++) w[j] = omega[j]! + mu * u[j]!;
    const d = (contract(await device.query(P, w)) - base) / mu;
    diffs[i] = d;
    inputs += rows;
    calls++;
    // ω̄ = (1/M) Σ_i s_i u_i
    const sc = d / q;
    for (let j = 0; j < p; j++) grad[j]! += sc * u[j]!;
  }
  // the device is left at ω, as the caller configured it
  restore(device, omega);
  return { grad, inputs, calls, compressed, captured, diffs, seed, projected: false };
}

// A real device keeps the last ω it was set to; put it back so the forward pass that follows
// sees the unperturbed layer. Devices with `setParams` are reset without a query.
function restore(device: ParamQueryable, omega: Float64Array): void {
  const d = device as ParamQueryable & { setParams?: (w: Float64Array) => void };
  if (typeof d.setParams === 'function') d.setParams(omega);
}

/** Rebuilds ω̄ = (1/M) Σ_i s_i u_i from the recorded generator state and differences. */
export function replayLayerParamGrad(
  paramSize: number,
  seed: RngState,
  diffs: Float64Array,
  directions: 'gaussian' | 'rademacher' = 'gaussian',
): Float64Array {
  checkNumbers('replayLayerParamGrad: diffs', checkVector('replayLayerParamGrad', 'diffs', diffs), {
    minLength: 1,
  });
  const q = diffs.length;
  const U = sampleDirections(directions, paramSize, q, Rng.fromState(seed));
  const g = new Float64Array(paramSize);
  for (let i = 0; i < q; i++) {
    const s = diffs[i]! / q;
    for (let j = 0; j < paramSize; j++) g[j]! += s * U[i * paramSize + j]!;
  }
  return g;
}
