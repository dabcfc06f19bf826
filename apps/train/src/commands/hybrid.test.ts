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
  it('runs the digital, layer-removed, frozen and hybrid networks of one shape with the same seed', () => {
    const runs = hybridRuns(
      flags(['--device', 'mrr', '--front', 'dense', '--width', '64', '--seed', '4', '--epochs', '2']),
    );
    expect(runs.map((r) => r.network)).toEqual([
      'digital 784-64-64-10',
      'layer removed 784-64-10',
      'mrr frozen at init',
      'mrr, zo+surrogate (r = 10, M = 100)',
    ]);
    expect(runs[2]!.argv.join(' ')).toContain('--device mrr --width 64 --rank 10 --freeze-device');
    for (const r of runs) expect(r.argv.join(' ')).toContain('--epochs 2 --seed 4');
    expect(runs[0]!.argv.join(' ')).toContain('--device none --hidden 64,64');
    expect(hybridRuns(flags(['--no-baselines']))).toHaveLength(1);
    // the airbench-style CNN: every network is the CNN, the device in its head (W = 128)
    const cnn = hybridRuns(flags(['--front', 'cnn', '--device', 'usv']));
    expect(cnn.map((r) => r.network.split(' (')[0])).toEqual([
      'digital 784-cnn16,32-128-128-10',
      'layer removed 784-cnn16,32-128-10',
      'usv frozen at init',
      'usv, zo+surrogate',
    ]);
    expect(cnn[0]!.argv.join(' ')).toContain('--device none --front cnn --width 128');
    expect(cnn[1]!.argv.join(' ')).toContain('--device identity --front cnn --width 128');
    // the defaults (the README's main job): the 32-input conv front, the SLM, 20 epochs
    const d = hybridRuns(flags([]));
    expect(d.map((r) => r.network)).toEqual([
      'digital 784-conv14/14×8-32-10',
      'layer removed 784-conv14/14×8-10',
      'slm frozen at init',
      'slm, zo+surrogate (r = 10, M = 100)',
    ]);
    expect(d[3]!.argv.join(' ')).toContain(
      '--device slm --front conv --conv-channels 8 --conv-kernel 14 --conv-stride 14 --conv-padding 0 --rank 10 --samples 100',
    );
    expect(d[3]!.argv.join(' ')).toContain('--epochs 20 --seed 0');
    const k = hybridRuns(flags(['--batch-rank', '8', '--samples', '800', '--sketch-samples', '100']));
    expect(k[3]!.network).toBe('slm, zo+surrogate (r = 10, M = 800, M_SM = 100, batch rank 8)');
    expect(k[3]!.argv.join(' ')).toContain('--batch-rank 8 --sketch-samples 100');
    expect(k[0]!.argv.join(' ')).not.toContain('--batch-rank');
    const rb = hybridRuns(flags(['--rebuild-every', '1']));
    expect(rb[3]!.network).toBe('slm, zo+surrogate (r = 10, M = 100, rebuild every 1)');
    expect(rb[3]!.argv.join(' ')).toContain('--rebuild-every 1');
    expect(rb[2]!.argv.join(' ')).not.toContain('--rebuild-every');
    const l = hybridRuns(flags(['--sketch-estimator', 'lstsq']));
    expect(l[3]!.network).toBe('slm, zo+surrogate (r = 10, M = 100, lstsq sketch)');
    expect(l[3]!.argv.join(' ')).toContain('--sketch-estimator lstsq');
    // a conv front fixes W from its feature maps and runs the same four networks around it
    const c = hybridRuns(
      flags([
        '--front',
        'conv',
        '--conv-channels',
        '4',
        '--conv-kernel',
        '7',
        '--conv-stride',
        '7',
        '--conv-padding',
        '0',
      ]),
    );
    expect(c.map((r) => r.network)).toEqual([
      'digital 784-conv7/7×4-64-10',
      'layer removed 784-conv7/7×4-10',
      'slm frozen at init',
      'slm, zo+surrogate (r = 10, M = 100)',
    ]);
    const convArgv = '--front conv --conv-channels 4 --conv-kernel 7 --conv-stride 7 --conv-padding 0';
    for (const r of c) expect(r.argv.join(' ')).toContain(convArgv);
    expect(c[0]!.argv.join(' ')).not.toContain('--hidden');
  });

  it('trains all four, prints the comparison and writes the report and plot', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-hybrid-'));
    const rows = await runHybrid(
      flags([
        '--front',
        'dense',
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
    expect(rows).toHaveLength(4);
    // chance is 10%; a 16-wide network reaches 60–70% in one augmented epoch
    expect(rows[0]!.testAccuracy).toBeGreaterThan(0.5);
    expect(rows[1]!.testAccuracy).toBeGreaterThan(0.5);
    expect(rows[2]!.testAccuracy).toBeGreaterThan(0.3);
    expect(rows[3]!.testAccuracy).toBeGreaterThan(0.3);
    expect(rows[0]!.queriesPerStep).toBeNull();
    // the frozen device is only queried forward: the batch, the start-up probes, the evaluation
    expect(rows[2]!.queriesPerStep).toBeCloseTo(64 + (16 + 2000) / 125, 6);
    // per step: 64 forward + 2(r + M) = 12 surrogate + (M + 1)·16 ZO (the batch of 64 compressed to
    // d_out = 16 rows, the device being linear in x), plus, amortised over the 125 steps, the 16
    // start-up identity probes and the 2,000 test digits of the evaluation
    expect(rows[3]!.queriesPerStep).toBeCloseTo(64 + 12 + 5 * 16 + (16 + 2000 - 12) / 125, 6);
    const table = log.mock.calls.map((c) => String(c[0])).join('\n');
    expect(table).toMatch(/digital 784-16-16-10/);
    expect(table).toMatch(/slm, zo\+surrogate/);
    for (const f of [
      'report.json',
      'test-accuracy.svg',
      'r.json',
      'frozen/report.json',
      'hybrid/report.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).results).toHaveLength(4);
    log.mockRestore();
    err.mockRestore();
  }, 120_000);
});
