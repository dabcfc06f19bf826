import { cpus } from 'node:os';
import type { PhysicalLayerOptions } from '@tenzo/hybrid';

/** One way of running tenzo's hybrid step: a row of `tenzo-bench hybrid` for every device. */
export interface TenzoHybridSetting {
  /** the row's implementation name */
  label: string;
  /** laid over the case's { rank, zoSamples, sketchSamples, seed } */
  layerOptions: PhysicalLayerOptions;
  /**
   * worker threads for the device simulation: above 1, the layer's `executor` is a worker pool
   * (`@tenzo/devices/node`'s `workerPool`) of this many threads, which runs the directions of
   * `simulation: 'projected'` (the only path that uses it)
   */
  threads: number;
  /**
   * the label of the same setting on 1 thread: the suite reports this row's thread scaling, the
   * median over the interleaved rounds of (that row's time / this row's time)
   */
  scalingOf?: string;
}

/**
 * tenzo's settings in `tenzo-bench hybrid`, each timed beside the PyTorch peers in the same
 * rounds. Add a row here to compare another setting.
 */
export function tenzoHybridSettings(threads = cpus().length): TenzoHybridSetting[] {
  return [
    // the paper's estimator as a device would be queried: Gaussian directions, every perturbed
    // query materialised as a device call (the reference's way)
    {
      label: 'tenzo reference setting',
      layerOptions: { directions: 'gaussian', simulation: 'materialised' },
      threads: 1,
    },
    // the same estimator from the simulator's exact ⟨A(ω + μu), ȲᵀX⟩ (the apps' default)
    {
      label: 'tenzo projected',
      layerOptions: { directions: 'gaussian', simulation: 'projected' },
      threads: 1,
    },
    // tenzo's fastest exact setting: projected queries and Rademacher directions (a select between
    // two cached matrices per entry, one random bit each)
    {
      label: 'tenzo fastest',
      layerOptions: { directions: 'rademacher', simulation: 'projected' },
      threads: 1,
    },
    ...(threads > 1
      ? [
          {
            label: `tenzo projected ${threads} threads`,
            layerOptions: { directions: 'gaussian' as const, simulation: 'projected' as const },
            threads,
            scalingOf: 'tenzo projected',
          },
          {
            label: `tenzo fastest ${threads} threads`,
            layerOptions: { directions: 'rademacher' as const, simulation: 'projected' as const },
            threads,
            scalingOf: 'tenzo fastest',
          },
        ]
      : []),
  ];
}

/** The settings with every core for the multi-threaded rows. */
export const TENZO_HYBRID_SETTINGS: readonly TenzoHybridSetting[] = tenzoHybridSettings();
