import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHtbb } from '../htbbCommand.js';
import { summarizeSweep, sweepRun } from './htbbSweep.js';

const seeds = Array.from({ length: 12 }, (_, i) => i + 1);

describe('htbb seed sweep (small d)', () => {
  it('bounded HTBB: max ≤ 3 × median evaluations over seeds on coupled functions; the reference policy is not', async () => {
    const bounded = [];
    for (const fn of ['Pinter', 'Dixon'] as const)
      for (const seed of seeds) bounded.push(await sweepRun(fn, 8, seed, { testSize: 200 }));
    for (const row of summarizeSweep(bounded)) {
      expect(row.maxOverMedian, row.function).toBeLessThanOrEqual(3);
      expect(row.budgetStops).toBe(0);
      expect(row.maxRank).toBeLessThanOrEqual(12);
    }
    // the same seeds with the reference's unbounded policy: Pinter seed 9 spends ~26× the median
    const unbounded = [];
    for (const seed of seeds)
      unbounded.push(
        await sweepRun('Pinter', 8, seed, {
          testSize: 200,
          htbb: { maxRank: Number.POSITIVE_INFINITY, validation: 0 },
        }),
      );
    expect(summarizeSweep(unbounded)[0]!.maxOverMedian).toBeGreaterThan(10);
  });

  it('runHtbb sweep writes the table, JSON and SVG and resumes from saved runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'htbb-sweep-'));
    try {
      const flags = {
        d: 256,
        dims: [8],
        seeds: [1, 2, 3],
        functions: 'Sphere,Dixon',
        budget: 1000,
        sweeps: 20,
        quick: false,
        fresh: false,
        out,
        seed: 0,
      };
      const files = await runHtbb(['sweep'], flags);
      expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
        'htbb-sweep-bounded-d8.json',
        'htbb-sweep-bounded-d8.md',
        'htbb-sweep-bounded-d8.svg',
      ]);
      const report = JSON.parse(readFileSync(join(out, 'htbb-sweep-bounded-d8.json'), 'utf8')) as {
        summary: { function: string; seeds: number; maxOverMedian: number }[];
      };
      expect(report.summary.map((r) => [r.function, r.seeds])).toEqual([
        ['Dixon', 3],
        ['Sphere', 3],
      ]);
      const first = readFileSync(join(out, 'htbb-sweep-bounded-d8.runs.json'), 'utf8');
      await runHtbb(['sweep'], flags);
      expect(readFileSync(join(out, 'htbb-sweep-bounded-d8.runs.json'), 'utf8')).toBe(first);
      await runHtbb(['sweep'], { ...flags, unbounded: true, seeds: [1] });
      expect(existsSync(join(out, 'htbb-sweep-unbounded-d8.svg'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
