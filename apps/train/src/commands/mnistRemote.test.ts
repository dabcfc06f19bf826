import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import { syntheticKeywords } from '@tenzo/data';
import { type DeviceServer, initSegments, startDeviceServer } from '@tenzo/device-app/server';
import { slmPhaseMatrix } from '@tenzo/devices';
import { DEVICE_TOKEN_ENV } from '@tenzo/devices/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { audioCommand, runAudio } from './audio.js';
import { mnistCommand, runMnist } from './mnist.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'mnist', mnistCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

const started: DeviceServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
  delete process.env[DEVICE_TOKEN_ENV];
});

async function serve(d: number, extra: Partial<Parameters<typeof startDeviceServer>[0]> = {}) {
  const device = slmPhaseMatrix({ dIn: d, dOut: d, seed: 0 });
  const s = await startDeviceServer({ device, init: initSegments(device), ...extra });
  started.push(s);
  return s;
}

const net = ['--width', '16', '--rank', '2', '--samples', '4', '--batch-size', '128', '--no-augment'];

describe('tenzo-train mnist and audio --device remote:<url>', () => {
  it('trains against tenzo-device (token from $TENZO_DEVICE_TOKEN) through injected faults, and reports them', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const server = await serve(16, { token: 's3cret', faults: { failRate: 0.02, nanRate: 0.002, seed: 2 } });
    process.env[DEVICE_TOKEN_ENV] = 's3cret';
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-mnist-remote-'));
    const h = await runMnist(
      flags([...net, '--device', `remote:${server.url}`, '--epochs', '1', '--seed', '3', '--out', dir]),
    );
    expect(h[0]!.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1
    const stats = server.stats();
    expect(stats.faults.failed).toBeGreaterThan(0);
    expect(stats.faults.nanRows).toBeGreaterThan(0);
    // the epoch record counts the faults the client and the layer saw (the server's 503s, NaN rows)
    const faults = h[0]!.deviceFaults!;
    expect(faults.retries).toBeGreaterThanOrEqual(stats.faults.failed);
    expect(faults.rejectedResponses).toBeGreaterThan(0);
    expect(faults.rowRequeries).toBeGreaterThanOrEqual(faults.rejectedResponses!);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain(`remote:${server.url}`);
    expect(JSON.stringify(report)).toContain('"rowRequeries"');
    log.mockRestore();
    err.mockRestore();
    warn.mockRestore();
  }, 120_000);

  it('refuses a device of the wrong width, a wrong token and an empty URL, naming --device', async () => {
    const server = await serve(8);
    await expect(
      runMnist(flags([...net, '--device', `remote:${server.url}`, '--epochs', '1'])),
    ).rejects.toThrowError(
      new ArgumentError(
        `--device: expected a 16 → 16 device (the network's width), got 'slm-phase-matrix 8x8 @ ${server.url}' 8 → 8`,
      ),
    );
    const locked = await serve(16, { token: 'right' });
    process.env[DEVICE_TOKEN_ENV] = 'wrong';
    await expect(runMnist(flags([...net, '--device', `remote:${locked.url}`]))).rejects.toThrowError(/401/);
    expect(() => flags(['--device', 'remote:'])).toThrowError(/--device: expected one of .*'remote:…'/);
  }, 60_000);

  it('audio: the embedding projection is the served device; device imperfections are refused for it', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const server = await serve(16);
    const data = syntheticKeywords({
      classes: 4,
      trainPerClass: 24,
      testPerClass: 8,
      frames: 24,
      features: 12,
      seed: 5,
    });
    const audio = (argv: string[]) => {
      const r = parseCommand(argv, { name: 'tenzo-train' }, 'audio', audioCommand);
      if ('kind' in r) throw new Error('unexpected help');
      return r.flags;
    };
    const argv = [
      '--channels',
      '16',
      '--embedding',
      '16',
      '--batch-size',
      '16',
      '--rank',
      '2',
      '--samples',
      '4',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-audio-remote-'));
    const h = await runAudio(
      audio([...argv, '--device', `remote:${server.url}`, '--epochs', '2', '--out', dir]),
      {
        data,
      },
    );
    expect(h).toHaveLength(2);
    expect(server.stats().queries).toBeGreaterThan(2 * 6 * 5); // 2 epochs of 6 steps, ≥ 5 queries each
    await expect(
      runAudio(audio([...argv, '--device', `remote:${server.url}`, '--noise', '0.01']), { data }),
    ).rejects.toThrowError(/--noise: needs a simulated --device, got --device remote:/);
    log.mockRestore();
    err.mockRestore();
  }, 60_000);
});
