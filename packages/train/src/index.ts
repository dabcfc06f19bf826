export { type EarlyStoppingOptions, earlyStopping } from './callbacks/earlyStopping.js';
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
