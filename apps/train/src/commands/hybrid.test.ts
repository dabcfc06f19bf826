import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { describe, expect, it, vi } from 'vitest';
import { hybridCommand, hybridRuns, runHybrid } from './hybrid.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'hybrid', hybridCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

describe('tenzo-train hybrid', () => {
  it('runs the digital, layer-removed and hybrid networks of one shape with the same seed', () => {
    const runs = hybridRuns(flags(['--device', 'mrr', '--width', '64', '--seed', '4', '--epochs', '2']));
    expect(runs.map((r) => r.network)).toEqual([
      'digital 784-64-64-10',
      'layer removed 784-64-10',
      'mrr, zo+surrogate (r = 10, M = 100)',
    ]);
    for (const r of runs) expect(r.argv.join(' ')).toContain('--epochs 2 --seed 4');
    expect(runs[0]!.argv.join(' ')).toContain('--device none --hidden 64,64');
    expect(hybridRuns(flags(['--no-baselines']))).toHaveLength(1);
    const k = hybridRuns(flags(['--batch-rank', '8', '--samples', '800', '--sketch-samples', '100']));
    expect(k[2]!.network).toBe('slm, zo+surrogate (r = 10, M = 800, M_SM = 100, batch rank 8)');
    expect(k[2]!.argv.join(' ')).toContain('--batch-rank 8 --sketch-samples 100');
    expect(k[0]!.argv.join(' ')).not.toContain('--batch-rank');
    const l = hybridRuns(flags(['--sketch-estimator', 'lstsq']));
    expect(l[2]!.network).toBe('slm, zo+surrogate (r = 10, M = 100, lstsq sketch)');
    expect(l[2]!.argv.join(' ')).toContain('--sketch-estimator lstsq');
  });

  it('trains all three, prints the comparison and writes the report and plot', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-hybrid-'));
    const rows = await runHybrid(
      flags([
        '--width',
        '16',
        '--rank',
        '2',
        '--samples',
        '4',
        '--epochs',
        '1',
        '--out',
        dir,
        '--json',
        join(dir, 'r.json'),
      ]),
    );
    expect(rows).toHaveLength(3);
    // chance is 10%; a 16-wide network reaches 60–70% in one augmented epoch
    expect(rows[0]!.testAccuracy).toBeGreaterThan(0.5);
    expect(rows[1]!.testAccuracy).toBeGreaterThan(0.5);
    expect(rows[2]!.testAccuracy).toBeGreaterThan(0.3);
    expect(rows[0]!.queriesPerStep).toBeNull();
    // per step: 64 forward + 2(r + M) = 12 surrogate + (M + 1)·16 ZO (the batch of 64 compressed to
    // d_out = 16 rows, the device being linear in x), plus, amortised over the 125 steps, the 16
    // start-up identity probes and the 2,000 test digits of the evaluation
    expect(rows[2]!.queriesPerStep).toBeCloseTo(64 + 12 + 5 * 16 + (16 + 2000 - 12) / 125, 6);
    const table = log.mock.calls.map((c) => String(c[0])).join('\n');
    expect(table).toMatch(/digital 784-16-16-10/);
    expect(table).toMatch(/slm, zo\+surrogate/);
    for (const f of ['report.json', 'test-accuracy.svg', 'r.json', 'hybrid/report.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).results).toHaveLength(3);
    log.mockRestore();
    err.mockRestore();
  }, 120_000);
});
