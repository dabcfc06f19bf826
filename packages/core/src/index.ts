export {
  checkAllFinite,
  checkArray,
  checkFinite,
  checkFloat64Array,
  checkInt,
  checkNumber,
  checkNumbers,
  checkObject,
  checkOneOf,
  checkPowerOfTwo,
  checkProbabilities,
  checkString,
  isPowerOfTwo,
  type NumberRange,
  type NumbersOptions,
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
  IoError,
  NonFiniteError,
  OutOfRangeError,
  ShapeError,
  SingularMatrixError,
  StateError,
  TenzoError,
  type TenzoErrorCode,
} from './errors.js';
export { fft, fft2, ifft, ifft2 } from './fft/fft.js';
export { RealFftPlan, rfft } from './fft/rfft.js';
export { parseJsonStrict, type StrictJsonOptions } from './json/parseJsonStrict.js';
export { checkRng, Rng, type RngState, type Seed } from './rng.js';
export type { Stateful, StateRecord, StateValue } from './stateful.js';
export { type Restore, StateReader } from './stateReader.js';
