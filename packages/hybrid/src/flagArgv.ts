import type { EstimatorFlagValues } from './layerFlags.js';

// The other side of estimatorFlags, rebuildFlags and driftFlags (layerFlags.ts) for a command that
// starts runs of another: the same settings as that run's argv, as a run's label, and left out of
// resume configs at the paper's values.

/** `--rebuild-every k` as `mnist` flags (empty for 0, the paper's). */
export function rebuildArgv(flags: { rebuildEvery: number }): string[] {
  return flags.rebuildEvery > 0 ? ['--rebuild-every', String(flags.rebuildEvery)] : [];
}

/** ", rebuild every k" for a run's label (empty for 0). */
export function rebuildLabel(flags: { rebuildEvery: number }): string {
  return flags.rebuildEvery > 0 ? `, rebuild every ${flags.rebuildEvery}` : '';
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

/** @tenzo/hybrid's {@link driftFlags} as argv of a run (`mnist`, `audio`) a command starts per cell (empty when unset). */
export function driftArgv(f: {
  driftEvery?: number | undefined;
  driftThreshold?: number | undefined;
}): string[] {
  return [
    ...(f.driftEvery !== undefined ? ['--drift-every', String(f.driftEvery)] : []),
    ...(f.driftThreshold !== undefined ? ['--drift-threshold', String(f.driftThreshold)] : []),
  ];
}
