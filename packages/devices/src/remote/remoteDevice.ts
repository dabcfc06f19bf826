import {
  ArgumentError,
  checkAllFinite,
  checkInt,
  checkNumber,
  checkOneOf,
  FormatError,
  Rng,
  type Seed,
  ShapeError,
  StateError,
} from '@tenzo/core';
import type { DeviceUnits, ParamBounds, PhysicalDevice } from '../device.js';
import { type LedgerBudget, QueryLedger } from '../ledger.js';
import { type DeviceDescription, parseDescription, sampleInit } from './describe.js';
import { InvalidRowsError } from './errors.js';
import {
  BINARY_TYPE,
  DTYPE_BYTES,
  encodeValues,
  HEADERS,
  type HealthBody,
  PATHS,
  WIRE_DTYPES,
  type WireDtype,
} from './protocol.js';
import { type Backoff, exchange, readJson, type TransportSettings } from './transport.js';
import { type AnswerSpec, acceptRows, invalidRows } from './validate.js';

/**
 * Options of `remoteDevice`: the server's URL and bearer token, the per-attempt timeout (ms), retries and
 * their backoff, an abort signal, the wire element type, query budgets and the request-id prefix.
 */
export interface RemoteDeviceOptions {
  /** the server's base URL, e.g. `http://127.0.0.1:7341` */
  readonly url: string;
  /** sent as `Authorization: Bearer <token>` */
  readonly token?: string | undefined;
  /** limit of one attempt, body included (ms; default 10 000) */
  readonly timeoutMs?: number;
  /** extra attempts after a network error, timeout or 5xx (default 3) */
  readonly retries?: number;
  /** default { baseMs: 50, maxMs: 2000, jitter: 0.5 } */
  readonly backoff?: Partial<Backoff>;
  /** seed of the retry jitter (default 0) */
  readonly seed?: Seed;
  /** cancels every call of this device (each `query` may also take its own) */
  readonly signal?: AbortSignal;
  /** element type of X and Y bodies (default float64; float32 halves the bytes, rounds X and Y) */
  readonly dtype?: WireDtype;
  /** hard query limits, as on a simulator */
  readonly budget?: LedgerBudget;
  /**
   * prefix of this client's request ids (default a random UUID: two clients started with the
   * same seed must not share ids; the ids never touch a number of the results)
   */
  readonly sessionId?: string;
}

/**
 * A `PhysicalDevice` served over the tenzo remote device protocol (docs/device-protocol.md).
 * Async only: no `querySync`, and — a black box like the hardware behind it — no `exact`,
 * `projectedZo` or `state`/`load`. ω lives on the server; `setParams` records it here (checked,
 * clipped into the described bounds, counted) and the next query carries it inline, so a
 * reconfiguration costs no extra round trip. A query without a new ω asks for the server's current
 * setting under the epoch it last confirmed; a server that lost it (restarted, reconfigured by
 * someone else) answers 409 and the query is re-sent with ω inline.
 *
 * Every answer is checked (status, content type, dtype, rows, length, finiteness, declared
 * output range); faults are counted in the ledger (`retries`, `timeouts`, `rejectedResponses`).
 */
export class RemoteDevice implements PhysicalDevice {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  readonly units: DeviceUnits;
  readonly bounds: ParamBounds;
  readonly paramStep: number | null;
  readonly ledger: QueryLedger;
  readonly url: string;
  readonly dtype: WireDtype;
  readonly description: DeviceDescription;
  private readonly omega: Float64Array;
  private initialised = false;
  /** the server's epoch of our setting, null until an answer confirms it */
  private confirmedEpoch: string | null = null;
  /** bumped on every local change of ω, so a late answer cannot confirm a stale setting */
  private settingVersion = 0;
  private inFlight = 0;
  private seq = 0;
  private readonly sessionId: string;
  private readonly token: string | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly transport: TransportSettings;

