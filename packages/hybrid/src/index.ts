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
export { type DriftCheckOptions, DriftMonitor, type DriftState } from './faults/driftMonitor.js';
export { type FaultCounts, type FaultPolicy, ResilientDevice } from './faults/resilientDevice.js';
export {
  driftArgv,
  estimatorArgv,
  estimatorLabel,
  rebuildArgv,
  rebuildLabel,
  withoutDefaultEstimator,
} from './flagArgv.js';
export {
  CNN_WIDTH,
  DENSE_WIDTH,
  frontArgv,
  frontShape,
  withoutDefaultFront,
  withWidth,
} from './frontArgv.js';
export { type HybridOptimizersOptions, hybridOptimizers } from './hybridOptimizers.js';
export {
  driftFlags,
  driftOptions,
  type EstimatorFlagValues,
  estimatorFlags,
  estimatorOptions,
  imperfectionFlags,
  imperfectionsOf,
  layerFlags,
  layerOptions,
  rebuildFlags,
} from './layerFlags.js';
export type { PendingBatch, PhysicalLayerState } from './layerState.js';
export {
  DEVICE_KINDS,
  type DeviceImperfections,
  type DeviceKind,
  makeDevice,
  type SimulatedDeviceKind,
} from './makeDevice.js';
export { type ConvFrontSpec, convFrontWidth } from './models/convFront.js';
export { DeviceFfn } from './models/deviceFfn.js';
export { DeviceSlotClassifier, type DeviceSlotSpec, type SlotLayers } from './models/deviceSlot.js';
export { convFrontOf, type FrontFlagValues, frontFlags } from './models/frontFlags.js';
export {
  describeFfnVariant,
  type FfnDevice,
  ffnVariantDevice,
  GPT_FFN_VARIANTS,
  type GptFfnVariant,
  type GptFfnVariantModel,
  type GptFfnVariantSpec,
  gptWithFfnVariant,
  replacedBlocks,
} from './models/gptFfnVariant.js';
export { type CnnImage, HybridCnn, type HybridCnnSpec } from './models/hybridCnn.js';
export { HybridMlp, type HybridMlpSpec } from './models/hybridMlp.js';
export { HybridTdnn, type HybridTdnnSpec } from './models/hybridTdnn.js';
export { LowRankFfn } from './models/lowRankFfn.js';
export { type MlpClassifier, mlpClassifier } from './models/mlpClassifier.js';
export {
  HYBRID_MODES,
  type HybridMode,
  type PhysicalLayerOptions,
  type ResolvedLayerOptions,
} from './options.js';
export { type LayerDevice, type ParamGradReport, PhysicalLayer } from './physicalLayer.js';
export { type DigitalInitReport, initFromDigital, programLayer } from './program/initFromDigital.js';
export { initTdnnFromDigital } from './program/initTdnnFromDigital.js';
export { loadDigitalTwin, type TwinTarget } from './program/loadDigitalTwin.js';
export {
  applyProgram,
  type ProgramDeviceOptions,
  type ProgramResult,
  programDevice,
} from './program/programDevice.js';
export { type ProgramElementwiseOptions, programElementwise } from './program/programElementwise.js';
export { type ProgramMeshOptions, programMesh } from './program/programMesh.js';
export { addCounts, type QueryCounts, subCounts, totalQueries, zeroCounts } from './stats.js';
export { type MatrixState, SurrogateTracker, type SurrogateTrackerState } from './surrogateTracker.js';
