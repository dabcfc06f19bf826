import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hybridStep, TORCH_SCRIPT } from './hybrid.js';

describe('bench hybrid', () => {
  it('times one device-side hybrid step per device (quick sizes)', async () => {
    for (const device of ['slm', 'mrr', 'mzi'] as const) {
      const row = await hybridStep({ device, d: 16, batch: 8, rank: 2, samples: 4 }, 0, true);
      expect(row.case).toBe(`${device} 16x16 batch 8 r=2 M=4`);
      expect(row.impl).toBe('tenzo');
      expect(row.samples).toBeGreaterThanOrEqual(2);
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.note).toMatch(/s per 8,000-digit epoch/);
    }
    const k = await hybridStep(
      { device: 'slm', d: 16, batch: 8, rank: 2, samples: 4, batchRank: 2 },
      0,
      true,
    );
    expect(k.case).toBe('slm 16x16 batch 8 r=2 M=4');
    expect(k.impl).toBe('tenzo, batch rank 2');
  });

  it('finds the PyTorch script next to the sources', () => {
    expect(existsSync(TORCH_SCRIPT)).toBe(true);
  });
});