  /** Use `remoteDevice(options)`, which fetches the description first. */
  constructor(description: DeviceDescription, options: RemoteDeviceOptions, base = checkUrl(options.url)) {
    const d = description;
    this.description = d;
    this.url = base;
    this.name = `${d.name} @ ${base}`;
    this.inputSize = d.inputSize;
    this.outputSize = d.outputSize;
    this.paramSize = d.paramSize;
    this.units = d.units;
    this.bounds = d.bounds;
    this.paramStep = d.paramStep;
    this.ledger = new QueryLedger(options.budget);
    this.omega = new Float64Array(d.paramSize);
    this.dtype = checkOneOf('remoteDevice: dtype', options.dtype ?? 'float64', WIRE_DTYPES);
    if (!d.dtypes.includes(this.dtype))
      throw new ArgumentError(
        `remoteDevice: dtype: expected one the server offers (${d.dtypes.join(', ')}), got '${this.dtype}'`,
      );
    this.token = options.token;
    this.signal = options.signal;
    this.sessionId = options.sessionId ?? globalThis.crypto.randomUUID();
    this.transport = transportSettings(options, this.ledger);
  }

  params(): Float64Array {
    return this.omega.slice();
  }

  initParams(rng: Rng): Float64Array {
    return sampleInit(this.description.init, rng, new Float64Array(this.paramSize));
  }

  setParams(omega: Float64Array): void {
    const next = this.clamped(omega, 'setParams');
    if (this.differs(next)) {
      this.ledger.checkReconfiguration();
      this.assign(next);
      this.ledger.reconfigurations++;
    }
  }

  /**
   * Evaluates X (B×inputSize) at ω (or the current setting) on the server; resolves to
   * B×outputSize. Batches over the server's row or body limit go as several requests. Rows that
   * come back non-finite or outside the declared range reject with `InvalidRowsError` (their
   * indices and the whole answer); failures after the retries with `RemoteDeviceError`.
   */
  async query(
    X: Float64Array,
    omega?: Float64Array,
    opts: { signal?: AbortSignal } = {},
  ): Promise<Float64Array> {
    const what = `${this.name}.query`;
    if (!(X instanceof Float64Array) || X.length === 0 || X.length % this.inputSize !== 0)
      throw new ShapeError(
        `${what}: X: expected a Float64Array of B×${this.inputSize} (B ≥ 1), got ${X?.constructor?.name}(${X?.length})`,
      );
    checkAllFinite(`${what}: X`, X);
    const batch = X.length / this.inputSize;
    const next = omega === undefined ? null : this.clamped(omega, 'query');
    const reconf = next !== null && this.differs(next);
    if (next === null && !this.initialised && this.paramSize > 0)
      throw new StateError(`${what}: no ω given and none set yet (call setParams or pass ω)`);
    this.ledger.check(batch, reconf);
    if (reconf) {
      this.assign(next);
      this.ledger.reconfigurations++;
    }
    const t0 = performance.now();
    const out = new Float64Array(batch * this.outputSize);
    const bad: number[] = [];
    const rowBytes = this.inputSize * DTYPE_BYTES[this.dtype];
    const room = Math.floor((this.description.maxBodyBytes - 8 * this.paramSize) / rowBytes);
    const chunk = Math.max(1, Math.min(this.description.maxRows, room));
    let lastId = '';
    try {
      for (let r0 = 0; r0 < batch; r0 += chunk) {
        const rows = Math.min(chunk, batch - r0);
        const X0 = X.subarray(r0 * this.inputSize, (r0 + rows) * this.inputSize);
        const Y0 = await this.queryChunk(X0, rows, opts.signal);
        lastId = Y0.requestId;
        out.set(Y0.values, r0 * this.outputSize);
        for (const r of invalidRows(Y0.values, rows, this.outputSize, this.description.outputRange))
          bad.push(r0 + r);
      }
    } finally {
      this.ledger.wallMs += performance.now() - t0;
    }
    this.ledger.calls++;
    this.ledger.inputs += batch;
    if (bad.length > 0) {
      this.ledger.rejectedResponses++;
      const range = this.description.outputRange;
      throw new InvalidRowsError(
        `${what}: request ${lastId} (${batch} rows): rows [${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', …' : ''}] (${bad.length} of ${batch}) are non-finite${range ? ` or outside [${range.min}, ${range.max}]` : ''}; re-query them`,
        lastId,
        bad,
        out,
      );
    }
    return out;
  }

