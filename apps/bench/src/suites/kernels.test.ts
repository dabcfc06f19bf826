import { describe, expect, it } from 'vitest';
import { withRatios } from '../harness.js';
import { matmulSuite } from './matmul.js';
import { mlpSuite } from './mlp.js';

describe('kernel bench suites (quick mode)', () => {
  it('measure every implementation with finite times and ratios to the right baseline', async () => {
    const rows = withRatios(
      [...(await matmulSuite({ seed: 0, quick: true })), ...(await mlpSuite({ seed: 0, quick: true }))],
      ['tfjs-wasm', 'ml-matrix'],
    );
    const impls = (c: string) => rows.filter((r) => r.case === c).map((r) => r.impl);
    expect(impls('f32 64×64×64')).toEqual(['tenzo', 'plain-js', 'tfjs-cpu', 'tfjs-wasm']);
    expect(impls('f64 64×64×64')).toEqual(['tenzo', 'plain-js', 'ml-matrix']);
    expect(impls('step 784-128-10 batch 64')).toEqual(['tenzo', 'tfjs-cpu', 'tfjs-wasm']);
    for (const r of rows) {
      expect(r.medianMs).toBeGreaterThan(0);
      expect(Number.isFinite(r.ratio)).toBe(true);
      expect(r.baseline).toBe(r.case.startsWith('f64') ? 'ml-matrix' : 'tfjs-wasm');
    }
  });
});
