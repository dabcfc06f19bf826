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
    // the gpu row names the gpu.js mode that executed (webasm in plain Node, headlessgl where built)
    const impls = (c: string) =>
      rows.filter((r) => r.case === c).map((r) => r.impl.replace(/^tenzo-gpu \(\w+\)$/, 'tenzo-gpu'));
    const f32 = ['tenzo-reference', 'tenzo-fast', 'tenzo-gpu', 'plain-js', 'tfjs-cpu', 'tfjs-wasm'];
    const f64 = ['tenzo-reference', 'tenzo-fast', 'plain-js', 'ml-matrix'];
    expect(impls('f32 64×64×64')).toEqual(f32);
    expect(impls('f64 64×64×64')).toEqual(f64);
    expect(impls('bmm f32 4×16×16×16')).toEqual(f32);
    expect(impls('bmm f64 4×16×16×16')).toEqual(f64);
    const training = ['tenzo-reference', 'tenzo-fast', 'tenzo-gpu', 'tfjs-cpu', 'tfjs-wasm'];
    expect(impls('step 784-128-10 batch 64')).toEqual(training);
    expect(impls('softmax+CE 16×10 fwd+bwd')).toEqual(training);
    expect(rows.find((r) => r.impl.startsWith('tenzo-gpu'))!.impl).not.toBe('tenzo-gpu (gpu)');
    for (const r of rows) {
      expect(r.medianMs).toBeGreaterThan(0);
      expect(Number.isFinite(r.ratio)).toBe(true);
      expect(r.baseline).toBe(r.case.includes('f64') ? 'ml-matrix' : 'tfjs-wasm');
    }
  });
});
