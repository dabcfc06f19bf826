import { checkInt, checkNumber, checkOneOf, OutOfRangeError } from '@tenzo/core';
import {
  RESIDUAL_PROBE_ESTIMATORS,
  type ResidualProbeEstimator,
  TRANSPOSE_ESTIMATORS,
  type TransposeEstimator,
} from '@tenzo/lowrank';
import type { DriftCheckOptions } from './faults/driftMonitor.js';
import type { FaultPolicy } from './faults/resilientDevice.js';

/**
 * How the two gradients of a physical layer are obtained (the paper's ablation axes):
 * - 'zo+surrogate': the method — ω̄ by zeroth-order estimates, x̄ through the low-rank surrogate;
 * - 'zo-only': ω̄ by ZO, x̄ exact from the simulator (Aᵀȳ), the surrogate unused;
 * - 'surrogate-only': ω̄ exact from the simulator, x̄ through the surrogate;
 * - 'exact': both exact (the white-box upper bound; needs a simulator with `exact` access).
 */
export type HybridMode = 'zo+surrogate' | 'zo-only' | 'surrogate-only' | 'exact';
/** Every {@link HybridMode}, in the order the reports list them. */
export const HYBRID_MODES: readonly HybridMode[] = ['zo+surrogate', 'zo-only', 'surrogate-only', 'exact'];

/**
 * Options of a `PhysicalLayer`: the surrogate's rank, the ZO estimator (directions, probes, step μ, batch
 * compression), the surrogate integrator and rebuilds, the unbiased backward, and the fault and drift
 * policies.
 */
export interface PhysicalLayerOptions {
  /** r: rank of the surrogate A ≈ U S Vᵀ (default 10) */
  rank?: number;
  /** M_BB: ZO directions per ω-gradient estimate (default 100) */
  zoSamples?: number;
  /** M_SM: probes for the transposed product ΔAᵀU₁ per surrogate update (default 100) */
  sketchSamples?: number;
  /**
   * finite-difference step μ in ω units (default 1e-4, the reference's; for a device with a
   * quantised setting, `paramStep`, at least one level, since smaller steps never change the
   * realised ω and every difference would read 0)
   */
  mu?: number;
  /**
   * k > 0: each ZO direction probes only the top-k singular directions of the batch's Ȳᵀ X
   * (low-rank batch compression, `@tenzo/zo`'s `compressRank`): k device inputs per direction
   * instead of min(B, d_out), at the price of the ‖Ȳᵀ X‖² share beyond rank k (a bias).
   * 0 (default): the paper's estimator.
   */
  batchRank?: number;
  /**
   * estimator of the surrogate update's transposed product ΔAᵀU₁ from the M_SM probes:
   * 'gaussian' (default, the paper's), 'orthogonal' (blocks of orthonormal rows scaled by √d_in:
   * lower variance at the same queries) or 'lstsq' (least squares, exact; needs M_SM ≥ d_in)
   */
  sketchEstimator?: TransposeEstimator;
  /** ZO direction distribution (default 'gaussian', the paper's) */
  directions?: 'gaussian' | 'rademacher';
  /** surrogate integrator after each ω change (default 'ksl', the paper's) */
  integrator?: 'ksl' | 'bug';
  /**
   * after every k implicit updates, rebuild the surrogate exactly from d_in identity queries
   * instead (1: every other ω change; 0: only at the start). When d_in < 2(r + M_SM) a rebuild
   * costs fewer queries than an implicit update.
   */
  rebuildEvery?: number;
  /**
   * M_BW > 0: make the backward unbiased. Each training forward also queries the device on M_BW
   * random probe rows z_j, and x̄ = Yᵀȳ + (1/M_BW) Σ_j z_j ⟨(A − Y) z_j, ȳ⟩ uses the surrogate Y as a
   * control variate (`@tenzo/lowrank`'s `probeResidual`): E[x̄] = Aᵀȳ whatever the rank, at a
   * variance ≈ (d_in/M_BW)·‖(A − Y)ᵀȳ‖². For devices whose A is far from rank r (an MZI mesh
   * transmits like a unitary). 0 (default): the paper's backward, Yᵀȳ.
   */
  backwardProbes?: number;
  /** distribution of the backward probes: 'gaussian' (default) or 'orthogonal' blocks (lower variance) */
  backwardEstimator?: ResidualProbeEstimator;
  /** a learnable scalar gain on the device output (the reference has one; default true) */
  outputGain?: boolean;
  /**
   * initial gain: 'auto' (default) sets it on the first training batch so that the layer's output
   * has the RMS of its input — physical devices often attenuate strongly (the reference SLM's
   * cos(π/2 ± 0.1)/√d_in passes ~1% of the signal), which otherwise stalls early training while
   * the gain climbs at the optimizer's pace; a number sets it directly (the reference: 1)
   */
  gainInit?: 'auto' | number;
  mode?: HybridMode;
  /** seed of the layer's ZO directions and sketch probes */
  seed?: number;
  /**
   * how a simulator answers the ZO queries: 'materialised' (default; every perturbed query
   * computes its outputs, as a real device would) or 'projected' (the simulator's exact
   * ⟨A(ω + μu), ȲᵀX⟩, same estimator and ledger, many times cheaper; see `@tenzo/zo`'s
   * `layerParamGrad`). Devices without the capability (real, remote, noisy beyond Gaussian
   * readout) are queried as with 'materialised'.
   */
  simulation?: 'materialised' | 'projected';
  /**
   * where projected ZO directions run: a `ZoExecutor` such as `workerPool({ threads })` from
   * `@tenzo/devices/node` (null, the default: this thread). Results do not depend on it.
   */
  executor?: unknown;
  /** record the cosine between surrogate x̄ and the true Aᵀȳ when the simulator allows (default false) */
  trackSurrogateQuality?: boolean;
  /**
   * what to do when a real or remote device (one without `state` and `exact`) misbehaves:
   * re-query invalid rows, re-send queries it gave up on (default { rowRetries: 3, queryRetries: 1 });
   * simulators are queried as they are
   */
  faults?: FaultPolicy;
  /** drift monitoring by a fixed probe set (default off: `every` 0) */
  drift?: DriftCheckOptions;
}

