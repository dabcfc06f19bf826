import type { PhysicalLayerOptions } from '@tenzo/hybrid';

/** One way of running tenzo's hybrid step: a row of `tenzo-bench hybrid` for every device. */
export interface TenzoHybridSetting {
  /** the row's implementation name */
  label: string;
  /** laid over the case's { rank, zoSamples, sketchSamples, seed } */
  layerOptions: PhysicalLayerOptions;
  /**
   * threads for the layer's device simulation (1: in the bench's own thread). Above 1 it is passed
   * to PhysicalLayer as its `threads` option, which the bench checks the layer took.
   */
  threads: number;
}

/**
 * tenzo's settings in `tenzo-bench hybrid`, each timed beside the PyTorch peers in the same
 * rounds. Add a row here to compare another setting (a float32 device path, a worker pool).
 */
export const TENZO_HYBRID_SETTINGS: readonly TenzoHybridSetting[] = [
  // the paper's estimator as tenzo runs it by default: Gaussian directions, every query
  // materialised as a device call
  { label: 'tenzo reference setting', layerOptions: { directions: 'gaussian' }, threads: 1 },
  { label: 'tenzo rademacher', layerOptions: { directions: 'rademacher' }, threads: 1 },
];
