import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ArgumentError, checkInt, IoError, TenzoError } from '@tenzo/core';
import {
  BINARY_TYPE,
  compactBound,
  DEFAULT_LIMITS,
  type DescribeBody,
  DTYPE_BYTES,
  decodeValues,
  ERROR_STATUS,
  type ErrorCode,
  encodeValues,
  HEADERS,
  type InitSegment,
  JSON_TYPE,
  PATHS,
  type PhysicalDevice,
  PROTOCOL_VERSION,
  REQUEST_ID_PATTERN,
  WIRE_DTYPES,
  type WireDtype,
} from '@tenzo/devices';
import { type FaultCounts, FaultInjector, type FaultOptions } from './faults.js';
import { type Answer, ReplayCache } from './replayCache.js';

export interface DeviceServerOptions {
  readonly device: PhysicalDevice;
  /** the device's initialisation distribution (see `initSegments` for the simulators) */
  readonly init: readonly InitSegment[];
  /** default 127.0.0.1; any other address requires `token` */
  readonly host?: string;
  /** 0 (default): a free port, reported by the result */
  readonly port?: number;
  /** the bearer token every request must carry */
  readonly token?: string;
  readonly maxBodyBytes?: number;
  readonly maxRows?: number;
  /** answered request ids remembered for retries (default 64) */
  readonly replayCache?: number;
  /** declared range of every output entry (checked by clients), if any */
  readonly outputRange?: { readonly min: number; readonly max: number } | null;
  readonly faults?: FaultOptions;
}

/** What a server has done, for `--json` and the closing table. */
export interface ServerStats {
  requests: number;
  queries: number;
  rows: number;
  replayed: number;
  /** answers by HTTP status */
  byStatus: Record<string, number>;
  faults: FaultCounts;
}

