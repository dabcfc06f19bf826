import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArgumentError, TenzoError } from '@tenzo/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DescribeBody, PATHS } from './protocol.js';
import {
  checkRemoteFlag,
  connectRemote,
  DEVICE_TOKEN_ENV,
  isRemote,
  remoteDeviceFlag,
} from './remoteFlag.js';

const describeOf = (inputSize: number, outputSize: number): DescribeBody => ({
  protocol: 'tenzo-device',
  version: 1,
  name: 'fake',
  inputSize,
  outputSize,
  paramSize: 2,
  units: { input: 'a.u.', output: 'a.u.', param: 'rad' },
  bounds: { lower: null, upper: null },
  paramStep: null,
  init: [{ count: 2, kind: 'constant', value: 0 }],
  outputRange: null,
  capabilities: { dtypes: ['float64'], replayCache: 0 },
  limits: { maxBodyBytes: 1 << 20, maxRows: 16 },
});

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** A server that answers describe with `body` and records the Authorization headers it saw. */
async function serve(body: DescribeBody, auth: (string | undefined)[]): Promise<string> {
  const server = createServer((req, res) => {
    auth.push(req.headers.authorization);
    if (req.url !== PATHS.describe) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('remote device flags', () => {
  it('isRemote reads the remote: prefix only', () => {
    expect(isRemote('remote:http://h:1')).toBe(true);
    expect(isRemote('slm')).toBe(false);
    expect(isRemote('http://h:1')).toBe(false);
    expect(remoteDeviceFlag.device.type).toBe('string');
    expect(() => isRemote(3 as never)).toThrow(ArgumentError);
  });

  it('connectRemote is null for other values and checks the served width', async () => {
    expect(await connectRemote('slm', 4, 1)).toBeNull();
    await expect(connectRemote('slm', 0, 1)).rejects.toThrow(TenzoError);
    await expect(connectRemote(null as never, 4, 1)).rejects.toThrow(ArgumentError);
    const auth: (string | undefined)[] = [];
    const url = await serve(describeOf(4, 4), auth);
    const before = process.env[DEVICE_TOKEN_ENV];
    process.env[DEVICE_TOKEN_ENV] = 'secret';
    try {
      const dev = await connectRemote(`remote:${url}`, 4, 1);
      expect(dev?.inputSize).toBe(4);
      expect(dev?.name).toBe(`fake @ ${url}`);
      expect(auth).toContain('Bearer secret');
      await expect(connectRemote(`remote:${url}`, 3, 1)).rejects.toThrow(
        `--device: expected a 3 → 3 device (the network's width), got 'fake @ ${url}' 4 → 4`,
      );
    } finally {
      if (before === undefined) delete process.env[DEVICE_TOKEN_ENV];
      else process.env[DEVICE_TOKEN_ENV] = before;
    }
    const wide = await serve(describeOf(4, 5), []);
    await expect(connectRemote(`remote:${wide}`, 4, 1)).rejects.toBeInstanceOf(ArgumentError);
  });

  it('checkRemoteFlag wants a remote:<url> exactly when an entry uses it', () => {
    expect(checkRemoteFlag('remote:http://h:1', true, '--variants')).toBe('remote:http://h:1');
    expect(checkRemoteFlag(undefined, false, '--variants')).toBeUndefined();
    expect(() => checkRemoteFlag('slm', true, '--variants')).toThrow(
      "--device: expected remote:http://host:port, got 'slm'",
    );
    expect(() => checkRemoteFlag(undefined, true, '--devices')).toThrow(
      "--devices: 'remote' needs --device remote:http://host:port, got no --device",
    );
    expect(() => checkRemoteFlag('remote:http://h:1', false, '--devices')).toThrow(ArgumentError);
    expect(() => checkRemoteFlag(7 as never, false, '--devices')).toThrow(ArgumentError);
  });
});
