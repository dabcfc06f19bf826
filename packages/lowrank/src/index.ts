export { apply, applyTranspose } from './apply.js';
export type { F0Cache, ImplicitOptions, ImplicitResult } from './implicit/common.js';
export {
  type ExactRebuildOptions,
  type ExactRebuildResult,
  exactRebuild,
} from './implicit/exactRebuild.js';
export {
  type GalerkinSource,
  type ImplicitAdaptiveBugOptions,
  type ImplicitBugOptions,
  implicitAdaptiveBug,
  implicitBug,
} from './implicit/implicitBug.js';
export { implicitKsl } from './implicit/implicitKsl.js';
export {
  drawProbes,
  estimateTransposeProduct,
  TRANSPOSE_ESTIMATORS,
  type TransposeEstimator,
} from './implicit/probes.js';
export type { LinearQuery, QueryCall, QueryPurpose, QueryReport, QueryTarget } from './implicit/query.js';
export {
  applyTransposeCorrected,
  probeResidual,
  RESIDUAL_PROBE_ESTIMATORS,
  type ResidualProbeEstimator,
  type ResidualProbeOptions,
  type ResidualProbes,
} from './implicit/residualProbes.js';
export {
  ImplicitTracker,
  type ImplicitTrackerOptions,
  type TrackerIntegrator,
  type TrackerReport,
  type TrackerState,
} from './implicit/tracker.js';
export type { Increment, IncrementOperator } from './increment.js';
export { type AdaptiveBugOptions, adaptiveBugStep, bugStep } from './integrators/bug.js';
export { kslStep, lskStep, strangStep } from './integrators/ksl.js';
export {
  checkLowRank,
  frobeniusNorm,
  fromMatrix,
  type LowRank,
  type LowRankOptions,
  lowRank,
  rankOf,
  shapeOf,
  toDense,
  truncate,
} from './lowRank.js';
export { orthonormalityError } from './orthonormality.js';
