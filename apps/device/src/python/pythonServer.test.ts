import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@tenzo/core';
import { RemoteDeviceError, remoteDevice } from '@tenzo/devices';
import { afterAll, describe, expect, it } from 'vitest';
import { hybridRun } from '../training/hybridRun.test-util.js';

// examples/python-device-server/server.py, the protocol's reference server in Python (standard
// library only). CI has Debian's python3 and must run this (CI=true: a missing python3 fails).
const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/python-device-server');
const SERVER = join(EXAMPLE, 'server.py');
// server.py with the test faults of `tenzo-device serve` (NaN rows, delays, hangs, dropped connections)
const FAULTS = join(EXAMPLE, 'faults.py');
const python = spawnSync('python3', ['--version']).status === 0;
if (!python && process.env.CI === 'true')
  throw new Error('pythonServer.test: python3 is required when CI=true (apt-get install python3)');

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

/** Starts server.py on a free port; resolves to its URL once it prints "listening on <port>". */
function startPython(args: string[] = [], script = SERVER): Promise<string> {
  const child = spawn('python3', [script, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => reject(new Error(`server.py exited with ${code}: ${err}`)));
  });
}

const client = { timeoutMs: 2000, retries: 4, backoff: { baseMs: 2, maxMs: 20, jitter: 0.5 }, seed: 0 };

describe.runIf(python)('the Python reference server (examples/python-device-server)', () => {
  it('describe, query (float64 and float32, inline ω and current setting), params and health round trips', async () => {
    const url = await startPython(['--inputs', '6', '--outputs', '5', '--seed', '3']);
    const dev = await remoteDevice({ url, ...client });
    expect([dev.inputSize, dev.outputSize, dev.paramSize]).toEqual([6, 5, 30]);
    expect(dev.name).toBe(`python-toy 6x5 @ ${url}`);
    const w = dev.initParams(new Rng(1));
    for (const v of w) expect(Math.abs(v - Math.PI / 4)).toBeLessThanOrEqual(0.1);
    const rng = new Rng(2);
    const X = rng.fillNormal(new Float64Array(4 * 6)) as Float64Array;
    const Y = await dev.query(X, w);
    // the toy law is linear in x: f(x1 + x2) = f(x1) + f(x2); at ω = π/2 it passes nothing
    const X2 = rng.fillNormal(new Float64Array(4 * 6)) as Float64Array;
    const Y2 = await dev.query(X2, w);
    const Y12 = await dev.query(
      X.map((v, i) => v + X2[i]!),
      w,
    );
    for (let i = 0; i < Y.length; i++) expect(Y12[i]).toBeCloseTo(Y[i]! + Y2[i]!, 12);
    // the current setting (no ω sent: the server's epoch) answers the same
    expect(await dev.query(X)).toEqual(Y);
    await dev.sync();
    expect(await dev.query(X)).toEqual(Y);
    const f32 = await remoteDevice({ url, ...client, dtype: 'float32' });
    const Yf = await f32.query(X, w);
    for (let i = 0; i < Y.length; i++) expect(Yf[i]).toBeCloseTo(Y[i]!, 5);
    const off = await dev.query(X, new Float64Array(30).fill(Math.PI / 2));
    for (const v of off) expect(Math.abs(v)).toBeLessThan(1e-12);
    expect(await dev.health()).toMatchObject({ status: 'ok', version: 1 });
    // a wrong token is refused (401, not retried)
    const locked = await startPython(['--token', 'secret']);
    await expect(remoteDevice({ url: locked, ...client, token: 'wrong' })).rejects.toBeInstanceOf(
      RemoteDeviceError,
    );
    expect((await remoteDevice({ url: locked, ...client, token: 'secret' })).inputSize).toBe(16);
  }, 30_000);

  it('the 300-step hybrid run survives the same faults against it (faults.py: 1% failed, 0.1% NaN rows, delays ≤ 20 ms, 0.1% hung, 2 drops)', async () => {
    const cleanUrl = await startPython(['--seed', '0']);
    const cleanDevice = await remoteDevice({ url: cleanUrl, ...client });
    const clean = await hybridRun(cleanDevice);
    const served = ((await cleanDevice.health()) as { served: number }).served;
    const url = await startPython(
      [
        ['--fail-rate', '0.01'],
        ['--nan-rate', '0.001'],
        ['--delay', '20'],
        ['--hang-rate', '0.001'],
        ['--drop-connection-every', String(Math.floor(served / 2.5))],
        ['--seed', '0'],
        ['--fault-seed', '1'],
      ].flat(),
      FAULTS,
    );
    const device = await remoteDevice({ url, ...client, timeoutMs: 1000 });
    const run = await hybridRun(device);
    const injected = (
      (await device.health()) as unknown as { faults: Record<'nanRows' | 'hung' | 'dropped', number> }
    ).faults;
    const ledger = device.ledger;
    const faults = run.layer.faults;
    const sum = (k: 'retries' | 'timeouts' | 'rejectedResponses' | 'rowRequeries') =>
      run.history.reduce((s, h) => s + (h.deviceFaults?.[k] ?? 0), 0);
    console.log(
      `python fault run: ${JSON.stringify({ clean: clean.accuracy, faulty: run.accuracy, served, injected, retries: ledger.retries, timeouts: ledger.timeouts, rejected: ledger.rejectedResponses, rowRequeries: faults.rowRequeries, saves: run.saves })}`,
    );
    // every fault kind happened (503s are counted by the client: server.py answers them itself)
    expect(injected.nanRows).toBeGreaterThan(0);
    expect(injected.hung).toBeGreaterThan(0);
    expect(injected.dropped).toBe(2);
    expect(run.history).toHaveLength(3);
    expect(run.saves).toBe(300 / 50 + 3);
    expect(Math.abs(run.accuracy - clean.accuracy)).toBeLessThanOrEqual(0.01);
    expect(ledger.retries).toBeGreaterThanOrEqual(injected.hung + injected.dropped + 1);
    expect(ledger.timeouts).toBeGreaterThanOrEqual(injected.hung);
    expect(faults.rowRequeries).toBeGreaterThanOrEqual(injected.nanRows > 0 ? 1 : 0);
    // the report counts exactly what the client and the layer counted
    expect(sum('retries')).toBe(ledger.retries);
    expect(sum('timeouts')).toBe(ledger.timeouts);
    expect(sum('rejectedResponses')).toBe(ledger.rejectedResponses);
    expect(sum('rowRequeries')).toBe(faults.rowRequeries);
  }, 240_000);
});
