import { describe, expect, it } from 'vitest';
import { htbbEnginesSuite } from './htbbEngines.js';

describe('htbb engines bench', () => {
  it('times every engine on a tiny case, each run checked equal to in-process', async () => {
    const { rows, notes } = await htbbEnginesSuite({
      cases: [
        { label: 'tiny', d: 4, sweeps: 1, costMs: 0, chunk: 4 },
        { label: 'tiny sleep', d: 4, sweeps: 1, costMs: 1, cost: 'sleep', chunk: 4 },
      ],
      rounds: 1,
    });
    const engines = rows.filter((r) => r.case === 'tiny').map((r) => r.impl);
    expect(engines.slice(0, 2)).toEqual(['in-process', 'threads×2']);
    // bullmq×2 with a Redis, a note saying why not without one
    expect(engines.length === 3 ? engines[2] : notes[0]).toMatch(/bullmq×2|no Redis/);
    expect(rows[1]!.note).toMatch(/µs\/evaluation/);
    const slept = rows.filter((r) => r.case === 'tiny sleep');
    expect(slept.map((r) => r.impl).slice(0, 2)).toEqual(['in-process', 'threads×2']);
    expect(slept[1]!.note).toMatch(/speedup/);
  });
});
