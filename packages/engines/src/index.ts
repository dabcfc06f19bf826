export {
  checkBatch,
  checkValues,
  type EngineBatchFunction,
  type EvaluationEngine,
  evaluationFailure,
  type PointArray,
  splitBatch,
} from './engine.js';
export { inProcessEngine } from './inProcess.js';
