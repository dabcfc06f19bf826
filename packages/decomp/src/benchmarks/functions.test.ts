import { describe, expect, it } from 'vitest';
import { BENCHMARK_NAMES, benchmarkFunction } from './functions.js';
import checkValues from './testdata/check_values.json' with { type: 'json' };

const values = (checkValues as { values: Record<string, Record<string, { check_y: number[] }>> }).values;

describe('benchmark functions', () => {
  it('match teneva_bm check values to 1e-10 relative (d = 5..256, four index vectors)', () => {
    let checked = 0;
    for (const [ds, byName] of Object.entries(values)) {
      const d = Number(ds);
      for (const name of BENCHMARK_NAMES) {
        const ref = byName[`Func${name}`]!.check_y;
        const bf = benchmarkFunction(name, d);
        const I = new Int32Array(4 * d);
        for (let k = 0; k < d; k++) {
          I[k] = 0;
          I[d + k] = 7;
          I[2 * d + k] = k % 8;
          I[3 * d + k] = (3 * k + 1) % 8;
        }
        const y = bf.batch(I, 4, d) as Float64Array;
        for (let j = 0; j < 4; j++) {
          expect(Math.abs(y[j]! - ref[j]!) / Math.abs(ref[j]!), `${name} d=${d} vector ${j}`).toBeLessThan(
            1e-10,
          );
          checked++;
        }
      }
    }
    expect(checked).toBe(6 * 14 * 4);
  });

  it('shifts bounds inward, and outward for Qing and Trigonometric', () => {
    const s = benchmarkFunction('Sphere', 4);
    expect(s.lower[0]).toBeGreaterThan(-5.12);
    expect(s.upper[0]).toBeLessThan(5.12);
    expect(s.grids[0]![0]).toBeCloseTo(s.upper[0]!, 12);
    const q = benchmarkFunction('Qing', 4);
    expect(q.lower[0]).toBeLessThan(0);
    expect(q.upper[0]).toBeGreaterThan(500);
    expect(() => benchmarkFunction('Nope' as never, 4)).toThrow(/name must be one of/);
  });
});
