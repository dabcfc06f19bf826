import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiFuzz, apiCase } from './apiFuzz.js';
import { mutatedBytes, mutatedText, TempFiles } from './fileFuzz.js';
import { fuzzTable, writeFuzzReport } from './fuzzReport.js';

describe('file mutations', () => {
  const valid = Uint8Array.from({ length: 100 }, (_, i) => i);
  it('every kind is generated, truncations are prefixes and huge sizes land in the declared field', () => {
    const all = fc.sample(mutatedBytes(valid, [{ offset: 8, width: 4 }]), { numRuns: 400, seed: 1 });
    expect(new Set(all.map((m) => m.kind))).toEqual(
      new Set(['intact', 'empty', 'truncated', 'flipped', 'header', 'hugeSize', 'appended', 'random']),
    );
    for (const m of all) {
      if (m.kind === 'intact') expect(m.bytes).toEqual(valid);
      if (m.kind === 'truncated') {
        expect(m.bytes.length).toBeLessThan(valid.length);
        expect(m.bytes).toEqual(valid.subarray(0, m.bytes.length));
      }
      if (m.kind === 'hugeSize') {
        const v = new DataView(m.bytes.buffer).getUint32(8, true);
        expect(v).toBeGreaterThanOrEqual(2 ** 16 - 1);
        expect([...m.bytes.subarray(0, 8), ...m.bytes.subarray(12)]).toEqual([
          ...valid.subarray(0, 8),
          ...valid.subarray(12),
        ]);
      }
    }
  });
  it('text mutations edit lines and numbers', () => {
    const text = 'a,1\nb,2\n';
    const out = fc
      .sample(mutatedText(text), { numRuns: 200, seed: 2 })
      .map((m) => new TextDecoder().decode(m.bytes));
    expect(out.some((s) => s.includes('1e308') || s.includes('NaN') || s.includes('-1'))).toBe(true);
    expect(out.some((s) => s !== text)).toBe(true);
  });
  it('TempFiles writes under its root and removes it', () => {
    const t = new TempFiles();
    const p = t.write(t.dir(), 'x/y.txt', 'hi');
    expect(readFileSync(p, 'utf8')).toBe('hi');
    t.remove();
    expect(existsSync(t.root)).toBe(false);
  });
});

describe('fuzz reports', () => {
  it('writes the counts and a table with a total row', async () => {
    const fuzz = new ApiFuzz('@tenzo/x/node', { runs: 10 });
    await fuzz.check(
      apiCase({
        name: 'f',
        args: fc.tuple(fc.integer({ min: -5, max: 5 })),
        call: (x) => x,
        ok: (r) => r === 0 || r !== 0,
      }),
    );
    const t = new TempFiles();
    const table = writeFuzzReport(fuzz, t.root);
    const json = JSON.parse(readFileSync(join(t.root, 'tenzo-x-node.json'), 'utf8'));
    expect(json.counts.tried).toBe(10);
    expect(json.predicates).toEqual({ cases: 1, casesWithPredicate: 1, correctChecked: 10 });
    expect(readFileSync(table, 'utf8')).toContain(
      '| @tenzo/x/node | 10 | 0 | 10 | 0 | 0 | 0 | 1 / 1 | 10 / 10 |',
    );
    t.remove();
    const two = fuzzTable([json, json]);
    expect(two).toContain('| **total** | 20 | 0 | 20 | 0 | 0 | 0 | 2 / 2 | 20 / 20 |');
  });
});
