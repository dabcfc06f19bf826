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
}

const ALL = cpus().length;

/**
 * tenzo's settings in `tenzo-bench hybrid`, each timed beside the PyTorch peers in the same
 * rounds. Add a row here to compare another setting.
 */
export const TENZO_HYBRID_SETTINGS: readonly TenzoHybridSetting[] = [
  // the paper's estimator as a device would be queried: Gaussian directions, every perturbed
  // query materialised as a device call
  {
    label: 'tenzo reference setting',
    layerOptions: { directions: 'gaussian', simulation: 'materialised' },
    threads: 1,
  },
  {
    label: 'tenzo rademacher',
    layerOptions: { directions: 'rademacher', simulation: 'materialised' },
    threads: 1,
  },
  // the same estimator from the simulator's exact ⟨A(ω + μu), ȲᵀX⟩ (no device outputs formed)
  { label: 'tenzo projected', layerOptions: { simulation: 'projected' }, threads: 1 },
  ...(ALL > 1
    ? [
        {
          label: `tenzo projected ${ALL} threads`,
          layerOptions: { simulation: 'projected' as const },
          threads: ALL,
        },
      ]
    : []),
];
