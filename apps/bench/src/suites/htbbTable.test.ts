import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHtbbTable } from '../htbbTableCommand.js';
import { summarizeTable, TABLE_METHODS, tableRun, tableTraces } from './htbbTable.js';

describe('htbb-table (small d)', () => {
  it('tableRun: every column respects the budget; the summary marks the best and the gap', async () => {
    const r = await tableRun('Sphere', 8, 1, 400);
    expect(Object.keys(r.methods)).toEqual(TABLE_METHODS.map((m) => m.key));
    for (const m of Object.values(r.methods)) {
      expect(m.evals).toBeLessThanOrEqual(400);
      expect(m.trace.at(-1)![1]).toBe(m.value);
    }
    const [row] = summarizeTable([r], 8);
    const values = TABLE_METHODS.map((m) => row![m.key] as number);
    expect(row![row!.best as string]).toBe(Math.min(...values));
    expect(['htbb', 'es']).toContain(row!.tenzoBest);
    expect('refHtbb' in row!).toBe(false);
    expect(typeof summarizeTable([r], 256)[0]!.refPso).toBe('number');
    const series = tableTraces([r], 400, 8);
    expect(series.find((s) => s.name === 'HTBB')!.y.at(-1)).toBe(r.methods.htbb.value);
  });

  it('runHtbbTable writes the reports and resumes from saved runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'htbb-table-'));
    try {
      const flags = { quick: true, full: false, fresh: false, out, functions: 'wavy' };
      const files = await runHtbbTable(flags);
      expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
        'htbb-table-d8-Wavy.svg',
        'htbb-table-d8.json',
        'htbb-table-d8.md',
      ]);
      const first = readFileSync(join(out, 'htbb-table-d8.runs.json'), 'utf8');
      await runHtbbTable(flags);
      expect(readFileSync(join(out, 'htbb-table-d8.runs.json'), 'utf8')).toBe(first);
      expect(readFileSync(join(out, 'htbb-table-d8.md'), 'utf8')).toContain('| Wavy |');
      await expect(runHtbbTable({ ...flags, full: true })).rejects.toThrow(/exclude/);
      await expect(runHtbbTable({ ...flags, functions: 'Foo' })).rejects.toThrow(/--functions/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
