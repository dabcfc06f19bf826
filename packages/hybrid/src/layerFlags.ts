import { ArgumentError, checkObject } from '@tenzo/core';
import {
  RESIDUAL_PROBE_ESTIMATORS,
  type ResidualProbeEstimator,
  TRANSPOSE_ESTIMATORS,
  type TransposeEstimator,
} from '@tenzo/lowrank';
import type { DriftCheckOptions } from './faults/driftMonitor.js';
import { DEVICE_KINDS, type DeviceImperfections } from './makeDevice.js';
import { HYBRID_MODES, type PhysicalLayerOptions } from './options.js';

// Command-line flags for a PhysicalLayer's options, as `@tenzo/cli` flag specs. They are plain
// data (this package does not depend on the CLI's): spread them into a `defineCommand`'s flags,
// then turn the parsed values into layer options with `estimatorOptions` and `driftOptions`.
// tenzo-train's commands that put a device in a network (mnist, audio, hybrid, lm-hybrid, the
// sweeps) all take them.

/**
 * The physical layer's settings: the surrogate rank, the paper's M_BB = M_SM, the gradient mode,
 * centring of the outputs, freezing ω and ω's learning rate.
 */
export const layerFlags = {
  rank: { type: 'integer', default: 10, min: 1, help: 'with --device: surrogate rank r' },
  samples: {
    type: 'integer',
    default: 100,
    min: 1,
    help: 'with --device: M_BB = M_SM (ZO directions, sketch probes)',
  },
  mode: {
    type: 'enum',
    choices: HYBRID_MODES,
    default: 'zo+surrogate',
    help: 'with --device: how the two gradients are obtained',
  },
  center: {
    type: 'boolean',
    default: true,
    help: 'with --device: subtract the per-sample mean of the device outputs (--no-center for the raw readout)',
  },
  freezeDevice: {
    type: 'boolean',
    help: 'with --device: keep ω at its initialisation (the frozen-device baseline)',
  },
  deviceLr: {
    type: 'number',
    default: 1e-2,
    gt: 0,
    help: 'with --device: Adam learning rate of ω and the output gain (cosine)',
  },
} as const;

/**
 * Estimator settings beyond the paper's M_BB = M_SM (`--samples`): M_SM on its own, for
 * budget-matched comparisons, low-rank batch compression of the ZO probes (`batchRank`), the
 * surrogate update's and the unbiased backward's probe estimators, the ZO direction distribution,
 * how a simulator answers ZO queries, and the surrogate-quality diagnostic.
 */
export const estimatorFlags = {
  sketchSamples: {
    type: 'integer',
    min: 1,
    help: 'with a device: M_SM alone (KSL sketch probes), when it should differ from --samples',
  },
  batchRank: {
    type: 'integer',
    default: 0,
    min: 0,
    help: "with a device: probe each ZO direction with the top-k singular directions of the batch's Ȳᵀ X (k queries instead of min(B, d_out); 0: the paper's)",
  },
  sketchEstimator: {
    type: 'enum',
    choices: TRANSPOSE_ESTIMATORS,
    default: 'gaussian',
    help: "with a device: the surrogate update's estimate of ΔAᵀU from the M_SM probes (gaussian: the paper's; orthogonal: orthonormal probe blocks, lower variance; lstsq: least squares, exact, needs M_SM >= the device's input size)",
  },
  backwardProbes: {
    type: 'integer',
    default: 0,
    min: 0,
    help: "with a device: M_BW probe queries per training batch that correct the surrogate backward, x̄ = Yᵀȳ + (1/M_BW) Σ z⟨(A − Y)z, ȳ⟩, unbiased at any rank (0: the paper's Yᵀȳ)",
  },
  backwardEstimator: {
    type: 'enum',
    choices: RESIDUAL_PROBE_ESTIMATORS,
    default: 'gaussian',
    help: 'with --backward-probes: the probe distribution (gaussian; orthogonal: orthonormal blocks, lower variance)',
  },
  directions: {
    type: 'enum',
    choices: ['gaussian', 'rademacher'],
    default: 'gaussian',
    help: "with a device: ZO direction distribution (gaussian: the paper's; rademacher: ±1, the cheapest to simulate)",
  },
  simulation: {
    type: 'enum',
    choices: ['projected', 'materialised'],
    default: 'projected',
    help: "with a simulated device: projected (the simulator's exact ⟨A(ω + μu), ȲᵀX⟩ for each ZO direction, same estimator and query count, many times faster) or materialised (every perturbed query computes its outputs, the reference's way)",
  },
  surrogateCosine: {
    type: 'boolean',
    help: "with a device: record cos(surrogate x̄, Aᵀȳ) every step (a diagnostic from the simulator's exact matrix; costs time)",
  },
} as const;

/** Periodic exact rebuilds of the surrogate (`rebuildEvery`). */
export const rebuildFlags = {
  rebuildEvery: {
    type: 'integer',
    default: 0,
    min: 0,
    help: 'with a device: rebuild the surrogate exactly from W identity probes after every k implicit updates (1: every other ω-update; 0: only at the start)',
  },
} as const;

/**
 * The drift monitor (`drift`, see DriftMonitor): every N training forwards it re-queries 8 fixed
 * probe rows at a fixed ω and, when their answers moved by more than the threshold (relative,
 * Frobenius), rebuilds the surrogate exactly and logs a warning. Off unless `--drift-every` is
 * given (it costs queries); no defaults, so runs without it record no drift settings.
 */