/** {@link PhysicalLayerOptions} with every default filled in, as a layer holds them. */
export type ResolvedLayerOptions = Required<Omit<PhysicalLayerOptions, 'faults' | 'drift'>> & {
  readonly faults: Required<FaultPolicy>;
  readonly drift: Required<DriftCheckOptions>;
};

export function resolveOptions(
  opts: PhysicalLayerOptions,
  device: { readonly paramStep?: number | null; readonly inputSize?: number } = {},
): ResolvedLayerOptions {
  const sketchSamples = checkInt('PhysicalLayer: sketchSamples', opts.sketchSamples ?? 100, {
    positive: true,
  });
  const sketchEstimator = checkOneOf(
    'PhysicalLayer: sketchEstimator',
    opts.sketchEstimator ?? 'gaussian',
    TRANSPOSE_ESTIMATORS,
  );
  if (sketchEstimator === 'lstsq' && device.inputSize !== undefined && sketchSamples < device.inputSize) {
    throw new OutOfRangeError(
      `PhysicalLayer: sketchEstimator 'lstsq' needs sketchSamples >= the device's input size ${device.inputSize}, got ${sketchSamples}`,
    );
  }
  return {
    rank: checkInt('PhysicalLayer: rank', opts.rank ?? 10, { positive: true }),
    zoSamples: checkInt('PhysicalLayer: zoSamples', opts.zoSamples ?? 100, { positive: true }),
    sketchSamples,
    sketchEstimator,
    mu: checkNumber('PhysicalLayer: mu', opts.mu ?? Math.max(1e-4, device.paramStep ?? 0), { gt: 0 }),
    batchRank: checkInt('PhysicalLayer: batchRank', opts.batchRank ?? 0, { min: 0 }),
    directions: checkOneOf('PhysicalLayer: directions', opts.directions ?? 'gaussian', [
      'gaussian',
      'rademacher',
    ] as const),
    integrator: checkOneOf('PhysicalLayer: integrator', opts.integrator ?? 'ksl', ['ksl', 'bug'] as const),
    rebuildEvery: checkInt('PhysicalLayer: rebuildEvery', opts.rebuildEvery ?? 0),
    backwardProbes: checkInt('PhysicalLayer: backwardProbes', opts.backwardProbes ?? 0, { min: 0 }),
    backwardEstimator: checkOneOf(
      'PhysicalLayer: backwardEstimator',
      opts.backwardEstimator ?? 'gaussian',
      RESIDUAL_PROBE_ESTIMATORS,
    ),
    outputGain: opts.outputGain ?? true,
    gainInit:
      opts.gainInit === undefined || opts.gainInit === 'auto'
        ? 'auto'
        : checkNumber('PhysicalLayer: gainInit', opts.gainInit, { gt: 0 }),
    mode: checkOneOf('PhysicalLayer: mode', opts.mode ?? 'zo+surrogate', HYBRID_MODES),
    seed: checkInt('PhysicalLayer: seed', opts.seed ?? 0),
    trackSurrogateQuality: opts.trackSurrogateQuality ?? false,
    simulation: checkOneOf('PhysicalLayer: simulation', opts.simulation ?? 'materialised', [
      'materialised',
      'projected',
    ] as const),
    executor: opts.executor ?? null,
    faults: {
      rowRetries: checkInt('PhysicalLayer: faults.rowRetries', opts.faults?.rowRetries ?? 3, {
        min: 0,
        max: 100,
      }),
      queryRetries: checkInt('PhysicalLayer: faults.queryRetries', opts.faults?.queryRetries ?? 1, {
        min: 0,
        max: 100,
      }),
    },
    drift: {
      every: checkInt('PhysicalLayer: drift.every', opts.drift?.every ?? 0, { min: 0 }),
      threshold: checkNumber('PhysicalLayer: drift.threshold', opts.drift?.threshold ?? 0.05, { gt: 0 }),
      probes: checkInt('PhysicalLayer: drift.probes', opts.drift?.probes ?? 8, { positive: true }),
    },
  };
}