export interface DeviceServer {
  readonly url: string;
  readonly port: number;
  stats(): ServerStats;
  /** stops listening and ends every connection (hung requests included) */
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly close = false,
  ) {
    super(message);
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves `device` over the tenzo remote device protocol (docs/device-protocol.md) on HTTP/1.1
 * with keep-alive. Sizes are checked from the headers before a body is read (413 from
 * Content-Length alone), every answer is remembered by request id for retries, and the faults
 * of `faults` are injected where a real instrument would show them.
 */
export async function startDeviceServer(o: DeviceServerOptions): Promise<DeviceServer> {
  const { device } = o;
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && (o.token === undefined || o.token.length === 0))
    throw new ArgumentError(
      `startDeviceServer: token: required when bound to '${host}' (not loopback); give one (tenzo-device serve --token-env NAME)`,
    );
  const maxBodyBytes = checkInt(
    'startDeviceServer: maxBodyBytes',
    o.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes,
    { positive: true },
  );
  const maxRows = checkInt('startDeviceServer: maxRows', o.maxRows ?? DEFAULT_LIMITS.maxRows, {
    positive: true,
  });
  const cache = new ReplayCache(
    checkInt('startDeviceServer: replayCache', o.replayCache ?? DEFAULT_LIMITS.replayCache),
  );
  const faults = new FaultInjector(o.faults);
  const token = o.token === undefined ? null : Buffer.from(`Bearer ${o.token}`);
  const instance = randomUUID().slice(0, 8);
  let reconfigurations = 0;
  const epoch = () => `${instance}.${reconfigurations}`;
  const started = Date.now();
  const stats: ServerStats = {
    requests: 0,
    queries: 0,
    rows: 0,
    replayed: 0,
    byStatus: {},
    faults: faults.counts,
  };
  const describe: DescribeBody = {
    protocol: 'tenzo-device',
    version: PROTOCOL_VERSION,
    name: device.name,
    inputSize: device.inputSize,
    outputSize: device.outputSize,
    paramSize: device.paramSize,
    units: device.units,
    bounds: { lower: compactBound(device.bounds.lower), upper: compactBound(device.bounds.upper) },
    paramStep: device.paramStep ?? null,
    init: o.init,
    outputRange: o.outputRange ?? null,
    capabilities: { dtypes: WIRE_DTYPES, replayCache: cache.capacity },
    limits: { maxBodyBytes, maxRows },
  };
  const describeText = JSON.stringify(describe);
  const hung = new Set<ServerResponse>();

  /** Sets ω if it differs (counting the server's reconfiguration epoch). */
  const configure = (omega: Float64Array): boolean => {
    const before = device.ledger.reconfigurations;
    device.setParams(omega);
    const changed = device.ledger.reconfigurations !== before;
    if (changed) reconfigurations++;
    return changed;
  };

  const evaluate = async (
    req: IncomingMessage,
    body: Uint8Array,
    dtype: WireDtype,
    rows: number,
    inline: boolean,
  ): Promise<Answer> => {
    const delay = faults.delay();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const p = device.paramSize;
    let omega: Float64Array | undefined;
    if (inline) omega = decodeValues(body, 'float64', 0, p);
    else {
      const expected = header(req, HEADERS.epoch);
      if (expected !== null && expected !== epoch())
        throw new Refusal(
          'params_changed',
          `the setting is at epoch ${epoch()}, not ${expected}; send ω inline`,
        );
    }
    const X = decodeValues(body, dtype, inline ? 8 * p : 0, rows * device.inputSize);
    if (omega !== undefined) {
      const before = device.ledger.reconfigurations;
      const Y = await device.query(X, omega);
      if (device.ledger.reconfigurations !== before) reconfigurations++;
      return rowsAnswer(Y, rows, dtype);
    }
    return rowsAnswer(await device.query(X), rows, dtype);
  };

  const rowsAnswer = (Y: Float64Array, rows: number, dtype: WireDtype): Answer => {
    stats.queries++;
    stats.rows += rows;
    const { drop } = faults.corrupt(Y, rows, device.outputSize);
    return {
      status: 200,
      headers: {
        'content-type': BINARY_TYPE,
        [HEADERS.dtype]: dtype,
        [HEADERS.rows]: String(rows),
        [HEADERS.epoch]: epoch(),
      },
      body: encodeValues(Y, dtype),
      drop,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const path = (req.url ?? '').split('?')[0];
    if (token !== null) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== token.length || !timingSafeEqual(got, token))
        throw new Refusal('unauthorized', 'a valid Authorization: Bearer <token> header is required', true);
    }
    const route = Object.entries(PATHS).find(([, p]) => p === path)?.[0];
    if (route === undefined)
      throw new Refusal('not_found', `no endpoint ${JSON.stringify(path?.slice(0, 80))}`, true);
    const allowed = route === 'query' ? ['POST'] : route === 'params' ? ['GET', 'PUT'] : ['GET'];
    if (!allowed.includes(req.method ?? ''))
      throw new Refusal(
        'method_not_allowed',
        `${path} takes ${allowed.join(' or ')}, got ${req.method}`,
        true,
      );
    if (route === 'health')
      return json(res, 200, {
        status: 'ok',
        version: PROTOCOL_VERSION,
        uptimeMs: Date.now() - started,
        served: stats.queries,
      });
    if (route === 'describe')
      return send(res, {
        status: 200,
        headers: { 'content-type': JSON_TYPE },
        body: Buffer.from(describeText),
      });
    if (route === 'params' && req.method === 'GET')
      return send(res, {
        status: 200,
        headers: { 'content-type': BINARY_TYPE, [HEADERS.epoch]: epoch() },
        body: encodeValues(device.params(), 'float64'),
      });

    // PUT /v1/params and POST /v1/query: sizes from the headers, before any body is read
    const length = contentLength(req, maxBodyBytes);
    const id = header(req, HEADERS.requestId);
    if (id === null || !REQUEST_ID_PATTERN.test(id))
      throw new Refusal(
        'bad_request',
        `${HEADERS.requestId}: expected 1–128 characters of [A-Za-z0-9._:-], got ${JSON.stringify(id?.slice(0, 40) ?? null)}`,
        true,
      );
    const type = header(req, 'content-type') ?? '';
    if (!type.startsWith(BINARY_TYPE))
      throw new Refusal(
        'unsupported_media_type',
        `content-type: expected ${BINARY_TYPE}, got ${JSON.stringify(type.slice(0, 60))}`,
        true,
      );
    const p = device.paramSize;
    let dtype: WireDtype = 'float64';
    let rows = 0;
    let inline = true;
    if (route === 'params') {
      if (length !== 8 * p)
        throw new Refusal(
          'bad_request',
          `content-length: expected ${8 * p} (paramSize × 8), got ${length}`,
          true,
        );
    } else {
      const dt = header(req, HEADERS.dtype);
      if (!WIRE_DTYPES.includes(dt as WireDtype))
        throw new Refusal(
          'bad_request',
          `${HEADERS.dtype}: expected float64 or float32, got ${JSON.stringify(dt?.slice(0, 20) ?? null)}`,
          true,
        );
      dtype = dt as WireDtype;
      const r = header(req, HEADERS.rows) ?? '';
      rows = /^[1-9][0-9]{0,9}$/.test(r) ? Number(r) : 0;
      if (rows === 0)
        throw new Refusal(
          'bad_request',
          `${HEADERS.rows}: expected an integer >= 1, got ${JSON.stringify(r.slice(0, 20))}`,
          true,
        );
      if (rows > maxRows)
        throw new Refusal(
          'too_large',
          `${HEADERS.rows}: at most ${maxRows} rows per query, got ${rows}`,
          true,
        );
      const mode = header(req, HEADERS.params);
      if (mode !== 'inline' && mode !== 'current')
        throw new Refusal(
          'bad_request',
          `${HEADERS.params}: expected inline or current, got ${JSON.stringify(mode?.slice(0, 20) ?? null)}`,
          true,
        );
      inline = mode === 'inline';
      const expected = (inline ? 8 * p : 0) + rows * device.inputSize * DTYPE_BYTES[dtype];
      if (length !== expected)
        throw new Refusal(
          'bad_request',
          `content-length: expected ${expected} (${inline ? `8·${p} for ω + ` : ''}${rows} rows × ${device.inputSize} × ${DTYPE_BYTES[dtype]}), got ${length}`,
          true,
        );
    }
    const body = await readBody(req, length);
    if (body === null) return; // the client went away mid-body: nobody to answer
    const signature = `${req.method} ${path} ${length}`;
    const seen = cache.get(id, signature);
    if (seen === 'conflict')
      throw new Refusal('request_id_conflict', `request id ${id} was used for another request`);
    if (seen !== null) {
      stats.replayed++;
      const a = await seen;
      return send(res, { ...a, headers: { ...a.headers, [HEADERS.replayed]: '1' }, drop: false }, id);
    }
    if (route === 'query') {
      // faults that a real instrument shows before it applies anything: not cached
      if (faults.hang()) {
        hung.add(res);
        return;
      }
      if (faults.fail()) throw new Refusal('unavailable', 'injected failure (--fail-rate); retry');
    }
    const answer =
      route === 'params'
        ? Promise.resolve().then((): Answer => {
            const reconfigured = configure(decodeValues(body, 'float64', 0, p));
            const text = JSON.stringify({ epoch: epoch(), reconfigured });
            return { status: 200, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(text) };
          })
        : evaluate(req, body, dtype, rows, inline);
    const settled = answer.catch(errorAnswer);
    cache.set(id, signature, settled);
    send(res, await settled, id);
  };

  const send = (res: ServerResponse, a: Answer, id?: string): void => {
    if (a.drop) {
      res.socket?.destroy();
      return;
    }
    stats.byStatus[a.status] = (stats.byStatus[a.status] ?? 0) + 1;
    const headers: Record<string, string | number> = { ...a.headers, 'content-length': a.body.byteLength };
    if (id !== undefined) headers[HEADERS.requestId] = id;
    res.writeHead(a.status, headers);
    res.end(a.body);
  };

  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, { status, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(value)) });

  const server = createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        const a = errorAnswer(err);
        if (err instanceof Refusal && err.close) res.setHeader('connection', 'close');
        if (res.headersSent || res.destroyed) return;
        send(res, a, header(req, HEADERS.requestId) ?? undefined);
      });
    },
  );
  // a malformed request line or header: answer 400 when the socket still can, never throw
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new IoError(`startDeviceServer: cannot listen on ${host}:${o.port ?? 0}: ${err.message}`, {
          cause: err,
        }),
      ),
    );
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A protocol error answer: refusals by their code, device errors as 400/409, the rest 500. */
function errorAnswer(err: unknown): Answer {
  let code: ErrorCode = 'internal';
  let message = err instanceof Error ? err.message : String(err);
  if (err instanceof Refusal) code = err.code;
  else if (err instanceof TenzoError) {
    code =
      err.code === 'E_NON_FINITE' ? 'non_finite' : err.code === 'E_STATE' ? 'params_changed' : 'bad_request';
  } else message = 'internal error';
  return {
    status: ERROR_STATUS[code],
    headers: { 'content-type': JSON_TYPE },
    body: Buffer.from(JSON.stringify({ code, message })),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

/** The declared body length, refused (411/413/400) before anything is read. */
function contentLength(req: IncomingMessage, max: number): number {
  if (req.headers['transfer-encoding'] !== undefined)
    throw new Refusal('length_required', 'chunked bodies are not accepted; send Content-Length', true);
  const raw = req.headers['content-length'];
  if (raw === undefined) throw new Refusal('length_required', 'Content-Length is required', true);
  if (!/^[0-9]{1,16}$/.test(raw))
    throw new Refusal(
      'bad_request',
      `content-length: expected an integer, got ${JSON.stringify(raw.slice(0, 20))}`,
      true,
    );
  const n = Number(raw);
  if (n > max) throw new Refusal('too_large', `content-length: at most ${max} bytes, got ${n}`, true);
  return n;
}

/** Reads exactly `length` bytes (Node's parser enforces Content-Length); null when the client left. */
function readBody(req: IncomingMessage, length: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const body = Buffer.allocUnsafe(length);
    let at = 0;
    req.on('data', (chunk: Buffer) => {
      chunk.copy(body, at);
      at += chunk.length;
    });
    req.on('end', () => resolve(at === length ? body : null));
    req.on('error', () => resolve(null));
    req.on('aborted', () => resolve(null));
    req.on('close', () => {
      if (at !== length) resolve(null);
    });
  });
}
