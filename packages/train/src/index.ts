export { type EarlyStoppingOptions, earlyStopping } from './callbacks/earlyStopping.js';
export { type EpochProgressOptions, epochProgress, type ProgressSink } from './callbacks/epochProgress.js';
export { classifierStep } from './classifier/classifierStep.js';
export {
  type ClassifierEvaluation,
  evaluateClassifier,
  type Forward,
  heldOutMetrics,
} from './classifier/evaluateClassifier.js';
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
