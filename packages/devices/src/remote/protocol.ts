/**
 * The tenzo remote device protocol, version 1 (docs/device-protocol.md at the repository root is
 * the specification; this file holds its names and numbers so the client here and the server in
 * apps/device cannot disagree).
 */

/** The major version: the path prefix `/v1/` and `describe.version`. */
export const PROTOCOL_VERSION = 1;

/** Path of every endpoint, relative to the device's base URL. */
export const PATHS = {
  health: '/v1/health',
  describe: '/v1/describe',
  params: '/v1/params',
  query: '/v1/query',
} as const;

/** Header names (HTTP header names are case-insensitive; Node lower-cases them). */
export const HEADERS = {
  requestId: 'tenzo-request-id',
  dtype: 'tenzo-dtype',
  rows: 'tenzo-rows',
  params: 'tenzo-params',
  epoch: 'tenzo-params-epoch',
  replayed: 'tenzo-replayed',
} as const;

/** The media type of every binary body; JSON bodies are `application/json`. */
export const BINARY_TYPE = 'application/octet-stream';
/** The content type of every JSON request and response body. */
export const JSON_TYPE = 'application/json';

/** Element types of binary bodies (little-endian IEEE 754); ω is always float64. */
export type WireDtype = 'float64' | 'float32';
/** The element types a binary body may carry. */
export const WIRE_DTYPES: readonly WireDtype[] = ['float64', 'float32'];
/** Bytes per element of each {@link WireDtype}. */
export const DTYPE_BYTES: Readonly<Record<WireDtype, number>> = { float64: 8, float32: 4 };

/** A request id: 1–128 characters of [A-Za-z0-9._:-]. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Server defaults (flags of `tenzo-device serve`). */
export const DEFAULT_LIMITS = {
  /** largest request body accepted (bytes) */
  maxBodyBytes: 64 * 1024 * 1024,
  /** largest batch (rows) of one query */
  maxRows: 65_536,
  /** answered request ids remembered for retries */
  replayCache: 64,
} as const;

/** Error codes of the JSON error body `{ code, message }`, with their HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  non_finite: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  params_changed: 409,
  request_id_conflict: 409,
  length_required: 411,
  too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
} as const;
/** The machine-readable `code` of an error response, one of the keys of `ERROR_STATUS`. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every non-2xx response. */
export interface ErrorBody {
  readonly code: ErrorCode | string;
  readonly message: string;
}

/**
 * One run of parameters in the initialisation distribution (describe.init): `count` entries drawn
 * as center + halfWidth·(2u − 1) with u ~ U[0, 1), as mean + std·z with z ~ N(0, 1), or constant.
 */
export type InitSegment =
  | { readonly count: number; readonly kind: 'uniform'; readonly center: number; readonly halfWidth: number }
  | { readonly count: number; readonly kind: 'normal'; readonly mean: number; readonly std: number }
  | { readonly count: number; readonly kind: 'constant'; readonly value: number };

/** A bound on the wire: a number, null for ±∞, or one of those per parameter. */
export type WireBound = number | null | readonly (number | null)[];

/** The body of `GET /v1/describe`. */
export interface DescribeBody {
  readonly protocol: 'tenzo-device';
  readonly version: number;
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  readonly units: { readonly input: string; readonly output: string; readonly param: string };
  readonly bounds: { readonly lower: WireBound; readonly upper: WireBound };
  readonly paramStep: number | null;
  readonly init: readonly InitSegment[];
  /** every output entry lies in [min, max] (a detector's range), or null when not declared */
  readonly outputRange: { readonly min: number; readonly max: number } | null;
  readonly capabilities: { readonly dtypes: readonly WireDtype[]; readonly replayCache: number };
  readonly limits: { readonly maxBodyBytes: number; readonly maxRows: number };
}

/** The body of `GET /v1/health`. */
export interface HealthBody {
  readonly status: 'ok';
  readonly version: number;
  readonly uptimeMs: number;
  readonly served: number;
}

/** The body of `PUT /v1/params`. */
export interface SetParamsBody {
  readonly epoch: string;
  readonly reconfigured: boolean;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `values` as little-endian bytes of `dtype` (float32 rounds to nearest). */
export function encodeValues(values: Float64Array, dtype: WireDtype): Uint8Array {
  const n = values.length;
  if (LITTLE_ENDIAN) {
    const typed = dtype === 'float64' ? values : Float32Array.from(values);
    return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  }
  const out = new Uint8Array(n * DTYPE_BYTES[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    if (dtype === 'float64') view.setFloat64(8 * i, values[i]!, true);
    else view.setFloat32(4 * i, values[i]!, true);
  }
  return out;
}

/** `count` little-endian `dtype` values from `bytes` at byte `offset`, widened to float64. */
export function decodeValues(
  bytes: Uint8Array,
  dtype: WireDtype,
  offset: number,
  count: number,
): Float64Array {
  const size = DTYPE_BYTES[dtype];
  const start = bytes.byteOffset + offset;
  if (LITTLE_ENDIAN) {
    // slice: a copy that starts aligned (a Node Buffer may sit at any offset of its pool)
    const buf = bytes.buffer.slice(start, start + count * size);
    return dtype === 'float64' ? new Float64Array(buf) : Float64Array.from(new Float32Array(buf));
  }
  const view = new DataView(bytes.buffer, start, count * size);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++)
    out[i] = dtype === 'float64' ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true);
  return out;
}

/** Expands a wire bound to one value per parameter (null → `infinity`). */
export function expandBound(bound: WireBound, size: number, infinity: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const v = Array.isArray(bound) ? bound[i] : bound;
    out[i] = v === null || v === undefined ? infinity : (v as number);
  }
  return out;
}

/** The compact wire form of per-parameter bounds: one value when all agree, ±∞ as null. */
export function compactBound(values: Float64Array): WireBound {
  const wire = (v: number) => (Number.isFinite(v) ? v : null);
  const first = values[0];
  if (first === undefined || values.every((v) => v === first))
    return first === undefined ? null : wire(first);
  return Array.from(values, wire);
}
