import { describe, expect, it } from 'vitest';
import { withRatios } from '../harness.js';
import { REMOTE_BASELINE, remoteSuite } from './remote.js';

describe('remote bench suite (quick mode)', () => {
  it('times the in-process simulator and RemoteDevice (float64, float32) in the same rounds, with and without a new ω', async () => {
    const rows = withRatios(await remoteSuite({ seed: 1, quick: true }), [REMOTE_BASELINE]);
    expect(rows.map((r) => `${r.case} | ${r.impl}`)).toEqual([
      'slm 16x16 batch 8 | in-process',
      'slm 16x16 batch 8 | remote float64',
      'slm 16x16 batch 8 | remote float32',
      'slm 16x16 batch 8, new ω per query | in-process',
      'slm 16x16 batch 8, new ω per query | remote float64',
      'slm 16x16 batch 8, new ω per query | remote float32',
    ]);
    for (const r of rows) {
      expect(r.samples).toBeGreaterThanOrEqual(3);
      expect(r.note).toMatch(
        r.impl === REMOTE_BASELINE ? /^[\d,]+ queries\/s$/ : /^[\d,]+ queries\/s, \+-?\d+\.\d{3} ms\/query$/,
      );
      expect(r.baseline).toBe(REMOTE_BASELINE);
    }
    // a network round trip costs more than a 16×16 product
    expect(rows[1]!.ratio).toBeGreaterThan(1);
  });
});
