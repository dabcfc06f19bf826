import { ArgumentError, FormatError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { checkAgainst } from '../results/checkAgainst.js';
import { GridResultSchema, gridCells, rankCurves, summarizeGrid } from './grid.js';
import { gridResult as r } from './gridResult.test-util.js';

const grid = (ablations: boolean) =>
  gridCells({
    devices: ['slm', 'mrr'],
    ranks: [1, 5],
    samples: [10],
    seeds: [1, 2],
    ablations,
    headlineRank: 4,
    digital: (s) => ['--device', 'none', '--seed', String(s)],
    removed: (s) => ['--device', 'identity', '--seed', String(s)],
    device: (d, s) => ['--device', d, '--seed', String(s)],
  });

describe('gridCells', () => {
  it('per seed: digital, removed, then per device frozen, the ablations and ranks × samples', () => {
    const cells = grid(true);
    expect(cells.filter((c) => c.seed === 1).map((c) => c.key)).toEqual([
      'digital/s1',
      'removed/s1',
      'slm/frozen/s1',
      'slm/exact/s1',
      'slm/surrogate-only/s1',
      'slm/zo-only/s1',
      'slm/r1/m10/s1',
      'slm/r5/m10/s1',
      'mrr/frozen/s1',
      'mrr/exact/s1',
      'mrr/surrogate-only/s1',
      'mrr/zo-only/s1',
      'mrr/r1/m10/s1',
      'mrr/r5/m10/s1',
    ]);
    expect(cells).toHaveLength(28);
    const frozen = cells.find((c) => c.key === 'mrr/frozen/s2')!;
    expect(frozen).toMatchObject({ group: 'frozen', device: 'mrr', rank: 4, seed: 2 });
    expect(frozen.argv).toEqual([
      '--device',
      'mrr',
      '--seed',
      '2',
      '--rank',
      '4',
      '--samples',
      '100',
      '--freeze-device',
    ]);
    expect(cells.find((c) => c.key === 'slm/zo-only/s1')!.argv.slice(-2)).toEqual(['--mode', 'zo-only']);
    expect(cells.find((c) => c.key === 'slm/r5/m10/s2')!.argv).toEqual([
      '--device',
      'slm',
      '--seed',
      '2',
      '--rank',
      '5',
      '--samples',
      '10',
    ]);
    expect(grid(false)).toHaveLength(16);
    expect(() => gridCells({ devices: 'slm' } as never)).toThrow(ArgumentError);
  });
});

describe('summarizeGrid and rankCurves', () => {
  const results = [
    r({ key: 'digital/s1', group: 'digital', device: 'none', testAccuracy: 0.9, queriesPerStep: null }),
    r({ key: 'digital/s2', group: 'digital', device: 'none', testAccuracy: 0.8, queriesPerStep: null }),
    r({ key: 'slm/r5/m10/s1', rank: 5, samples: 10, testAccuracy: 0.7, surrogateCosine: 0.5 }),
    r({ key: 'slm/r5/m10/s2', rank: 5, samples: 10, testAccuracy: 0.6, surrogateCosine: null }),
    r({ key: 'slm/r1/m10/s1', rank: 1, samples: 10, testAccuracy: 0.4 }),
  ];

  it('averages over seeds per (group, device, rank, samples); the cosine over the seeds that had one', () => {
    const rows = summarizeGrid(results);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ group: 'digital', seeds: 2, rank: null, queriesPerStep: null });
    expect(rows[0]!.testAccuracy).toBeCloseTo(0.85, 12);
    expect(rows[1]).toMatchObject({ rank: 5, samples: 10, seeds: 2, surrogateCosine: 0.5 });
    expect(rows[1]!.testAccuracy).toBeCloseTo(0.65, 12);
    expect(rows[2]!.surrogateCosine).toBeNull();
  });

  it('draws one curve per M sorted by rank and each reference as a dashed line across the ranks', () => {
    const curves = rankCurves(summarizeGrid(results), {
      device: 'slm',
      samples: [10],
      ranks: [1, 5],
      references: ['digital', 'removed'],
    });
    expect(curves).toHaveLength(2);
    expect(curves[0]).toMatchObject({ name: 'M = 10', x: [1, 5], markers: true });
    expect(curves[0]!.y[0]).toBe(0.4);
    expect(curves[1]).toMatchObject({ name: 'digital', x: [1, 5], dashed: true });
  });

  it('GridResultSchema refuses accuracies outside [0, 1], negative seeds and cosines outside [-1, 1]', () => {
    const good = r({ rank: 5, samples: 10 });
    expect(checkAgainst(GridResultSchema, good, 'r')).toMatchObject(good);
    expect(() => checkAgainst(GridResultSchema, { ...good, testAccuracy: 7 }, 'r')).toThrow(/testAccuracy/);
    expect(() => checkAgainst(GridResultSchema, { ...good, seed: -1 }, 'r')).toThrow(FormatError);
    expect(() => checkAgainst(GridResultSchema, { ...good, surrogateCosine: 2 }, 'r')).toThrow(
      /r: field surrogateCosine/,
    );
  });
});