  /** Pushes the current ω to the server now (`PUT /v1/params`) instead of with the next query. */
  async sync(opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (!this.initialised) throw new StateError(`${this.name}.sync: no ω set yet`);
    const version = this.settingVersion;
    const r = await this.callJson(
      'setParams',
      'PUT',
      PATHS.params,
      opts.signal,
      encodeValues(this.omega, 'float64'),
    );
    const epoch = (r.body as { epoch?: unknown }).epoch;
    if (typeof epoch !== 'string')
      throw new FormatError(
        `${r.what}: request ${r.requestId}: epoch: expected a string, got ${typeof epoch}`,
      );
    if (version === this.settingVersion) this.confirmedEpoch = epoch;
  }

  /** `GET /v1/health`: the server's status and the queries it has served. */
  async health(opts: { signal?: AbortSignal } = {}): Promise<HealthBody> {
    const r = await this.callJson('health', 'GET', PATHS.health, opts.signal);
    const h = r.body as Partial<HealthBody>;
    if (h.status !== 'ok' || typeof h.served !== 'number')
      throw new FormatError(
        `${r.what}: request ${r.requestId}: expected { status: 'ok', served, … }, got ${JSON.stringify(r.body).slice(0, 80)}`,
      );
    return h as HealthBody;
  }

  /** One exchange with a JSON answer (parsed, not yet checked). */
  private async callJson(
    op: string,
    method: string,
    path: string,
    signal: AbortSignal | undefined,
    body?: Uint8Array,
  ): Promise<{ body: unknown; what: string; requestId: string }> {
    const requestId = this.nextId();
    const what = `${this.name}.${op}`;
    const extra: Record<string, string> = body === undefined ? {} : { 'content-type': BINARY_TYPE };
    const init = { method, headers: this.headers(requestId, extra), ...(body === undefined ? {} : { body }) };
    const answer = await exchange(
      {
        what,
        requestId,
        url: this.url + path,
        signals: [this.signal, signal],
        init: () => init,
        accept: (res) => readJson(res, what, requestId),
      },
      this.transport,
    );
    return { body: answer, what, requestId };
  }

  private async queryChunk(
    X: Float64Array,
    rows: number,
    signal: AbortSignal | undefined,
  ): Promise<{ values: Float64Array; requestId: string }> {
    try {
      return await this.send(X, rows, signal, this.confirmedEpoch !== null && this.inFlight === 0);
    } catch (err) {
      // the server lost our setting (restart, another client): send ω with the query
      if (!(err instanceof Error && (err as { errorCode?: string }).errorCode === 'params_changed'))
        throw err;
      this.confirmedEpoch = null;
      this.ledger.retries++;
      return this.send(X, rows, signal, false);
    }
  }

  private async send(
    X: Float64Array,
    rows: number,
    signal: AbortSignal | undefined,
    current: boolean,
  ): Promise<{ values: Float64Array; requestId: string }> {
    const requestId = this.nextId();
    const what = `${this.name}.query`;
    const version = this.settingVersion;
    const x = encodeValues(X, this.dtype);
    const body = current ? x : concat(encodeValues(this.omega, 'float64'), x);
    const extra: Record<string, string> = {
      'content-type': BINARY_TYPE,
      [HEADERS.dtype]: this.dtype,
      [HEADERS.rows]: String(rows),
      [HEADERS.params]: current ? 'current' : 'inline',
    };
    if (current) extra[HEADERS.epoch] = this.confirmedEpoch!;
    this.inFlight++;
    try {
      const answer = await exchange(
        {
          what: `${what} (${rows} rows)`,
          requestId,
          url: this.url + PATHS.query,
          signals: [this.signal, signal],
          init: () => ({ method: 'POST', headers: this.headers(requestId, extra), body }),
          accept: (res) => acceptRows(res, this.answerSpec(what, requestId, rows)),
        },
        this.transport,
      );
      if (version === this.settingVersion && this.inFlight === 1) this.confirmedEpoch = answer.epoch;
      return { values: answer.values, requestId };
    } finally {
      this.inFlight--;
    }
  }

