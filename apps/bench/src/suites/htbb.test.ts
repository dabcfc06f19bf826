import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHtbb } from '../htbbCommand.js';
import { approxRun, meanTraces, optRun, summarizeApprox, summarizeOpt } from './htbb.js';

describe('htbb bench suite (small d)', () => {
  it('approxRun: HTBB is exact on a separable function, TT-cross gets the same evaluations', async () => {
    const r = await approxRun('Rastrigin', 8, 1, { sweeps: 10, testSize: 500 });
    expect(r.htbbErr).toBeLessThanOrEqual(1e-12);
    expect(r.ttEvals).toBeLessThanOrEqual(r.htbbEvals);
    expect(r.ttEvals).toBeGreaterThan(0.5 * r.htbbEvals);
    const s = summarizeApprox([r], 8);
    expect(s[0]!.function).toBe('Rastrigin');
    expect('refErr' in s[0]!).toBe(false);
  });

  it('optRun: every method respects the budget; HTBB finds the exact minimum of Sphere', async () => {
    const r = await optRun('Sphere', 8, 2, { budget: 600 });
    for (const m of Object.values(r.methods)) expect(m.evals).toBeLessThanOrEqual(600);
    const s = summarizeOpt([r], 256);
    expect(typeof s[0]!.vsRef).toBe('number');
    const tr = meanTraces([r], 600, 10);
    expect(tr.htbb.y.at(-1)).toBe(r.methods.htbb.value);
  });

  it('runHtbb writes the reports and resumes from saved runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'htbb-'));
    try {
      const flags = {
        d: 8,
        seeds: [1],
        functions: 'sphere,Wavy',
        budget: 300,
        sweeps: 3,
        quick: false,
        fresh: false,
        out,
        seed: 0,
      };
      const files = await runHtbb(['opt'], flags);
      expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
        'htbb-opt-d8-Sphere.svg',
        'htbb-opt-d8-Wavy.svg',
        'htbb-opt-d8.json',
        'htbb-opt-d8.md',
      ]);
      const first = readFileSync(join(out, 'htbb-opt-d8.runs.json'), 'utf8');
      await runHtbb(['opt'], flags);
      // nothing re-run: the saved runs (with their timings) are unchanged
      expect(readFileSync(join(out, 'htbb-opt-d8.runs.json'), 'utf8')).toBe(first);
      expect(existsSync(join(out, 'htbb-opt-d8.md'))).toBe(true);
      await expect(runHtbb(['nope'], flags)).rejects.toThrow(/approx, opt, sweep or engines/);
      await expect(runHtbb(['opt'], { ...flags, functions: 'Foo' })).rejects.toThrow(/--functions/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