export const driftFlags = {
  driftEvery: {
    type: 'integer',
    min: 1,
    help: 'with a device: check its output drift every N training steps on 8 fixed probe rows; above --drift-threshold the surrogate is rebuilt exactly and a warning logged (default: off)',
  },
  driftThreshold: {
    type: 'number',
    gt: 0,
    help: 'with --drift-every: relative change of the probe answers that triggers the rebuild (default 0.05)',
  },
} as const;

/** The values of {@link estimatorFlags} as {@link estimatorOptions} reads them. */
export interface EstimatorFlagValues {
  sketchSamples?: number | undefined;
  batchRank: number;
  sketchEstimator: TransposeEstimator;
  backwardProbes: number;
  backwardEstimator: ResidualProbeEstimator;
  directions: 'gaussian' | 'rademacher';
  simulation: 'projected' | 'materialised';
  surrogateCosine?: boolean | undefined;
}

/**
 * The PhysicalLayer options that {@link estimatorFlags} and `--samples` set (M_SM follows
 * `samples` unless given); `executor` runs the projected ZO directions (e.g. a `workerPool`).
 */
export function estimatorOptions<E = never>(
  flags: EstimatorFlagValues & { samples: number },
  executor: E | null = null,
): Omit<EstimatorFlagValues, 'sketchSamples' | 'surrogateCosine'> & {
  zoSamples: number;
  sketchSamples: number;
  trackSurrogateQuality: boolean;
  executor?: E;
} {
  checkObject('estimatorOptions: flags', flags);
  return {
    zoSamples: flags.samples,
    sketchSamples: flags.sketchSamples ?? flags.samples,
    batchRank: flags.batchRank,
    sketchEstimator: flags.sketchEstimator,
    backwardProbes: flags.backwardProbes,
    backwardEstimator: flags.backwardEstimator,
    directions: flags.directions,
    simulation: flags.simulation,
    trackSurrogateQuality: flags.surrogateCosine === true,
    ...(executor === null ? {} : { executor }),
  };
}

/** The PhysicalLayer `drift` option {@link driftFlags} set: none without `driftEvery`. */
export function driftOptions(flags: {
  driftEvery?: number | undefined;
  driftThreshold?: number | undefined;
}): { drift?: DriftCheckOptions } {
  checkObject('driftOptions: flags', flags);
  const { driftEvery: every, driftThreshold: threshold } = flags;
  if (every === undefined) {
    if (threshold !== undefined)
      throw new ArgumentError(
        `--drift-threshold: needs --drift-every <steps>, got --drift-threshold ${threshold} alone`,
      );
    return {};
  }
  return { drift: { every, ...(threshold !== undefined ? { threshold } : {}) } };
}

/** A simulated device's imperfections (`makeDevice`'s DeviceImperfections): output noise and phase DAC bits. */
export const imperfectionFlags = {
  noise: {
    type: 'number',
    default: 0,
    min: 0,
    max: 1,
    help: 'with --device: relative output noise σ, y(1 + σε) per read-out (e.g. 0.01)',
  },
  phaseBits: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 24,
    help: 'with --device slm|mrr|mzi: phase DAC bits (e.g. 2, 3, 4, 8; 0 = continuous)',
  },
} as const;

/**
 * The imperfections {@link imperfectionFlags} set (0: none) for `device`, the `--device` value:
 * they need a simulator, so naming one for 'none', 'identity' or a served device is an error.
 */
export function imperfectionsOf(
  flags: { noise: number; phaseBits: number },
  device: string,
): DeviceImperfections {
  checkObject('imperfectionsOf: flags', flags);
  const simulated =
    (DEVICE_KINDS as readonly string[]).includes(device) && device !== 'none' && device !== 'identity';
  for (const [name, bad] of [
    ['--noise', flags.noise > 0],
    ['--phase-bits', flags.phaseBits > 0],
  ] as const) {
    if (bad && !simulated)
      throw new ArgumentError(`${name}: needs a simulated --device, got --device ${device}`);
  }
  return {
    ...(flags.noise > 0 ? { noise: flags.noise } : {}),
    ...(flags.phaseBits > 0 ? { phaseBits: flags.phaseBits } : {}),
  };
}

/**
 * Every PhysicalLayer option the flags of this file set, for the flags a command has: `rank`,
 * the estimator (`estimatorOptions`), and — where the command has them — `mode`, `mu` and
 * `rebuildEvery` (absent: the layer's defaults), the drift monitor, and `seed` (the layer's
 * streams). `executor` runs the projected ZO directions.
 */
export function layerOptions<E = never>(
  flags: EstimatorFlagValues & {
    samples: number;
    rank: number;
    seed: number;
    mode?: PhysicalLayerOptions['mode'];
    mu?: number | undefined;
    rebuildEvery?: number;
    driftEvery?: number | undefined;
    driftThreshold?: number | undefined;
  },
  executor: E | null = null,
): PhysicalLayerOptions & ReturnType<typeof estimatorOptions<E>> {
  return {
    rank: flags.rank,
    ...estimatorOptions(flags, executor),
    ...(flags.mode !== undefined ? { mode: flags.mode } : {}),
    ...(flags.mu !== undefined ? { mu: flags.mu } : {}),
    ...(flags.rebuildEvery !== undefined ? { rebuildEvery: flags.rebuildEvery } : {}),
    seed: flags.seed,
    ...driftOptions(flags),
  };
}