  private answerSpec(what: string, requestId: string, rows: number): AnswerSpec {
    return { what, requestId, rows, outputSize: this.outputSize, dtype: this.dtype, ledger: this.ledger };
  }

  private headers(requestId: string, extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { [HEADERS.requestId]: requestId, ...extra };
    if (this.token !== undefined) h.authorization = `Bearer ${this.token}`;
    return h;
  }

  private nextId(): string {
    return `${this.sessionId}-${++this.seq}`;
  }

  /** ω checked (shape, finiteness) and clipped into the bounds, as the hardware's DAC saturates. */
  private clamped(omega: Float64Array, op: string): Float64Array {
    if (!(omega instanceof Float64Array) || omega.length !== this.paramSize)
      throw new ShapeError(
        `${this.name}.${op}: ω: expected a Float64Array of length ${this.paramSize}, got ${omega?.constructor?.name}(${omega?.length})`,
      );
    checkAllFinite(`${this.name}.${op}: ω`, omega);
    const { lower, upper } = this.bounds;
    const out = new Float64Array(omega.length);
    for (let i = 0; i < omega.length; i++) out[i] = Math.min(upper[i]!, Math.max(lower[i]!, omega[i]!));
    return out;
  }

  private differs(next: Float64Array): boolean {
    if (!this.initialised) return true;
    for (let i = 0; i < next.length; i++) if (next[i] !== this.omega[i]) return true;
    return false;
  }

  private assign(next: Float64Array): void {
    this.omega.set(next);
    this.initialised = true;
    this.settingVersion++;
    this.confirmedEpoch = null;
  }
}

/**
 * Connects to a device server: fetches `describe` (with the same timeouts and retries as every
 * call), checks it, and returns the device. `remoteDevice({ url: 'http://127.0.0.1:7341' })`.
 */
export async function remoteDevice(options: RemoteDeviceOptions): Promise<RemoteDevice> {
  const base = checkUrl(options.url);
  const ledger = new QueryLedger();
  const requestId = `${options.sessionId ?? 'describe'}-0`;
  const what = `remoteDevice(${base}).describe`;
  const headers: Record<string, string> = { [HEADERS.requestId]: requestId };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = await exchange(
    {
      what,
      requestId,
      url: base + PATHS.describe,
      signals: [options.signal],
      init: () => ({ method: 'GET', headers }),
      accept: (res) => readJson(res, what, requestId),
    },
    transportSettings(options, ledger),
  );
  const device = new RemoteDevice(parseDescription(base, body), options, base);
  device.ledger.retries += ledger.retries;
  device.ledger.timeouts += ledger.timeouts;
  return device;
}

function transportSettings(o: RemoteDeviceOptions, ledger: QueryLedger): TransportSettings {
  const b = o.backoff ?? {};
  return {
    timeoutMs: checkNumber('remoteDevice: timeoutMs', o.timeoutMs ?? 10_000, { gt: 0, max: 2 ** 31 - 1 }),
    retries: checkInt('remoteDevice: retries', o.retries ?? 3, { max: 100 }),
    backoff: {
      baseMs: checkNumber('remoteDevice: backoff.baseMs', b.baseMs ?? 50, { min: 0 }),
      maxMs: checkNumber('remoteDevice: backoff.maxMs', b.maxMs ?? 2000, { min: 0 }),
      jitter: checkNumber('remoteDevice: backoff.jitter', b.jitter ?? 0.5, { min: 0, max: 1 }),
    },
    jitterRng: new Rng(o.seed ?? 0),
    ledger,
  };
}

/** The base URL without a trailing slash; http(s) only. */
function checkUrl(url: unknown): string {
  let parsed: URL | null = null;
  try {
    parsed = typeof url === 'string' ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new ArgumentError(`remoteDevice: url: expected an http(s) URL, got ${JSON.stringify(url)}`);
  return parsed.href.replace(/\/+$/, '');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
