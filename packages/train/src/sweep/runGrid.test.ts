import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import type { ClassifierEpoch } from '../classifier/fitClassifier.js';
import { gridCells, gridOutcome } from './grid.js';
import { runGrid } from './runGrid.js';

const cells = gridCells({
  devices: ['slm'],
  ranks: [2],
  samples: [4],
  seeds: [1],
  ablations: false,
  headlineRank: 2,
  digital: () => ['--device', 'none'],
  removed: () => ['--device', 'identity'],
  device: (d) => ['--device', d],
});

describe('runGrid', () => {
  it('records each cell without its command line, resumes, and checks what it reads back', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tenzo-rungrid-'));
    const ran: string[] = [];
    const run = async (cell: (typeof cells)[number]) => {
      ran.push(cell.key);
      return { testAccuracy: 0.5, secondsPerEpoch: 1, queriesPerStep: cell.device === 'slm' ? 10 : null };
    };
    const first = await runGrid({ name: 'grid', config: {}, out, cells: cells.slice(0, 2), run });
    expect(first.map((r) => r.key)).toEqual(['digital/s1', 'removed/s1']);
    expect('argv' in first[0]!).toBe(false);
    const all = await runGrid({ name: 'grid', config: {}, out, cells, run });
    expect(all).toHaveLength(4);
    expect(ran).toEqual(['digital/s1', 'removed/s1', 'slm/frozen/s1', 'slm/r2/m4/s1']);
    const path = join(out, 'results.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.results[0].testAccuracy = 3;
    writeFileSync(path, JSON.stringify(file));
    await expect(runGrid({ name: 'grid', config: {}, out, cells, run })).rejects.toThrow(FormatError);
  });
});

describe('gridOutcome', () => {
  const epoch = (
    e: number,
    acc: number,
    extra: Partial<ClassifierEpoch & { surrogateCosine: number }> = {},
  ) => ({
    epoch: e,
    trainLoss: 1,
    trainAccuracy: 0.5,
    testLoss: 1,
    testAccuracy: acc,
    lr: 0.1,
    seconds: e,
    ...extra,
  });

  it("the last epoch's accuracy and queries, the mean seconds, the cosine when asked for", () => {
    const h = [epoch(1, 0.5), epoch(2, 0.7, { deviceQueries: { zo: 4, perStep: 8 }, surrogateCosine: 0.4 })];
    expect(gridOutcome(h, true)).toEqual({
      testAccuracy: 0.7,
      secondsPerEpoch: 1.5,
      queriesPerStep: 8,
      surrogateCosine: 0.4,
    });
    expect(gridOutcome([epoch(1, 0.5)], false)).toEqual({
      testAccuracy: 0.5,
      secondsPerEpoch: 1,
      queriesPerStep: null,
    });
    expect(gridOutcome([epoch(1, 0.5)], true).surrogateCosine).toBeNull();
    expect(() => gridOutcome([], true)).toThrow(ArgumentError);
  });
});
