export { type EarlyStoppingOptions, earlyStopping } from './callbacks/earlyStopping.js';
export { type EpochProgressOptions, epochProgress, type ProgressSink } from './callbacks/epochProgress.js';
export { type StepLog, type StepLogOptions, stepLog } from './callbacks/stepLog.js';
export {
  type CurvePoint,
  meanLoss,
  type ValidationCurve,
  type ValidationCurveOptions,
  validationCurve,
} from './callbacks/validationCurve.js';
export { sameSettings } from './checkpoint/sameSettings.js';
export { classifierStep } from './classifier/classifierStep.js';
export {
  type ClassifierEvaluation,
  evaluateClassifier,
  type Forward,
  heldOutMetrics,
} from './classifier/evaluateClassifier.js';
export {
  type ClassifierEpoch,
  classifierEpoch,
  type FitClassifierOptions,
  fitClassifier,
} from './classifier/fitClassifier.js';
export { checkAgainst } from './results/checkAgainst.js';
export {
  isRecord,
  moduleState,
  numberField,
  optimizerState,
  recordField,
  rngFromState,
  rngState,
} from './state/adapters.js';
export { decodeState, type EncodedState, encodeState } from './state/codec.js';
export {
  GRID_ABLATIONS,
  type GridCell,
  type GridOptions,
  type GridOutcome,
  type GridResult,
  GridResultSchema,
  type GridSummaryRow,
  gridCells,
  gridOutcome,
  type RankCurve,
  rankCurves,
  summarizeGrid,
} from './sweep/grid.js';
export { fit, TRAINER_STATE_FORMAT, TRAINER_STATE_VERSION, Trainer } from './trainer.js';
export type {
  CheckpointStore,
  EpochRecord,
  FitResult,
  ParamGradLayer,
  SizedBatch,
  StepInfo,
  StepOutput,
  TrainerCallback,
  TrainerOptions,
} from './types.js';
