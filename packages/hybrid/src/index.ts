export {
  HYBRID_MODES,
  type HybridMode,
  type PhysicalLayerOptions,
  type ResolvedLayerOptions,
} from './options.js';
export { type LayerDevice, type ParamGradReport, PhysicalLayer } from './physicalLayer.js';
export { addCounts, type QueryCounts, subCounts, totalQueries, zeroCounts } from './stats.js';
export { SurrogateTracker } from './surrogateTracker.js';
