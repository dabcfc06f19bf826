import { describe, expect, it } from 'vitest';
import { withRatios } from '../harness.js';
import { type MtpRow, mtpSuite } from './mtp.js';

describe('mtp bench suite (quick)', () => {
  it('decodes every (corpus, n, r, mode) with both decoders; greedy speculative output equals autoregressive', async () => {
    const rows = (await mtpSuite({ seed: 1, quick: true })) as MtpRow[];
    // 2 corpora × 1 n × 2 ranks × 2 modes × 2 decoders + 2 corpora × 2 balancing rows
    expect(rows).toHaveLength(20);
    for (const r of rows) {
      expect(r.suite).toBe('mtp');
      expect(r.medianMs).toBeGreaterThan(0);
      if (r.impl === 'speculative') {
        expect(r.metrics.tokensPerForward).toBeGreaterThanOrEqual(1);
        expect(r.metrics.tokensPerForward).toBeLessThanOrEqual(r.metrics.n);
        if (r.metrics.mode === 'greedy') expect(r.metrics.exactMatches).toBe(r.metrics.prompts);
      }
    }
    const ratios = withRatios(
      rows.filter((r) => r.impl === 'autoregressive' || r.impl === 'speculative'),
      'autoregressive',
    );
    for (const r of ratios) expect(r.ratio).not.toBeNull();
  });
});
