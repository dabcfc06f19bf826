export {
  checkAllFinite,
  checkFinite,
  checkInt,
  checkNumber,
  checkOneOf,
  type NumberRange,
} from './checks.js';
export { describeValue, formatShape } from './describe.js';
export {
  ArgumentError,
  BackendError,
  BudgetError,
  ConvergenceError,
  DTypeError,
  EvaluationError,
  FormatError,
  NonFiniteError,
  OutOfRangeError,
  ShapeError,
  SingularMatrixError,
  StateError,
  TenzoError,
  type TenzoErrorCode,
} from './errors.js';
export { Rng, type RngState, type Seed } from './rng.js';
export type { Stateful, StateRecord, StateValue } from './stateful.js';
export { type Restore, StateReader } from './stateReader.js';
