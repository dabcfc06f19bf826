import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { describe, expect, it, vi } from 'vitest';
import { lmHybridCommand, runLmHybrid } from './lmHybrid.js';
import { runLmHybridSeeds } from './lmHybridSeeds.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'lm-hybrid', lmHybridCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

const tiny = ['--d-model', '16', '--layers', '2', '--heads', '2', '--seq-len', '16', '--batch-size', '4'];
const short = ['--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--rank', '2', '--samples', '4'];

describe('tenzo-train lm-hybrid --seeds', () => {
  it('runs every seed under <out>/seed-<s> as --seed would, then the mean, sd and the between check on the means', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-lmh-seeds-'));
    const argv = [...tiny, ...short, '--variants', 'removed,digital,slm'];
    const summary = await runLmHybridSeeds(
      flags([...argv, '--seeds', '3..4', '--out', dir, '--json', join(dir, 's.json')]),
    );
    expect(summary.seeds).toEqual([3, 4]);
    for (const f of [
      'seed-3/results.json',
      'seed-4/results.json',
      'report.json',
      'validation-loss-mean.svg',
      's.json',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    // seed 4's numbers are the single-seed run's, bit for bit
    const single = await runLmHybrid(flags([...argv, '--seed', '4', '--out', join(dir, 'alone')]));
    const slm = summary.rows.find((r) => r.variant === 'slm')!;
    expect(slm.valLoss[1]).toBe(single.variants.slm!.valLoss);
    const [a, b] = slm.valLoss as [number, number];
    expect(slm.mean).toBeCloseTo((a + b) / 2, 14);
    expect(slm.sd).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 14);
    const mean = (v: string) => summary.rows.find((r) => r.variant === v)!.mean;
    expect(summary.between.slm).toBe(mean('slm') < mean('removed') && mean('slm') > mean('digital'));
    expect(Object.keys(summary.between)).toEqual(['slm']);
    const report = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(report.rows.map((r: { variant: string }) => r.variant)).toEqual(['removed', 'digital', 'slm']);
    const table = log.mock.calls.map((c) => String(c[0])).find((l) => l.includes('seed 3'))!;
    expect(table).toMatch(/mean/);
    expect(
      log.mock.calls.some((c) =>
        /slm: mean validation loss .* over 2 seeds (is|is NOT) strictly between/.test(String(c[0])),
      ),
    ).toBe(true);
    // --resume: nothing is trained again and the summary is the same
    err.mockClear();
    const again = await runLmHybridSeeds(flags([...argv, '--seeds', '3..4', '--out', dir, '--resume']));
    expect(again).toEqual(summary);
    expect(err.mock.calls.filter((c) => String(c[0]).includes('skipped'))).toHaveLength(6);
    log.mockRestore();
    err.mockRestore();
  });

  it('continues from seed directories made by single --seed runs, whatever order the flags were typed in', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-lmh-seeds-'));
    const variants = ['--variants', 'removed,slm'];
    // seed 1 first, alone, with --seed typed before the model flags
    const alone = await runLmHybrid(
      flags(['--seed', '1', ...variants, ...short, ...tiny, '--out', join(dir, 'seed-1')]),
    );
    const summary = await runLmHybridSeeds(
      flags([...tiny, ...short, ...variants, '--seeds', '0..1', '--out', dir, '--resume']),
    );
    // seed 1's two variants were skipped, seed 0's trained
    expect(err.mock.calls.filter((c) => String(c[0]).includes('skipped'))).toHaveLength(2);
    expect(summary.rows.find((r) => r.variant === 'slm')!.valLoss[1]).toBe(alone.variants.slm!.valLoss);
    // other values are still refused
    await expect(
      runLmHybridSeeds(
        flags([...tiny, ...short, ...variants, '--lr', '1e-2', '--seeds', '0..1', '--out', dir, '--resume']),
      ),
    ).rejects.toThrowError(/--resume: .* was made with other settings/);
    log.mockRestore();
    err.mockRestore();
  });

  it('refuses repeated seeds, and runLmHybrid refuses --seeds (one seed only)', async () => {
    await expect(runLmHybridSeeds(flags([...tiny, ...short, '--seeds', '1,1']))).rejects.toThrowError(
      '--seeds: expected distinct seeds, got [1,1]',
    );
    await expect(runLmHybrid(flags([...tiny, ...short, '--seeds', '0..1']))).rejects.toThrowError(
      /runLmHybrid: flags.seeds: expected undefined/,
    );
  });
});
