import type { FlagSpecs } from '@tenzo/cli';
import type { WorkerPool } from '@tenzo/devices/node';
import {
  RESIDUAL_PROBE_ESTIMATORS,
  type ResidualProbeEstimator,
  TRANSPOSE_ESTIMATORS,
  type TransposeEstimator,
} from '@tenzo/hybrid';

/**
 * Estimator flags beyond the paper's M_BB = M_SM (`--samples`), shared by the commands that train
 * a physical layer (mnist, audio, lm-hybrid): M_SM on its own, for budget-matched comparisons,
 * low-rank batch compression of the ZO probes (`@tenzo/zo`'s `compressRank`), and the unbiased
 * backward (`PhysicalLayer`'s `backwardProbes`).
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
} as const satisfies FlagSpecs;

/**
 * Periodic exact rebuilds of the surrogate (`PhysicalLayer`'s `rebuildEvery`), for the commands
 * that train the MNIST network (mnist, and hybrid and sweep, which run mnist per network).
 */
export const rebuildFlags = {
  rebuildEvery: {
    type: 'integer',
    default: 0,
    min: 0,
    help: 'with a device: rebuild the surrogate exactly from W identity probes after every k implicit updates (1: every other ω-update; 0: only at the start)',
  },
} as const satisfies FlagSpecs;

/** `--rebuild-every k` as `mnist` flags (empty for 0, the paper's). */
export function rebuildArgv(flags: { rebuildEvery: number }): string[] {
  return flags.rebuildEvery > 0 ? ['--rebuild-every', String(flags.rebuildEvery)] : [];
}

/** ", rebuild every k" for a run's label (empty for 0). */
export function rebuildLabel(flags: { rebuildEvery: number }): string {
  return flags.rebuildEvery > 0 ? `, rebuild every ${flags.rebuildEvery}` : '';
}

/** The values of `estimatorFlags` as the helpers below read them. */
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
 * The PhysicalLayer options these flags (and `--samples`) set; `executor` runs the projected
 * directions (`executorFor(flags.threads)`).
 */
export function estimatorOptions(
  flags: EstimatorFlagValues & { samples: number },
  executor: WorkerPool | null = null,
): {
  zoSamples: number;
  sketchSamples: number;
  batchRank: number;
  sketchEstimator: TransposeEstimator;
  backwardProbes: number;
  backwardEstimator: ResidualProbeEstimator;
  directions: 'gaussian' | 'rademacher';
  simulation: 'projected' | 'materialised';
  trackSurrogateQuality: boolean;
  executor?: WorkerPool;
} {
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

/** The same settings as `mnist` flags, for commands that run it per cell (empty at the paper's). */
export function estimatorArgv(flags: EstimatorFlagValues): string[] {
  return [
    ...(flags.directions !== 'gaussian' ? ['--directions', flags.directions] : []),
    ...(flags.simulation !== 'projected' ? ['--simulation', flags.simulation] : []),
    ...(flags.surrogateCosine === true ? ['--surrogate-cosine'] : []),
    ...(flags.batchRank > 0 ? ['--batch-rank', String(flags.batchRank)] : []),
    ...(flags.sketchSamples !== undefined ? ['--sketch-samples', String(flags.sketchSamples)] : []),
    ...(flags.sketchEstimator !== 'gaussian' ? ['--sketch-estimator', flags.sketchEstimator] : []),
    ...(flags.backwardProbes > 0 ? ['--backward-probes', String(flags.backwardProbes)] : []),
    ...(flags.backwardEstimator !== 'gaussian' ? ['--backward-estimator', flags.backwardEstimator] : []),
  ];
}

/** ", M_SM = …, batch rank …" for a run's header line (empty at the paper's settings). */
export function estimatorLabel(flags: Omit<EstimatorFlagValues, 'surrogateCosine'>): string {
  return (
    (flags.directions !== 'gaussian' ? `, ${flags.directions}` : '') +
    (flags.simulation !== 'projected' ? `, ${flags.simulation}` : '') +
    (flags.sketchSamples !== undefined ? `, M_SM = ${flags.sketchSamples}` : '') +
    (flags.batchRank > 0 ? `, batch rank ${flags.batchRank}` : '') +
    (flags.sketchEstimator !== 'gaussian' ? `, ${flags.sketchEstimator} sketch` : '') +
    (flags.backwardProbes > 0
      ? `, M_BW = ${flags.backwardProbes}${flags.backwardEstimator !== 'gaussian' ? ` ${flags.backwardEstimator}` : ''}`
      : '')
  );
}

/**
 * A run's config for resume checks, without the estimator flags at their paper defaults: results
 * and checkpoints written before these flags existed stay resumable. Runs from before
 * `--simulation` queried materialised, so that is the value left out; `--threads` and
 * `--surrogate-cosine` change no result and are never part of it.
 */
export function withoutDefaultEstimator<
  T extends {
    batchRank?: number;
    sketchEstimator?: string;
    backwardProbes?: number;
    backwardEstimator?: string;
    directions?: string;
    simulation?: string;
    threads?: number;
    surrogateCosine?: boolean;
  },
>(config: T): Record<string, unknown> {
  const {
    batchRank,
    sketchEstimator,
    backwardProbes,
    backwardEstimator,
    directions,
    simulation,
    threads: _threads,
    surrogateCosine: _cos,
    ...rest
  } = config;
  return {
    ...rest,
    ...(directions !== undefined && directions !== 'gaussian' ? { directions } : {}),
    ...(simulation !== undefined && simulation !== 'materialised' ? { simulation } : {}),
    ...(batchRank ? { batchRank } : {}),
    ...(sketchEstimator !== undefined && sketchEstimator !== 'gaussian' ? { sketchEstimator } : {}),
    ...(backwardProbes ? { backwardProbes } : {}),
    ...(backwardEstimator !== undefined && backwardEstimator !== 'gaussian' ? { backwardEstimator } : {}),
  };
}
