import { request } from 'node:http';
import { Rng } from '@tenzo/core';
import {
  gaussianNoise,
  InvalidRowsError,
  type PhysicalDevice,
  RemoteDeviceError,
  remoteDevice,
  slmPhaseMatrix,
} from '@tenzo/devices';
import { PhysicalLayer } from '@tenzo/hybrid';
import { fromTypedArray } from '@tenzo/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeviceServer, type DeviceServerOptions, startDeviceServer } from './deviceServer.js';
import { buildSimulator, initSegments, type ServedDevice } from './simulators.js';

const started: DeviceServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

async function serve(
  device: PhysicalDevice,
  extra: Partial<DeviceServerOptions> = {},
): Promise<DeviceServer> {
  const s = await startDeviceServer({ device, init: initSegments(device), ...extra });
  started.push(s);
  return s;
}

const fast = { timeoutMs: 2000, retries: 4, backoff: { baseMs: 1, maxMs: 5, jitter: 0.5 } };

function batch(rng: Rng, rows: number, d: number): Float64Array {
  return rng.fillNormal(new Float64Array(rows * d)) as Float64Array;
}

/** A raw request (no client logic): status and JSON body, or 'closed' when the socket ended first. */
function raw(
  url: string,
  opts: { method: string; path: string; headers?: Record<string, string | number>; body?: Uint8Array },
): Promise<{ status: number; body: string } | 'closed'> {
  return new Promise((resolve) => {
    const req = request(`${url}${opts.path}`, { method: opts.method, headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => resolve('closed'));
    });
    req.on('error', () => resolve('closed'));
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('tenzo-device server and RemoteDevice on loopback', () => {
  it.each(['slm', 'mrr', 'mzi'] as ServedDevice[])(
    '%s: outputs equal the in-process simulator bit for bit (float64 bodies), to float32 rounding (float32 bodies); init draws agree',
    async (kind) => {
      const server = await serve(buildSimulator(kind, 6, 5, 1));
      const local = buildSimulator(kind, 6, 5, 1);
      const dev = await remoteDevice({ url: server.url, ...fast });
      const dev32 = await remoteDevice({ url: server.url, ...fast, dtype: 'float32' });
      expect([dev.inputSize, dev.outputSize, dev.paramSize]).toEqual([6, 5, local.paramSize]);
      expect(dev.units).toEqual(local.units);
      expect(Array.from(dev.bounds.lower)).toEqual(Array.from(local.bounds.lower));
      const w = dev.initParams(new Rng(7));
      const wLocal = local.initParams(new Rng(7));
      for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(wLocal[i]!, 14);
      const rng = new Rng(2);
      for (let k = 0; k < 3; k++) {
        const X = batch(rng, 4, 6);
        const omega = wLocal.map((v) => v + 0.01 * rng.normal());
        expect(await dev.query(X, omega)).toEqual(await local.query(X, omega));
        expect(await dev.query(X)).toEqual(await local.query(X)); // the setting, by epoch
        const want32 = (await local.query(Float64Array.from(Float32Array.from(X)))).map(Math.fround);
        expect(await dev32.query(X, omega)).toEqual(want32);
      }
      expect(dev.ledger.snapshot()).toMatchObject({ calls: 6, inputs: 24, reconfigurations: 3, retries: 0 });
    },
  );

  it('a retried query after a dropped connection is answered from the cache, not applied twice', async () => {
    const make = () => slmPhaseMatrix({ dIn: 4, dOut: 3, outputNoise: [gaussianNoise(0.05)], seed: 9 });
    const serverDevice = make();
    const server = await serve(serverDevice, { faults: { dropConnectionEvery: 2 } });
    const local = make();
    const dev = await remoteDevice({ url: server.url, ...fast });
    const omega = local.initParams(new Rng(1));
    const rng = new Rng(3);
    for (let k = 0; k < 6; k++) {
      const X = batch(rng, 2, 4);
      // the readout noise would advance twice for a query applied twice: the outputs would part
      expect(await dev.query(X, omega)).toEqual(await local.query(X, omega));
    }
    const stats = server.stats();
    expect(stats.faults.dropped).toBe(3);
    expect(stats.replayed).toBe(3);
    expect(serverDevice.ledger.calls).toBe(6);
    expect(dev.ledger.retries).toBe(3);
  });

  it('hung requests time out and are retried; 503s are retried with backoff; NaN rows are reported and re-queried', async () => {
    const server = await serve(buildSimulator('slm', 4, 3, 0), {
      faults: { hangRate: 0.3, failRate: 0.3, nanRate: 0.2, seed: 5 },
    });
    const local = buildSimulator('slm', 4, 3, 0);
    const dev = await remoteDevice({ url: server.url, ...fast, timeoutMs: 100, retries: 8 });
    const omega = local.initParams(new Rng(1));
    const rng = new Rng(4);
    let invalid = 0;
    for (let k = 0; k < 20; k++) {
      const X = batch(rng, 5, 4);
      const want = await local.query(X, omega);
      const got = await dev.query(X, omega).catch(async (err: unknown) => {
        expect(err).toBeInstanceOf(InvalidRowsError);
        const e = err as InvalidRowsError;
        invalid++;
        const Y = e.output.slice();
        for (const r of e.rows) expect(Number.isNaN(Y[3 * r])).toBe(true);
        // re-query just the bad rows (NaNs may strike again: loop until clean)
        for (const r of e.rows) {
          for (;;) {
            const y = await dev.query(X.slice(4 * r, 4 * r + 4)).catch(() => null);
            if (y) {
              Y.set(y, 3 * r);
              break;
            }
          }
        }
        return Y;
      });
      expect(got).toEqual(want);
    }
    const s = server.stats();
    expect(invalid).toBeGreaterThan(0);
    expect(s.faults.hung).toBeGreaterThan(0);
    expect(s.faults.failed).toBeGreaterThan(0);
    // every hang times out (a slow answer may too, and is then replayed); each timeout or 503 is one retry
    expect(dev.ledger.timeouts).toBeGreaterThanOrEqual(s.faults.hung);
    expect(dev.ledger.retries).toBe(dev.ledger.timeouts + s.faults.failed);
    expect(dev.ledger.rejectedResponses).toBeGreaterThanOrEqual(invalid);
  });

  it('503 on every attempt: exponential backoff (no jitter: 20 + 40 + 80 ms), then RemoteDeviceError', async () => {
    const server = await serve(buildSimulator('mrr', 3, 3, 0), { faults: { failRate: 1 } });
    const dev = await remoteDevice({
      url: server.url,
      retries: 3,
      backoff: { baseMs: 20, maxMs: 1000, jitter: 0 },
    });
    const t0 = performance.now();
    const err = await dev.query(new Float64Array(3), dev.initParams(new Rng(0))).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(135);
    expect(err).toBeInstanceOf(RemoteDeviceError);
    expect(err).toMatchObject({ reason: 'exhausted', status: 503, errorCode: 'unavailable', attempts: 4 });
    expect(server.stats().faults.failed).toBe(4);
  });

  it('an AbortSignal cancels a hung query (device-wide or per call)', async () => {
    const server = await serve(buildSimulator('slm', 3, 3, 0), { faults: { hangRate: 1 } });
    const ctl = new AbortController();
    const dev = await remoteDevice({ url: server.url, timeoutMs: 60_000, signal: ctl.signal });
    const omega = dev.initParams(new Rng(0));
    setTimeout(() => ctl.abort(), 40);
    const t0 = performance.now();
    await expect(dev.query(new Float64Array(3), omega)).rejects.toMatchObject({ reason: 'aborted' });
    expect(performance.now() - t0).toBeLessThan(2000);
    const dev2 = await remoteDevice({ url: server.url, timeoutMs: 60_000 });
    await expect(
      dev2.query(new Float64Array(3), omega, { signal: AbortSignal.timeout(30) }),
    ).rejects.toMatchObject({
      reason: 'aborted',
    });
  });

  it('tokens: a wrong or missing token gets 401; binding beyond loopback without one is refused', async () => {
    const server = await serve(buildSimulator('slm', 3, 3, 0), { token: 's3cret' });
    expect(await raw(server.url, { method: 'GET', path: '/v1/health' })).toMatchObject({ status: 401 });
    const bad = await remoteDevice({ url: server.url, token: 'nope' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ reason: 'refused', status: 401, errorCode: 'unauthorized' });
    const dev = await remoteDevice({ url: server.url, token: 's3cret' });
    expect(await dev.health()).toMatchObject({ status: 'ok', served: 0 });
    await expect(
      startDeviceServer({ device: buildSimulator('slm', 3, 3, 0), init: [], host: '0.0.0.0' }),
    ).rejects.toThrow(/token: required when bound to '0.0.0.0'/);
  });

  it('oversize bodies and batches get 413 from the headers alone; a client splits its batch to fit', async () => {
    const server = await serve(buildSimulator('slm', 4, 2, 0), { maxBodyBytes: 4096, maxRows: 8 });
    const headers = {
      'content-type': 'application/octet-stream',
      'tenzo-request-id': 'a-1',
      'tenzo-dtype': 'float64',
      'tenzo-params': 'current',
    };
    // no body is sent: the answer must come from Content-Length alone
    const huge = await raw(server.url, {
      method: 'POST',
      path: '/v1/query',
      headers: { ...headers, 'tenzo-rows': '1', 'content-length': 1e12 },
    });
    expect(huge).toMatchObject({ status: 413 });
    expect((huge as { body: string }).body).toMatch(
      /"code":"too_large".*at most 4096 bytes, got 1000000000000/,
    );
    const rows = await raw(server.url, {
      method: 'POST',
      path: '/v1/query',
      headers: { ...headers, 'tenzo-rows': '9', 'content-length': 288 },
    });
    expect(rows).toMatchObject({ status: 413 });
    const dev = await remoteDevice({ url: server.url });
    const local = buildSimulator('slm', 4, 2, 0);
    const omega = local.initParams(new Rng(0));
    const X = batch(new Rng(1), 50, 4);
    expect(await dev.query(X, omega)).toEqual(await local.query(X, omega));
  });

  it('a restarted server (another epoch) answers 409 to a query by epoch; the client re-sends ω inline', async () => {
    const a = await serve(buildSimulator('mzi', 4, 4, 0), { port: 0 });
    const dev = await remoteDevice({ url: a.url });
    const local = buildSimulator('mzi', 4, 4, 0);
    const omega = local.initParams(new Rng(0));
    const X = batch(new Rng(2), 3, 4);
    await dev.query(X, omega);
    const { port } = a;
    await a.close();
    started.splice(0);
    const b = await serve(buildSimulator('mzi', 4, 4, 0), { port });
    expect(await dev.query(X)).toEqual(await local.query(X, omega));
    expect(b.stats().byStatus).toEqual({ 200: 1, 409: 1 });
    expect(dev.ledger.retries).toBeGreaterThanOrEqual(1);
  });

  it('a PhysicalLayer trains on a RemoteDevice (forward, backward, ZO ω-gradient) like on the simulator', async () => {
    const server = await serve(buildSimulator('slm', 6, 4, 0));
    const dev = await remoteDevice({ url: server.url });
    const local = buildSimulator('slm', 6, 4, 0);
    const opts = { rank: 2, zoSamples: 8, sketchSamples: 4, seed: 3 };
    const grads: Float64Array[] = [];
    for (const d of [dev, local]) {
      const layer = new PhysicalLayer(d, new Rng(1), opts, 'float64');
      const x = fromTypedArray(batch(new Rng(5), 3, 6), [3, 6]);
      const y = await layer.forward(x);
      y.sum().backward();
      grads.push((await layer.estimateParamGrad()).grad);
    }
    expect(grads[0]!.length).toBe(24);
    for (let i = 0; i < 24; i++) expect(grads[0]![i]).toBeCloseTo(grads[1]![i]!, 9);
  });
});
