import { connect } from 'node:net';
import { Rng } from '@tenzo/core';
import { remoteDevice } from '@tenzo/devices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceServer, startDeviceServer } from './deviceServer.js';
import { buildSimulator, initSegments } from './simulators.js';

const D_IN = 4;
const device = buildSimulator('slm', D_IN, 3, 0);
let server: DeviceServer;
beforeAll(async () => {
  server = await startDeviceServer({
    device,
    init: initSegments(device),
    maxBodyBytes: 1 << 16,
    maxRows: 64,
  });
});
afterAll(() => server.close());

/**
 * Sends raw bytes on a fresh connection (optionally half-closing it) and resolves to the status of
 * the first answer, or 'closed' when the server closed without one. Rejects after 3 s: a hang.
 */
function exchangeRaw(port: number, bytes: Buffer, end: boolean): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer within 3 s to ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`));
    }, 3000);
    const done = (v: number | 'closed') => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    sock.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) done(Number(m[1]));
    });
    sock.on('close', () => done('closed'));
    sock.on('error', () => done('closed'));
    sock.write(bytes, () => {
      if (end) sock.end();
    });
  });
}

function head(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const KINDS = [
  'truncated',
  'wrong length',
  'huge length',
  'bad json',
  'random bytes',
  'bad headers',
  'wrong route',
  'chunked',
] as const;

/** One seeded malformed request: its bytes, whether the client half-closes, and its kind. */
function malformed(rng: Rng, k: number): { kind: (typeof KINDS)[number]; bytes: Buffer; end: boolean } {
  const kind = KINDS[k % KINDS.length]!;
  const int = (n: number) => Math.floor(rng.uniform() * n);
  const rows = 1 + int(4);
  const good = 8 * device.paramSize + rows * D_IN * 8;
  const base = [
    'POST /v1/query HTTP/1.1',
    'host: x',
    'content-type: application/octet-stream',
    `tenzo-request-id: f-${k}`,
    'tenzo-dtype: float64',
    `tenzo-rows: ${rows}`,
    'tenzo-params: inline',
  ];
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  switch (kind) {
    case 'truncated':
      return {
        kind,
        bytes: Buffer.concat([Buffer.from(head([...base, `content-length: ${good}`])), junk(int(good))]),
        end: true,
      };
    case 'wrong length': {
      const n = Math.max(0, good + (rng.uniform() < 0.5 ? -1 : 1) * (1 + int(16)));
      return {
        kind,
        bytes: Buffer.concat([Buffer.from(head([...base, `content-length: ${n}`])), junk(n)]),
        end: false,
      };
    }
    case 'huge length':
      return {
        kind,
        bytes: Buffer.from(head([...base, `content-length: ${10 ** (6 + int(10))}`])),
        end: false,
      };
    case 'bad json': {
      const text = ['{', '{"rows": 3', 'null', '[1,2', '"x"', '{}'][int(6)]!;
      const lines = [
        ...base.filter((l) => !l.startsWith('content-type')),
        'content-type: application/json',
        `content-length: ${text.length}`,
      ];
      return { kind, bytes: Buffer.from(head(lines) + text), end: false };
    }
    case 'random bytes':
      return { kind, bytes: junk(1 + int(200)), end: true };
    case 'bad headers': {
      const field = int(5);
      const lines = base.map((l) => {
        if (field === 0 && l.startsWith('tenzo-rows'))
          return `tenzo-rows: ${['abc', '-1', '0', '1.5', '99999999999'][int(5)]}`;
        if (field === 1 && l.startsWith('tenzo-dtype'))
          return `tenzo-dtype: ${['int8', 'float16', ''][int(3)]}`;
        if (field === 2 && l.startsWith('tenzo-params')) return 'tenzo-params: maybe';
        if (field === 3 && l.startsWith('tenzo-request-id')) return `tenzo-request-id: ${'x'.repeat(200)}`;
        if (field === 4 && l.startsWith('tenzo-request-id')) return 'tenzo-request-id: a b';
        return l;
      });
      return {
        kind,
        bytes: Buffer.concat([Buffer.from(head([...lines, `content-length: ${good}`])), junk(good)]),
        end: false,
      };
    }
    case 'wrong route': {
      const line = [
        'GET /v1/query HTTP/1.1',
        'DELETE /v1/params HTTP/1.1',
        'GET /v2/describe HTTP/1.1',
        'PUT /v1/describe HTTP/1.1',
        'GET /../../etc/passwd HTTP/1.1',
      ][int(5)]!;
      return { kind, bytes: Buffer.from(head([line, 'host: x', 'content-length: 0'])), end: false };
    }
    case 'chunked':
      return {
        kind,
        bytes: Buffer.from(`${head([...base, 'transfer-encoding: chunked'])}4\r\nabcd\r\n0\r\n\r\n`),
        end: false,
      };
  }
}

describe('fuzz: malformed requests to the device server', () => {
  it('400 seeded malformed requests get 4xx (or a closed connection when the client left mid-request); none is applied, none hangs the server', async () => {
    const rng = new Rng(21);
    const seen: Record<string, Set<number | 'closed'>> = {};
    for (let k = 0; k < 400; k++) {
      const { kind, bytes, end } = malformed(rng, k);
      const status = await exchangeRaw(server.port, bytes, end);
      (seen[kind] ??= new Set()).add(status);
      if (status === 'closed') expect(['truncated', 'random bytes']).toContain(kind);
      else {
        expect(status, `${kind} #${k}`).toBeGreaterThanOrEqual(400);
        expect(status, `${kind} #${k}`).toBeLessThan(500);
      }
    }
    expect([...seen['huge length']!]).toEqual([413]);
    expect([...seen.chunked!]).toEqual([411]);
    expect(device.ledger.calls).toBe(0);
    // and the server still works
    const dev = await remoteDevice({ url: server.url, retries: 0 });
    expect(await dev.health()).toMatchObject({ status: 'ok', served: 0 });
    const Y = await dev.query(new Float64Array(2 * D_IN).fill(1), dev.initParams(new Rng(0)));
    expect(Y.length).toBe(6);
  });
});
