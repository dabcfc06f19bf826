/**
 * The tenzo error family. Every error carries a stable machine-readable `code` so callers
 * can branch on it (like Effect's tagged errors), and a message that names the argument,
 * what was expected and what was received.
 */
export type TenzoErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_NON_FINITE'
  | 'E_RANGE'
  | 'E_ARGUMENT'
  | 'E_FORMAT'
  | 'E_BUDGET'
  | 'E_CONVERGENCE'
  | 'E_SINGULAR'
  | 'E_BACKEND'
  | 'E_STATE'
  | 'E_EVALUATION'
  | 'E_IO';

/**
 * The base class of every error tenzo throws on purpose: `code` is a stable {@link TenzoErrorCode} to
 * branch on, the message names the argument, what was expected and what was received. Catch a subclass
 * (`ArgumentError`, `ShapeError` …) or test `code`.
 */
export class TenzoError extends Error {
  readonly code: TenzoErrorCode;
  constructor(code: TenzoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Incompatible shapes; names the operation and both shapes. */
export class ShapeError extends TenzoError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** Mixed or unsupported dtypes. */
export class DTypeError extends TenzoError {
  constructor(message: string) {
    super('E_DTYPE', message);
  }
}

/** NaN or ±Infinity where finite numbers are required (losses, optimizers, decompositions). */
export class NonFiniteError extends TenzoError {
  constructor(message: string) {
    super('E_NON_FINITE', message);
  }
}

/** A setting outside its admissible range (learning rate < 0, rank > min(m, n), ...). */
export class OutOfRangeError extends TenzoError {
  constructor(message: string) {
    super('E_RANGE', message);
  }
}

/** Any other invalid argument (wrong type, missing field, unknown option). */
export class ArgumentError extends TenzoError {
  constructor(message: string) {
    super('E_ARGUMENT', message);
  }
}

/** A malformed or corrupt file (safetensors header, checkpoint, dataset). */
export class FormatError extends TenzoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_FORMAT', message, options);
  }
}

/** A query or evaluation budget is exhausted. */
export class BudgetError extends TenzoError {
  constructor(message: string) {
    super('E_BUDGET', message);
  }
}

/** An iterative algorithm did not converge within its iteration cap. */
export class ConvergenceError extends TenzoError {
  constructor(message: string) {
    super('E_CONVERGENCE', message);
  }
}

/** A matrix is (numerically) singular where an inverse or a solve was asked for. */
export class SingularMatrixError extends TenzoError {
  constructor(message: string) {
    super('E_SINGULAR', message);
  }
}

/** A kernel or backend is missing or failed. */
export class BackendError extends TenzoError {
  constructor(message: string) {
    super('E_BACKEND', message);
  }
}

/** An object was used in a state that does not allow the call (e.g. backward twice). */
export class StateError extends TenzoError {
  constructor(message: string) {
    super('E_STATE', message);
  }
}

/** A black box (a user's objective, a device) failed while evaluating; the original is the cause. */
export class EvaluationError extends TenzoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_EVALUATION', message, options);
  }
}

/**
 * A filesystem call failed (no space, no permission, a file where a directory was expected…);
 * names the function and the path, and keeps the system error (its errno `code`) as the cause.
 */
export class IoError extends TenzoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_IO', message, options);
  }
}
