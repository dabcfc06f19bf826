import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EvaluationError, FormatError, Rng, TenzoError } from '@tenzo/core';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRowsError, RemoteDeviceError } from './errors.js';
import { type DescribeBody, encodeValues, HEADERS, PATHS } from './protocol.js';
import { remoteDevice } from './remoteDevice.js';

// A tiny fake server: describe answers `describeBody`, a query is answered by `onQuery`. The real
// server (apps/device) has its own tests; this one misbehaves on purpose.
const D_IN = 3;
const D_OUT = 2;
const P = 4;

const goodDescribe: DescribeBody = {
  protocol: 'tenzo-device',
  version: 1,
  name: 'fake',
  inputSize: D_IN,
  outputSize: D_OUT,
  paramSize: P,
  units: { input: 'a.u.', output: 'a.u.', param: 'rad' },
  bounds: { lower: 0, upper: [1, 2, null, 4] },
  paramStep: null,
  init: [
    { count: 2, kind: 'uniform', center: 0.5, halfWidth: 0.1 },
    { count: 1, kind: 'normal', mean: 0, std: 1 },
    { count: 1, kind: 'constant', value: 3 },
  ],
  outputRange: { min: -10, max: 10 },
  capabilities: { dtypes: ['float64', 'float32'], replayCache: 8 },
  limits: { maxBodyBytes: 1 << 20, maxRows: 4 },
};

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
const servers: { close(): void; closeAllConnections(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function fake(onQuery: Handler, describeBody: unknown = goodDescribe): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === PATHS.describe) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(typeof describeBody === 'string' ? describeBody : JSON.stringify(describeBody));
      } else onQuery(req, res, Buffer.concat(chunks));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answers each query with rows × D_OUT values from `values(rows)`, headers as the protocol says. */
function answer(values: (rows: number) => Float64Array, tweak: Record<string, string> = {}): Handler {
  return (req, res) => {
    const rows = Number(req.headers[HEADERS.rows]);
    const body = encodeValues(values(rows), 'float64');
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      [HEADERS.dtype]: 'float64',
      [HEADERS.rows]: String(rows),
      [HEADERS.requestId]: String(req.headers[HEADERS.requestId]),
      [HEADERS.epoch]: 'e.1',
      ...tweak,
    });
    res.end(body);
  };
}

const X = Float64Array.from({ length: 2 * D_IN }, (_, i) => i / 10);
const omega = Float64Array.of(0.5, 0.5, 0.5, 0.5);
const fast = { timeoutMs: 300, retries: 1, backoff: { baseMs: 1, maxMs: 2, jitter: 0 } };

