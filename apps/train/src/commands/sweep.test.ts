import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { describe, expect, it, vi } from 'vitest';
import { runSweep, sweepCells, sweepCommand } from './sweep.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'sweep', sweepCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

describe('tenzo-train sweep', () => {
  it('--front conv: every cell runs the conv shape, the digital reference included', () => {
    const cells = sweepCells(
      flags(['--devices', 'mzi', '--ranks', '50', '--samples', '100', '--seeds', '1', '--front', 'conv']),
    );
    const conv = ['--front', 'conv', '--conv-channels', '16', '--conv-kernel', '14', '--conv-stride', '14'];
    for (const c of cells) expect(c.argv.slice(2, 2 + conv.length)).toEqual(conv);
    expect(cells.find((c) => c.key === 'digital/s1')!.argv).not.toContain('--hidden');
    // the default conv front gives 2 × 2 × 16 = 64 features; rank 10 for the frozen and ablation cells
    expect(cells.find((c) => c.key === 'mzi/frozen/s1')!.argv).toContain('10');
  });

  it('lists baselines, ablations and the rank × samples grid per device and seed', () => {
    const cells = sweepCells(
      flags(['--devices', 'slm,mrr', '--ranks', '1,10', '--samples', '10,100', '--seeds', '1..2']),
    );
    // per seed: digital + removed + per device (frozen + 3 ablations + 4 grid cells)
    expect(cells).toHaveLength(2 * (2 + 2 * (1 + 3 + 4)));
    expect(new Set(cells.map((c) => c.key)).size).toBe(cells.length);
    expect(cells.find((c) => c.key === 'mrr/r10/m100/s2')!.argv).toEqual([
      '--device',
      'mrr',
      '--width',
      '256',
      '--seed',
      '2',
      '--rank',
      '10',
      '--samples',
      '100',
    ]);
    // --batch-rank / --sketch-samples reach every device run, not the digital or removed ones
    const k = sweepCells(
      flags([
        '--devices',
        'slm',
        '--ranks',
        '10',
        '--samples',
        '800',
        '--seeds',
        '1',
        '--batch-rank',
        '8',
        '--sketch-samples',
        '100',
        '--sketch-estimator',
        'orthogonal',
      ]),
    );
    expect(k.find((c) => c.key === 'slm/r10/m800/s1')!.argv).toEqual([
      '--device',
      'slm',
      '--width',
      '256',
      '--batch-rank',
      '8',
      '--sketch-samples',
      '100',
      '--sketch-estimator',
      'orthogonal',
      '--seed',
      '1',
      '--rank',
      '10',
      '--samples',
      '800',
    ]);
    const baselines = k.filter((c) => c.group === 'digital' || c.group === 'removed');
    expect(baselines).toHaveLength(2);
    for (const c of baselines) expect(c.argv.join(' ')).not.toMatch(/batch-rank|sketch-samples/);
    // --rebuild-every reaches the device runs (frozen and ablations included), not the baselines
    const rb = sweepCells(
      flags([
        '--devices',
        'mrr',
        '--ranks',
        '10',
        '--samples',
        '100',
        '--seeds',
        '1',
        '--rebuild-every',
        '1',
      ]),
    );
    for (const c of rb) {
      const device = c.group !== 'digital' && c.group !== 'removed';
      expect(c.argv.join(' ').includes('--rebuild-every 1'), c.key).toBe(device);
    }
    expect(rb.filter((c) => c.argv.includes('--rebuild-every'))).toHaveLength(rb.length - 2);
    expect(() => sweepCells(flags(['--devices', 'slm,laser']))).toThrowError(
      /--devices: expected a list of .*got 'laser'/,
    );
  });

  it('runs every cell once, writes the table and plots, and resumes without rerunning', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const out = mkdtempSync(join(tmpdir(), 'tenzo-sweep-'));
    const argv = [
      '--devices',
      'matvec',
      '--ranks',
      '2',
      '--samples',
      '5',
      '--seeds',
      '1',
      '--epochs',
      '1',
      '--width',
      '8',
      '--no-ablations',
      // the surrogate's cosine is a diagnostic, recorded only when asked for
      '--surrogate-cosine',
      '--out',
      out,
    ];
    const first = await runSweep(flags(argv));
    expect(first.map((r) => r.key)).toEqual([
      'digital/s1',
      'removed/s1',
      'matvec/frozen/s1',
      'matvec/r2/m5/s1',
    ]);
    for (const r of first) expect(r.testAccuracy).toBeGreaterThan(0.3);
    expect(first[3]!.queriesPerStep).toBeGreaterThan(0);
    // the surrogate's quality is recorded where a surrogate exists: a rank-2 one of an 8×8 matrix
    expect(first[0]!.surrogateCosine).toBeNull();
    expect(first[3]!.surrogateCosine).toBeGreaterThan(0.2);
    expect(first[3]!.surrogateCosine).toBeLessThanOrEqual(1);
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toMatch(/surrogateCosine/);
    for (const f of ['results.json', 'table.md', 'accuracy-vs-rank-matvec.svg'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const stamp = readFileSync(join(out, 'results.json'), 'utf8');
    const again = await runSweep(flags(argv));
    expect(again).toEqual(first);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(stamp);
    // results from before the cosine was recorded get it back from the runs' reports
    const old = JSON.parse(stamp);
    for (const r of old.results) delete r.surrogateCosine;
    writeFileSync(join(out, 'results.json'), JSON.stringify(old));
    expect(await runSweep(flags(argv))).toEqual(first);
    // other settings in the same folder are refused instead of mixed into the table ...
    const twoEpochs = argv.map((a, i) => (argv[i - 1] === '--epochs' ? '2' : a));
    await expect(runSweep(flags(twoEpochs))).rejects.toThrowError(
      /holds runs made with other settings \(--epochs 1 there, 2 now\)/,
    );
    await expect(runSweep(flags([...argv, '--rebuild-every', '1']))).rejects.toThrowError(
      /--rebuild-every 0 there, 1 now/,
    );
    // ... while a results.json from before a flag existed resumes at that flag's default
    const older = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    delete older.config.rebuildEvery;
    writeFileSync(join(out, 'results.json'), JSON.stringify(older));
    expect(await runSweep(flags(argv))).toEqual(first);
    await expect(runSweep(flags([...argv, '--rebuild-every', '1']))).rejects.toThrowError(
      /--rebuild-every 0 there, 1 now/,
    );
    // a results.json that is not a sweep's is a FormatError, not an empty sweep
    const bad = mkdtempSync(join(tmpdir(), 'tenzo-sweep-'));
    writeFileSync(join(bad, 'results.json'), JSON.stringify({ config: {} }));
    const badArgv = argv.map((a, i) => (argv[i - 1] === '--out' ? bad : a));
    await expect(runSweep(flags(badArgv))).rejects.toThrowError(/field results: Invalid key/);
    log.mockRestore();
    err.mockRestore();
  }, 180_000);
});
