export { type DirectionKind, sampleDirections } from './directions.js';
export { engineObjective } from './engineObjective.js';
export { type CompressedBatch, lowRankBatch } from './estimators/batchCompression.js';
export { type CoordinateOptions, coordinateEstimator } from './estimators/coordinate.js';
export { type DirectionalOptions, directionalEstimator } from './estimators/directional.js';
export type { EstimatePlan, GradientEstimate, GradientEstimator } from './estimators/estimator.js';
export { gaussianCentral, gaussianForward } from './estimators/gaussian.js';
export {
  type LayerParamGrad,
  type LayerParamGradOptions,
  layerParamGrad,
  type ParamQueryable,
  type ProjectedZoCapable,
  replayLayerParamGrad,
} from './estimators/layerLocal.js';
export { orthogonalEstimator } from './estimators/orthogonal.js';
export { sphereEstimator } from './estimators/sphere.js';
export { spsaEstimator } from './estimators/spsa.js';
export {
  type BatchObjective,
  batchObjective,
  type CountedObjective,
  countedObjective,
  type Objective,
} from './objective.js';
export { type AskTellOptions, type Bound, ZoOptimizer } from './optimizers/askTell.js';
export {
  createOptimizer,
  type MinimizeControl,
  type MinimizeOptions,
  type MinimizeResult,
  minimize,
  minimizeBatch,
} from './optimizers/minimize.js';
export { Spsa, type SpsaOptions } from './optimizers/spsa.js';
export { ZoAdam, type ZoAdamOptions } from './optimizers/zoAdam.js';
export { ZoSgd, type ZoSgdOptions } from './optimizers/zoSgd.js';
export { ZoSignSgd, type ZoSignSgdOptions } from './optimizers/zoSignSgd.js';
export { quadratic, rosenbrock, type TestProblem } from './testFunctions.js';