describe('RemoteDevice against a misbehaving server', () => {
  it('reads describe (bounds, init draws as the segments say, no exact/projectedZo/state) and clips ω', async () => {
    const url = await fake(answer((rows) => new Float64Array(rows * D_OUT).fill(1)));
    // a server that answers: a generous timeout, so a loaded machine does not turn into a retry
    const dev = await remoteDevice({ url, ...fast, timeoutMs: 10_000 });
    expect([dev.inputSize, dev.outputSize, dev.paramSize]).toEqual([D_IN, D_OUT, P]);
    expect(Array.from(dev.bounds.upper)).toEqual([1, 2, Number.POSITIVE_INFINITY, 4]);
    for (const k of ['exact', 'projectedZo', 'state', 'load', 'querySync']) expect(k in dev).toBe(false);
    const rng = new Rng(3);
    const w = dev.initParams(new Rng(3));
    expect(w[0]).toBe(0.5 + 0.1 * (2 * rng.uniform() - 1));
    expect(w[3]).toBe(3);
    dev.setParams(Float64Array.of(-1, 5, 7, 2));
    expect(Array.from(dev.params())).toEqual([0, 2, 7, 2]);
    expect(Array.from(await dev.query(X))).toEqual([1, 1, 1, 1]);
    expect(dev.ledger.snapshot()).toMatchObject({ calls: 1, inputs: 2, reconfigurations: 1, retries: 0 });
  });

  it.each([
    ['wrong length', answer((rows) => new Float64Array(rows * D_OUT + 1))],
    [
      'wrong content type',
      answer((rows) => new Float64Array(rows * D_OUT), { 'content-type': 'text/plain' }),
    ],
    ['wrong rows header', answer((rows) => new Float64Array(rows * D_OUT), { [HEADERS.rows]: '7' })],
    ['wrong dtype header', answer((rows) => new Float64Array(rows * D_OUT), { [HEADERS.dtype]: 'float32' })],
    ['another request id', answer((rows) => new Float64Array(rows * D_OUT), { [HEADERS.requestId]: 'x-1' })],
    [
      'garbage bytes of the wrong size',
      ((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from('garbage!garbage'));
      }) as Handler,
    ],
  ])('%s: FormatError naming the device and the request, counted as rejected', async (_name, handler) => {
    const url = await fake(handler);
    const dev = await remoteDevice({ url, ...fast, sessionId: 's' });
    const err = await dev.query(X, omega).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(/fake @ http:\/\/127\.0\.0\.1:\d+\.query: request s-1 \(2 rows\)/);
    expect(dev.ledger.rejectedResponses).toBe(1);
    expect(dev.ledger.calls).toBe(0);
  });

  it('a body cut short of its Content-Length is a network failure: retried, then RemoteDeviceError', async () => {
    const url = await fake((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': '32',
        [HEADERS.dtype]: 'float64',
        [HEADERS.rows]: '2',
        [HEADERS.requestId]: String(req.headers[HEADERS.requestId]),
      });
      res.write(Buffer.alloc(8));
      res.socket?.destroy();
    });
    const dev = await remoteDevice({ url, ...fast });
    const err = await dev.query(X, omega).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteDeviceError);
    expect(err).toMatchObject({ reason: 'exhausted', attempts: 2 });
    expect(dev.ledger.retries).toBe(1);
  });

  it('NaN and out-of-range rows: InvalidRowsError with their indices and the whole answer', async () => {
    const url = await fake(
      answer((rows) => {
        const y = new Float64Array(rows * D_OUT).fill(1);
        y[1] = Number.NaN; // row 0
        if (rows > 3) y[7] = 11; // row 3, above the declared max 10
        return y;
      }),
    );
    const dev = await remoteDevice({ url, ...fast });
    const X4 = new Float64Array(4 * D_IN);
    const err = (await dev.query(X4, omega).catch((e: unknown) => e)) as InvalidRowsError;
    expect(err).toBeInstanceOf(InvalidRowsError);
    expect(err).toBeInstanceOf(EvaluationError);
    expect(err.rows).toEqual([0, 3]);
    expect(err.output.length).toBe(4 * D_OUT);
    expect(err.output[2]).toBe(1);
    expect(err.message).toMatch(/rows \[0, 3\] \(2 of 4\) are non-finite or outside \[-10, 10\]/);
    expect(dev.ledger.snapshot()).toMatchObject({ calls: 1, inputs: 4, rejectedResponses: 1 });
  });

  it('a batch above the server’s maxRows goes as several requests, in order', async () => {
    let requests = 0;
    const url = await fake((req, res, body) => {
      requests++;
      const rows = Number(req.headers[HEADERS.rows]);
      const inline = req.headers[HEADERS.params] === 'inline';
      const x = new Float64Array(new Uint8Array(body).slice(inline ? 8 * P : 0).buffer);
      // y = (sum of the row, row's first entry)
      const y = new Float64Array(rows * D_OUT);
      for (let r = 0; r < rows; r++) {
        y[2 * r] = x[3 * r]! + x[3 * r + 1]! + x[3 * r + 2]!;
        y[2 * r + 1] = x[3 * r]!;
      }
      answer(() => y)(req, res, body);
    });
    const dev = await remoteDevice({ url, ...fast });
    const X10 = Float64Array.from({ length: 10 * D_IN }, (_, i) => i % 3);
    const Y = await dev.query(X10, omega);
    expect(requests).toBe(3); // 4 + 4 + 2 rows
    for (let r = 0; r < 10; r++) expect(Y[2 * r + 1]).toBe(X10[3 * r]);
    expect(dev.ledger.snapshot()).toMatchObject({ calls: 1, inputs: 10 });
  });

  it('a server that never answers times out on every attempt; an AbortSignal ends the wait at once', async () => {
    const url = await fake(() => {});
    const dev = await remoteDevice({ url, ...fast, timeoutMs: 50, retries: 2 });
    const before = dev.ledger.snapshot(); // describe may have timed out too, on a busy machine
    const err = await dev.query(X, omega).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'exhausted', attempts: 3 });
    expect((err as Error).message).toMatch(/failed after 3 attempts; last: timed out after 50 ms/);
    expect(dev.ledger.since(before).timeouts).toBe(3);
    const slow = await remoteDevice({ url, ...fast, timeoutMs: 60_000 });
    const ctl = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ctl.abort(), 30);
    const aborted = await slow.query(X, omega, { signal: ctl.signal }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ reason: 'aborted' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('4xx refusals are not retried and carry the status and protocol code', async () => {
    const url = await fake((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'unauthorized', message: 'bad token' }));
    });
    const dev = await remoteDevice({ url, ...fast, retries: 3 });
    const err = await dev.query(X, omega).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'refused', status: 401, errorCode: 'unauthorized', attempts: 1 });
    expect(dev.ledger.retries).toBe(0);
  });

  it.each([
    ['bad JSON', '{"protocol": "tenzo-dev'],
    ['another protocol version', { ...goodDescribe, version: 2 }],
    ['a missing size', { ...goodDescribe, inputSize: undefined }],
    ['init not covering ω', { ...goodDescribe, init: [{ count: 1, kind: 'constant', value: 0 }] }],
    ['bounds of the wrong length', { ...goodDescribe, bounds: { lower: [0, 0], upper: 1 } }],
    ['an unknown init kind', { ...goodDescribe, init: [{ count: 4, kind: 'cauchy' }] }],
    ['no float64', { ...goodDescribe, capabilities: { dtypes: ['float32'], replayCache: 0 } }],
    ['an array', '[]'],
  ])('a describe with %s is a FormatError', async (_name, body) => {
    const url = await fake(() => {}, body);
    await expect(remoteDevice({ url, ...fast })).rejects.toBeInstanceOf(FormatError);
  });

  it('fuzz: 200 seeded mutations of describe and of query answers give a device or a TenzoError, never a TypeError or a hang', async () => {
    const rng = new Rng(2024);
    const junk = (): unknown => {
      const pick = Math.floor(rng.uniform() * 7);
      return [null, -1, 1e300, 'x', [], {}, Number.NaN][pick];
    };
    for (let k = 0; k < 100; k++) {
      const body: Record<string, unknown> = JSON.parse(JSON.stringify(goodDescribe));
      const keys = Object.keys(body);
      body[keys[Math.floor(rng.uniform() * keys.length)]!] = junk();
      const url = await fake(() => {}, body);
      const out = await remoteDevice({ url, ...fast }).catch((e: unknown) => e);
      if (out instanceof Error) expect(out).toBeInstanceOf(TenzoError);
    }
    for (let k = 0; k < 100; k++) {
      const len = Math.floor(rng.uniform() * 64);
      const bytes = Buffer.from(Array.from({ length: len }, () => Math.floor(rng.uniform() * 256)));
      const headers: Record<string, string> = {
        'content-type': rng.uniform() < 0.5 ? 'application/octet-stream' : 'application/json',
      };
      if (rng.uniform() < 0.5) headers[HEADERS.rows] = String(Math.floor(rng.uniform() * 4));
      if (rng.uniform() < 0.5) headers[HEADERS.dtype] = rng.uniform() < 0.5 ? 'float64' : 'int8';
      const status = [200, 200, 400, 500, 503, 302][Math.floor(rng.uniform() * 6)]!;
      const url = await fake((req, res) => {
        if (rng.uniform() < 0.5) headers[HEADERS.requestId] = String(req.headers[HEADERS.requestId]);
        res.writeHead(status, headers);
        res.end(bytes);
      });
      const dev = await remoteDevice({ url, ...fast, retries: 0 });
      const out = await dev.query(X, omega).catch((e: unknown) => e);
      if (out instanceof Error) expect(out).toBeInstanceOf(TenzoError);
      else expect(out).toBeInstanceOf(Float64Array);
    }
  });

  it('bad options and inputs are typed errors', async () => {
    await expect(remoteDevice({ url: 'ftp://x' })).rejects.toThrow(/url: expected an http\(s\) URL/);
    await expect(remoteDevice({ url: 'not a url' })).rejects.toThrow(/url: expected an http\(s\) URL/);
    const url = await fake(answer((rows) => new Float64Array(rows * D_OUT)));
    await expect(remoteDevice({ url, timeoutMs: -1 })).rejects.toThrow(
      /timeoutMs: expected a finite number > 0/,
    );
    await expect(remoteDevice({ url, backoff: { jitter: 2 } })).rejects.toThrow(
      /jitter: expected a finite number >= 0 and <= 1/,
    );
    const dev = await remoteDevice({ url, ...fast });
    await expect(dev.query(X)).rejects.toThrow(/no ω given and none set yet/);
    await expect(dev.query(new Float64Array(4), omega)).rejects.toThrow(/X: expected a Float64Array of B×3/);
    await expect(dev.query(Float64Array.of(1, Number.NaN, 0), omega)).rejects.toThrow(
      /X: expected finite values/,
    );
    expect(() => dev.setParams(new Float64Array(3))).toThrow(
      /setParams: ω: expected a Float64Array of length 4/,
    );
    // a refused unreachable server: network errors, retried, then exhausted
    const gone = await remoteDevice({ url, ...fast });
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
    const err = await gone.query(X, omega).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'exhausted' });
    expect((err as Error).message).toMatch(/network error/);
  });
});
