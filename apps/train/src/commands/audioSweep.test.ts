import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { syntheticKeywords } from '@tenzo/data';
import { cellRunDir } from '@tenzo/train/node';
import { describe, expect, it, vi } from 'vitest';
import { audioSweepCells, audioSweepCommand, runAudioSweep } from './audioSweep.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'audio-sweep', audioSweepCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

describe('tenzo-train audio-sweep', () => {
  it('lists baselines, ablations and the rank × samples grid per device and seed with the network flags', () => {
    const cells = audioSweepCells(
      flags(['--devices', 'slm,mrr', '--ranks', '1,5,10,50', '--samples', '10,100', '--seeds', '1..3']),
    );
    // per seed: digital + removed + per device (frozen + 3 ablations + 8 grid cells)
    expect(cells).toHaveLength(3 * (2 + 2 * (1 + 3 + 8)));
    expect(new Set(cells.map((c) => c.key)).size).toBe(cells.length);
    const net = ['--data', 'keywords', '--data-seed', '0', '--features', 'mfcc', '--channels', '16'];
    expect(cells.find((c) => c.key === 'slm/r50/m10/s3')!.argv).toEqual([
      '--device',
      'slm',
      ...net,
      '--embedding',
      '64',
      '--batch-size',
      '32',
      '--seed',
      '3',
      '--rank',
      '50',
      '--samples',
      '10',
    ]);
    expect(cells.find((c) => c.key === 'mrr/zo-only/s1')).toMatchObject({ rank: 10, samples: 100 });
    expect(cells.find((c) => c.key === 'removed/s2')!.argv.slice(0, 2)).toEqual(['--device', 'identity']);
    // the device is d×d: a surrogate rank above d cannot exist
    expect(() => audioSweepCells(flags(['--embedding', '32', '--ranks', '1,50']))).toThrowError(
      /--ranks: expected every rank ≤ --embedding 32 .*got 50/,
    );
    expect(() => audioSweepCells(flags(['--devices', 'slm,none']))).toThrowError(/--devices: .*got 'none'/);
  });

  it('runs every cell once, writes the table and plots, and a rerun resumes without rerunning', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const out = mkdtempSync(join(tmpdir(), 'tenzo-audio-sweep-'));
    const data = syntheticKeywords({
      classes: 3,
      trainPerClass: 16,
      testPerClass: 6,
      frames: 16,
      features: 8,
      seed: 3,
    });
    const argv = [
      '--data',
      'synthetic',
      '--devices',
      'slm',
      '--ranks',
      '1,4',
      '--samples',
      '3',
      '--seeds',
      '1',
      '--channels',
      '4',
      '--embedding',
      '4',
      '--batch-size',
      '16',
      '--epochs',
      '1',
      '--out',
      out,
    ];
    const f = flags(argv);
    const keys = audioSweepCells(f).map((c) => c.key);
    expect(keys).toEqual([
      'digital/s1',
      'removed/s1',
      'slm/frozen/s1',
      'slm/exact/s1',
      'slm/surrogate-only/s1',
      'slm/zo-only/s1',
      'slm/r1/m3/s1',
      'slm/r4/m3/s1',
    ]);
    const first = await runAudioSweep(f, { data });
    expect(first.map((r) => r.key)).toEqual(keys);
    for (const r of first) {
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      expect(r.secondsPerEpoch).toBeGreaterThan(0);
      // device inputs are counted only where there is a device
      if (r.device === 'none' || r.device === 'identity') expect(r.queriesPerStep).toBeNull();
      else expect(r.queriesPerStep).toBeGreaterThan(0);
    }
    // the ZO estimate costs queries the frozen device does not spend
    expect(first[6]!.queriesPerStep).toBeGreaterThan(first[2]!.queriesPerStep!);
    for (const file of ['results.json', 'table.md', 'accuracy-vs-rank-slm.svg'])
      expect(existsSync(join(out, file)), file).toBe(true);
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toMatch(/zo\+surrogate/);
    const svg = readFileSync(join(out, 'accuracy-vs-rank-slm.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/removed/);

    const mtime = (key: string) => statSync(join(cellRunDir(out, key), 'report.json')).mtimeMs;
    const before = keys.map(mtime);
    const stamp = readFileSync(join(out, 'results.json'), 'utf8');
    expect(await runAudioSweep(f, { data })).toEqual(first);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(stamp);
    expect(keys.map(mtime)).toEqual(before);

    // as if interrupted before the last cell finished: only that cell runs again
    const partial = JSON.parse(stamp);
    partial.results.pop();
    writeFileSync(join(out, 'results.json'), JSON.stringify(partial));
    await new Promise((r) => setTimeout(r, 20));
    const resumed = await runAudioSweep(f, { data });
    expect(resumed.map((r) => r.key)).toEqual(keys);
    expect(resumed.slice(0, -1)).toEqual(first.slice(0, -1));
    expect(keys.slice(0, -1).map(mtime)).toEqual(before.slice(0, -1));
    expect(mtime(keys[keys.length - 1]!)).toBeGreaterThan(before[before.length - 1]!);

    // a narrower rerun (one rank) runs nothing and tabulates only its own cells; results.json keeps all
    const narrow = argv.map((a) => (a === '1,4' ? '1' : a));
    const sub = await runAudioSweep(flags(narrow), { data });
    expect(sub.map((r) => r.key)).toEqual(keys.slice(0, -1));
    const table = readFileSync(join(out, 'table.md'), 'utf8');
    expect(table).toMatch(/\| zo\+surrogate +\| slm +\| +1 +\|/);
    expect(table).not.toMatch(/\| zo\+surrogate +\| slm +\| +4 +\|/);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).results).toHaveLength(keys.length);
    log.mockRestore();
    err.mockRestore();
  }, 120_000);
});
