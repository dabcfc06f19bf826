import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@tenzo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { cellRunDir, runSweep } from './runSweep.js';

const root = mkdtempSync(join(tmpdir(), 'tenzo-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cells = [1, 2, 3].map((r) => ({ key: `slm/r${r}`, rank: r, argv: ['--rank', String(r)] }));

describe('runSweep', () => {
  it('runs every cell once, records results atomically, and resumes after an interruption', async () => {
    const out = join(root, 'a');
    const ran: string[] = [];
    const run = async (c: (typeof cells)[number], dir: string) => {
      ran.push(c.key);
      if (c.key === 'slm/r2' && ran.length === 2) throw new Error('killed');
      return { accuracy: c.rank / 10, dir };
    };
    const opts = {
      name: 'test-sweep',
      config: { epochs: 3, seeds: [1] },
      out,
      cells,
      run,
      selection: ['seeds'],
      record: ({ argv: _a, ...meta }: (typeof cells)[number]) => meta,
    };
    await expect(runSweep(opts)).rejects.toThrow('killed');
    const results = await runSweep(opts);
    // r1 was recorded before the interruption and is not run again
    expect(ran).toEqual(['slm/r1', 'slm/r2', 'slm/r2', 'slm/r3']);
    expect(results.map((r) => [r.key, r.rank, r.accuracy])).toEqual([
      ['slm/r1', 1, 0.1],
      ['slm/r2', 2, 0.2],
      ['slm/r3', 3, 0.3],
    ]);
    expect(results[1]!.dir).toBe(cellRunDir(out, 'slm/r2'));
    expect(cellRunDir(out, 'slm/r2')).toBe(join(out, 'runs', 'slm_r2'));
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(file.results[0]).not.toHaveProperty('argv');
    // other selection is fine; other computation settings are refused
    await expect(runSweep({ ...opts, config: { epochs: 3, seeds: [1, 2] } })).resolves.toHaveLength(3);
    await expect(runSweep({ ...opts, config: { epochs: 4, seeds: [1] } })).rejects.toThrow(
      /epochs: 3 there, 4 now/,
    );
  });

  it('rejects duplicate keys and unreadable results files with typed errors', async () => {
    const out = join(root, 'b');
    const run = async () => ({});
    await expect(
      runSweep({ name: 's', config: {}, out, cells: [{ key: 'a' }, { key: 'a' }], run }),
    ).rejects.toThrow(ArgumentError);
    const bad = [
      ['{"results": 3}', /field results/],
      ['{"results": [{"key": "a"}], "results": []}', /duplicate key "results"/],
      ['{"config": {}, "results": [{"key": "a"}, {"key": "a"}]}', /appears twice/],
      ['{"config": {}, "results": [{"nokey": 1}]}', /field results.0.key/],
      ['{"results": [{"key": "a"}]}', /no "config"/],
      ['{"config": {}, "results": [{"key": "a", "acc": 7}]}', /acc 7 is not in \[0, 1\]/],
      ['not json', /readSweepFile/],
    ] as const;
    for (const [text, message] of bad) {
      writeFileSync(join(root, 'results.json'), text);
      await expect(
        runSweep({
          name: 's',
          config: {},
          out: root,
          cells: [{ key: 'a' }],
          run,
          selection: [],
          checkResult: (r) => {
            const acc = (r as { acc?: number }).acc;
            if (acc !== undefined && !(acc >= 0 && acc <= 1)) throw new Error(`acc ${acc} is not in [0, 1]`);
          },
        }),
        text,
      ).rejects.toThrow(message);
    }
  });
});
