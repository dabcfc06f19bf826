export { onePlusOneMinimize, randomSearchMinimize, ttCrossMinimize } from './baselines/blackBoxBaselines.js';
export {
  type BaselineOptions,
  type BaselineResult,
  type GridOptimizer,
  runGridOptimizer,
} from './baselines/driver.js';
export {
  NgOnePlusOne,
  type NgOnePlusOneOptions,
  ngOnePlusOneMinimize,
} from './baselines/nevergradOnePlusOne.js';
export { NgPso, type NgPsoOptions, ngPsoMinimize } from './baselines/nevergradPso.js';
export { NgSpsa, ngSpsaMinimize } from './baselines/nevergradSpsa.js';
export { Protes, type ProtesOptions, protesMinimize } from './baselines/protes.js';
export { Ttopt, type TtoptOptions, ttoptMinimize } from './baselines/ttopt.js';
export {
  BENCHMARK_NAMES,
  type BenchmarkFunction,
  type BenchmarkName,
  benchmarkFunction,
} from './benchmarks/functions.js';
export { benchmarkModuleSource } from './benchmarks/moduleSource.js';
export {
  type BatchFunction,
  type BestPoint,
  BlackBox,
  type BlackBoxOptions,
  type BlackBoxSource,
  type TryEvaluateResult,
} from './blackbox/blackBox.js';
export { chebyshevGrid, gridFunction, uniformGrid } from './blackbox/grid.js';
export {
  type CpAlsOptions,
  type CpAlsResult,
  type CpTensor,
  cpAls,
  cpError,
  cpEvaluate,
  cpFull,
} from './cp/cpAls.js';
export { balancedTree, type DimensionTree, sibling, type TreeNode } from './ht/dimensionTree.js';
export {
  allIndices,
  checkHTensor,
  type HTensor,
  htEvaluate,
  htFull,
  htRank,
} from './ht/hTensor.js';
export { type HtSvdOptions, htSvd, unfold } from './ht/htSvd.js';
export { type HtTruncateOptions, htTruncate } from './ht/htTruncate.js';
export {
  type HtbbApproxOptions,
  type HtbbApproxResult,
  htbbApprox,
  relativeError,
} from './htbb/htbbApprox.js';
export {
  expNormalize,
  type HtbbOptimizeOptions,
  type HtbbOptimizeResult,
  htbbMaximize,
  htbbMinimize,
  type TracePoint,
} from './htbb/htbbOptimize.js';
export type { MatrixTransform } from './htbb/htbbState.js';
export { RANK_TOL, type RowSelection, selectRows } from './htbb/selectRows.js';
export {
  type MaxvolOptions,
  type MaxvolResult,
  maxvol,
  type RectMaxvolOptions,
  rectMaxvol,
  takeRows,
} from './maxvol/maxvol.js';
export { checkTensorTrain, type TensorTrain, ttEvaluate, ttFull } from './tt/tensorTrain.js';
export { type TtCrossOptions, type TtCrossResult, ttCross } from './tt/ttCross.js';
export { type TtSvdOptions, ttRound, ttSvd } from './tt/ttSvd.js';
export {
  type HosvdOptions,
  hosvd,
  modeProduct,
  stHosvd,
  type TuckerTensor,
  tuckerFull,
} from './tucker/tucker.js';
