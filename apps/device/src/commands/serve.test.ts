import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { Rng } from '@tenzo/core';
import { remoteDevice } from '@tenzo/devices';
import { describe, expect, it, vi } from 'vitest';
import { runServe, type ServeFlags, serveCommand, startFromFlags } from './serve.js';

function parse(argv: string[]): ServeFlags {
  const parsed = parseCommand(argv, { name: 'tenzo-device' }, 'serve', serveCommand);
  if (!('flags' in parsed)) throw new Error('unexpected --help');
  return parsed.flags;
}

describe('tenzo-device serve', () => {
  it('serves on a free port, counts the faults it injects, and on shutdown prints a table and writes --json', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'tenzo-device-')), 'summary.json');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const flags = parse([
      '--device',
      'mrr',
      '--d-in',
      '4',
      '--d-out',
      '3',
      '--nan-rate',
      '0.5',
      '--seed',
      '3',
      '--json',
      json,
    ]);
    const summary = await runServe(flags, async (server) => {
      const dev = await remoteDevice({ url: server.url, retries: 0 });
      const omega = dev.initParams(new Rng(0));
      for (let k = 0; k < 4; k++) await dev.query(new Float64Array(8).fill(0.5), omega).catch(() => null);
    });
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(printed).toMatch(/serving mrr 4x3 at http:\/\/127\.0\.0\.1:(\d+) \(port \1\)/);
    expect(printed).toMatch(/queries applied\s+4/);
    const written = JSON.parse(readFileSync(json, 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(written.stats).toMatchObject({
      queries: 4,
      rows: 8,
      faults: { nanRows: summary.stats.faults.nanRows },
    });
    expect(summary.stats.faults.nanRows).toBeGreaterThan(0);
  });

  it('refuses to bind beyond loopback without --token-env, and a --token-env that is not set', async () => {
    await expect(startFromFlags(parse(['--host', '0.0.0.0']))).rejects.toThrow(
      /token: required when bound to '0.0.0.0'/,
    );
    await expect(startFromFlags(parse(['--token-env', 'TENZO_NOPE']), {})).rejects.toThrow(
      /--token-env: environment variable TENZO_NOPE is not set or empty/,
    );
    const server = await startFromFlags(parse(['--token-env', 'T', '--d-in', '2', '--d-out', '2']), {
      T: 'abc',
    });
    try {
      await expect(remoteDevice({ url: server.url })).rejects.toMatchObject({ status: 401 });
      expect((await remoteDevice({ url: server.url, token: 'abc' })).inputSize).toBe(2);
    } finally {
      await server.close();
    }
  });
});
