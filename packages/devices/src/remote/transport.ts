import { FormatError, type Rng, TenzoError } from '@tenzo/core';
import type { QueryLedger } from '../ledger.js';
import { RemoteDeviceError } from './errors.js';
import { type ErrorBody, JSON_TYPE } from './protocol.js';

/** Retry timing: attempt k ≥ 1 waits min(maxMs, baseMs·2^(k−1))·(1 − jitter·u), u ~ U[0, 1) seeded. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  /** share of the delay drawn away at random, in [0, 1] (spreads clients that failed together) */
  readonly jitter: number;
}

/** What one HTTP exchange needs; `accept` reads and validates a 200 answer. */
export interface Exchange<T> {
  /** e.g. `slm 4x3 @ http://127.0.0.1:5000 query` — the start of every error message */
  readonly what: string;
  readonly requestId: string;
  readonly url: string;
  readonly init: () => { method: string; headers: Record<string, string>; body?: Uint8Array };
  readonly accept: (res: Response) => Promise<T>;
  readonly signals: readonly (AbortSignal | undefined)[];
}

/** The shared settings of every exchange of a device. */
export interface TransportSettings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: Backoff;
  readonly jitterRng: Rng;
  readonly ledger: QueryLedger;
}

/** Statuses that say "try again": the request was not applied, or its answer can be replayed. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Runs one protocol exchange with a per-attempt timeout (covering the body), retries with
 * exponential backoff and seeded jitter on network errors, timeouts and retryable statuses, and
 * cancellation. A retry reuses the request id, so the server answers it from its replay cache
 * instead of applying it twice. Validation failures (`accept` throwing a TenzoError) and refusals
 * (other 4xx) are not retried. Never throws anything but a TenzoError.
 */
export async function exchange<T>(x: Exchange<T>, s: TransportSettings): Promise<T> {
  let last: { message: string; status: number | null; code: string | null; cause?: unknown } = {
    message: 'no attempt made',
    status: null,
    code: null,
  };
  const aborted = () => x.signals.find((sig) => sig?.aborted);
  for (let attempt = 0; attempt <= s.retries; attempt++) {
    if (aborted()) throw abortError(x, attempt, aborted()!.reason);
    if (attempt > 0) {
      s.ledger.retries++;
      const { baseMs, maxMs, jitter } = s.backoff;
      const wait = Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (1 - jitter * s.jitterRng.uniform());
      await sleep(wait, x.signals);
      if (aborted()) throw abortError(x, attempt, aborted()!.reason);
    }
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new Error(`timed out after ${s.timeoutMs} ms`));
    }, s.timeoutMs);
    const unlink = link(x.signals, ctl);
    try {
      const init = x.init();
      const res = await fetch(x.url, { ...init, signal: ctl.signal } as RequestInit);
      if (res.status === 200) return await x.accept(res);
      const body = await errorBody(res);
      last = {
        message: `HTTP ${res.status} ${body.code}: ${body.message}`,
        status: res.status,
        code: body.code,
      };
      if (!RETRYABLE.has(res.status)) {
        throw new RemoteDeviceError(
          `${x.what}: request ${x.requestId} refused: ${last.message}`,
          'refused',
          x.requestId,
          attempt + 1,
          res.status,
          body.code,
        );
      }
    } catch (err) {
      if (err instanceof TenzoError) throw err;
      if (aborted()) throw abortError(x, attempt + 1, aborted()!.reason);
      if (timedOut) {
        s.ledger.timeouts++;
        last = { message: `timed out after ${s.timeoutMs} ms`, status: null, code: null, cause: err };
      } else {
        last = { message: `network error: ${describeCause(err)}`, status: null, code: null, cause: err };
      }
    } finally {
      clearTimeout(timer);
      unlink();
    }
  }
  throw new RemoteDeviceError(
    `${x.what}: request ${x.requestId} failed after ${s.retries + 1} attempts; last: ${last.message}`,
    'exhausted',
    x.requestId,
    s.retries + 1,
    last.status,
    last.code,
    { cause: last.cause },
  );
}

/** Reads a JSON body within the exchange (its timeout applies); bad JSON is a FormatError. */
export async function readJson(res: Response, what: string, requestId: string): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith(JSON_TYPE))
    throw new FormatError(`${what}: request ${requestId}: expected content-type ${JSON_TYPE}, got '${type}'`);
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FormatError(
      `${what}: request ${requestId}: expected a JSON body, got ${JSON.stringify(text.slice(0, 60))}`,
      { cause: err },
    );
  }
}

function abortError(x: Exchange<unknown>, attempts: number, reason: unknown): RemoteDeviceError {
  return new RemoteDeviceError(
    `${x.what}: request ${x.requestId} aborted`,
    'aborted',
    x.requestId,
    attempts,
    null,
    null,
    {
      cause: reason,
    },
  );
}

/** `{ code, message }` of an error answer, tolerant of servers that send something else. */
async function errorBody(res: Response): Promise<ErrorBody> {
  const text = (await res.text()).slice(0, 2000);
  try {
    const j = JSON.parse(text) as Partial<ErrorBody>;
    if (typeof j.code === 'string' && typeof j.message === 'string')
      return { code: j.code, message: j.message };
  } catch {
    // not JSON: report the text as it came
  }
  return { code: 'unknown', message: JSON.stringify(text.slice(0, 200)) };
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}

/** Forwards aborts of the caller's signals to `ctl`; returns the unsubscribe. */
function link(signals: readonly (AbortSignal | undefined)[], ctl: AbortController): () => void {
  const onAbort = () => ctl.abort();
  for (const sig of signals) sig?.addEventListener('abort', onAbort, { once: true });
  return () => {
    for (const sig of signals) sig?.removeEventListener('abort', onAbort);
  };
}

function sleep(ms: number, signals: readonly (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve) => {
    const ctl = new AbortController();
    const done = () => {
      clearTimeout(timer);
      unlink();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unlink = link(signals, ctl);
    ctl.signal.addEventListener('abort', done, { once: true });
  });
}
