import { EvaluationError } from '@tenzo/core';

/** Why a remote query gave up (`RemoteDeviceError.reason`). */
export type RemoteFailure =
  /** every attempt timed out, failed on the network or got a retryable status (5xx) */
  | 'exhausted'
  /** the server refused the request (a 4xx other than a recoverable 409), not retried */
  | 'refused'
  /** the caller's AbortSignal fired */
  | 'aborted';

/**
 * A remote device call that did not produce a valid answer. Names the device (its URL), the call
 * and the request id; `status`/`code` hold the last HTTP status and protocol error code when one
 * came back, and `cause` the last underlying error (a network error, a timeout).
 */
export class RemoteDeviceError extends EvaluationError {
  constructor(
    message: string,
    readonly reason: RemoteFailure,
    readonly requestId: string,
    readonly attempts: number,
    readonly status: number | null = null,
    readonly errorCode: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A query answered in full whose rows `rows` (0-based indices into the batch) are non-finite or
 * outside the declared output range. `output` holds the whole answer (B×outputSize) so a caller
 * can keep the valid rows and re-query only these.
 */
export class InvalidRowsError extends EvaluationError {
  constructor(
    message: string,
    readonly requestId: string,
    readonly rows: readonly number[],
    readonly output: Float64Array,
  ) {
    super(message);
  }
}
