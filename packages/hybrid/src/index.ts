/**
 * the surrogate update's transposed-product estimators (`sketchEstimator`) and the backward
 * probes' distributions (`backwardEstimator`), from @tenzo/lowrank
 */
export {
  RESIDUAL_PROBE_ESTIMATORS,
  type ResidualProbeEstimator,
  TRANSPOSE_ESTIMATORS,
  type TransposeEstimator,
} from '@tenzo/lowrank';
export type { PendingBatch, PhysicalLayerState } from './layerState.js';
export {
  HYBRID_MODES,
  type HybridMode,
  type PhysicalLayerOptions,
  type ResolvedLayerOptions,
} from './options.js';
export { type LayerDevice, type ParamGradReport, PhysicalLayer } from './physicalLayer.js';
export { addCounts, type QueryCounts, subCounts, totalQueries, zeroCounts } from './stats.js';
export { type MatrixState, SurrogateTracker, type SurrogateTrackerState } from './surrogateTracker.js';
