import { describe, expect, it } from 'vitest';
import { withRatios } from '../harness.js';
import { linalgSuite } from './linalg.js';

describe('linalg bench suite (quick)', () => {
  it('measures tenzo and ml-matrix on every case with well-formed rows', async () => {
    const seen: string[] = [];
    const rows = await linalgSuite({ seed: 1, quick: true, onRow: (r) => seen.push(`${r.case}/${r.impl}`) });
    expect(rows.length).toBe(8);
    expect(seen.length).toBe(8);
    for (const r of rows) {
      expect(r.suite).toBe('linalg');
      expect(['tenzo', 'ml-matrix']).toContain(r.impl);
      expect(r.case).toMatch(/^(qr|svd) \d+x\d+$/);
      expect(r.medianMs).toBeGreaterThan(0);
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.samples).toBeGreaterThanOrEqual(2);
      if (r.impl === 'tenzo') {
        const err = Number(/^err (\S+)$/.exec(r.note ?? '')?.[1]);
        expect(err).toBeLessThan(1e-13);
      }
    }
    const ratios = withRatios(rows, 'ml-matrix');
    for (const r of ratios) expect(r.ratio).not.toBeNull();
  });
});
