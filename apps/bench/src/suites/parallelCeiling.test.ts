import { describe, expect, it } from 'vitest';
import { parallelCeiling } from './parallelCeiling.js';

describe('parallelCeiling', () => {
  it('times the same kernel work on 1 and on N worker threads and reports their paired ratio', async () => {
    const c = await parallelCeiling(2, { work: 40, rounds: { warmup: 0, minRounds: 3, minTimeMs: 0 } });
    expect(c.threads).toBe(2);
    expect(c.oneThreadMs).toBeGreaterThan(0);
    expect(c.nThreadsMs).toBeGreaterThan(0);
    // a ratio of two positive times (its size depends on the load: no timing is asserted)
    expect(Number.isFinite(c.scaling) && c.scaling > 0).toBe(true);
  });
});
