import { FormatError } from '@tenzo/core';
import type { QueryLedger } from '../ledger.js';
import { BINARY_TYPE, DTYPE_BYTES, decodeValues, HEADERS, type WireDtype } from './protocol.js';

/** What a query answer must match: its request, its rows and the device's output size. */
export interface AnswerSpec {
  /** the start of error messages, e.g. `slm @ http://… .query` */
  readonly what: string;
  readonly requestId: string;
  readonly rows: number;
  readonly outputSize: number;
  readonly dtype: WireDtype;
  /** counts a refused answer in `rejectedResponses` */
  readonly ledger: QueryLedger;
}

/**
 * Checks a 200 answer to a query — content type, dtype, rows, request id, Content-Length —
 * before reading its body, then the body's length; decodes rows×outputSize values. A mismatch is
 * a FormatError naming the request and counted as a rejected response.
 */
export async function acceptRows(
  res: Response,
  a: AnswerSpec,
): Promise<{ values: Float64Array; epoch: string | null }> {
  const reject = (field: string, expected: string, got: unknown): never => {
    a.ledger.rejectedResponses++;
    throw new FormatError(
      `${a.what}: request ${a.requestId} (${a.rows} rows): ${field}: expected ${expected}, got ${typeof got === 'string' ? `'${got.slice(0, 60)}'` : String(got)}`,
    );
  };
  const h = res.headers;
  const type = h.get('content-type') ?? '';
  if (!type.startsWith(BINARY_TYPE)) reject('content-type', BINARY_TYPE, type);
  if (h.get(HEADERS.dtype) !== a.dtype) reject(HEADERS.dtype, a.dtype, h.get(HEADERS.dtype));
  if (h.get(HEADERS.rows) !== String(a.rows)) reject(HEADERS.rows, String(a.rows), h.get(HEADERS.rows));
  if (h.get(HEADERS.requestId) !== a.requestId)
    reject(HEADERS.requestId, a.requestId, h.get(HEADERS.requestId));
  const size = DTYPE_BYTES[a.dtype];
  const bytes = a.rows * a.outputSize * size;
  const declared = h.get('content-length');
  if (declared !== null && declared !== String(bytes))
    reject('content-length', `${bytes} (rows × outputSize × ${size})`, declared);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.byteLength !== bytes) reject('body length', `${bytes} bytes`, `${body.byteLength} bytes`);
  return { values: decodeValues(body, a.dtype, 0, a.rows * a.outputSize), epoch: h.get(HEADERS.epoch) };
}

/** Indices of the rows of Y (rows×m) with an entry that is non-finite or outside `range`. */
export function invalidRows(
  Y: Float64Array,
  rows: number,
  m: number,
  range: { readonly min: number; readonly max: number } | null,
): number[] {
  const lo = range?.min ?? Number.NEGATIVE_INFINITY;
  const hi = range?.max ?? Number.POSITIVE_INFINITY;
  const bad: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = r * m; j < (r + 1) * m; j++) {
      const v = Y[j]!;
      // NaN fails both comparisons; ±∞ passes them when unbounded, hence the finiteness test
      if (!(v >= lo && v <= hi) || v - v !== 0) {
        bad.push(r);
        break;
      }
    }
  }
  return bad;
}
