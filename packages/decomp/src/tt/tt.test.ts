import { Rng } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkFunction } from '../benchmarks/functions.js';
import { allIndices } from '../ht/hTensor.js';
import { type TensorTrain, ttEvaluate, ttFull } from './tensorTrain.js';
import { ttCross } from './ttCross.js';
import { ttRound, ttSvd } from './ttSvd.js';

function randomTT(shape: number[], ranks: number[], seed: number): TensorTrain {
  const rng = new Rng(seed);
  const cores = shape.map((n, k) => {
    const c = new Float64Array(ranks[k]! * n * ranks[k + 1]!);
    rng.fillNormal(c);
    return c;
  });
  return { shape: Int32Array.from(shape), ranks: Int32Array.from(ranks), cores };
}

const relErr = (a: Float64Array, b: Float64Array) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
};

describe('tensor train', () => {
  it('ttFull agrees with ttEvaluate at every index', () => {
    const tt = randomTT([3, 4, 2, 3], [1, 2, 3, 2, 1], 1);
    const full = ttFull(tt);
    expect(relErr(ttEvaluate(tt, allIndices(tt.shape)), full)).toBeLessThan(1e-15);
  });

  it('TT-SVD reconstructs tensors of known low TT rank to 1e-12 and finds the ranks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.nat(), (d, seed) => {
        const rng = new Rng(seed);
        const shape = Array.from({ length: d }, () => 2 + rng.int(3));
        const ranks = [1, ...Array.from({ length: d - 1 }, () => 1 + rng.int(2)), 1];
        // true ranks are bounded by the unfolding sizes; TT-SVD finds min(given, feasible)
        const tt = randomTT(shape, ranks, seed);
        const full = ttFull(tt);
        const back = ttSvd(full, shape, { tol: 1e-13 });
        expect(relErr(ttFull(back), full)).toBeLessThan(1e-12);
        for (let k = 1; k < d; k++) expect(back.ranks[k]).toBeLessThanOrEqual(ranks[k]!);
      }),
      { numRuns: 40 },
    );
  });

  it('TT rounding removes redundant rank exactly and truncates with the requested accuracy', () => {
    const tt = randomTT([4, 4, 4, 4, 4], [1, 2, 3, 3, 2, 1], 3);
    // doubled TT: [G, G] blocks represent 2·A with ranks twice as large
    const doubled: TensorTrain = {
      shape: tt.shape,
      ranks: Int32Array.from(tt.ranks, (r, k) => (k === 0 || k === 5 ? 1 : 2 * r)),
      cores: tt.cores.map((g, k) => {
        const r0 = tt.ranks[k]!;
        const r1 = tt.ranks[k + 1]!;
        const R0 = k === 0 ? 1 : 2 * r0;
        const R1 = k === 4 ? 1 : 2 * r1;
        const out = new Float64Array(R0 * 4 * R1);
        for (let blk = 0; blk < 2; blk++)
          for (let a = 0; a < r0; a++)
            for (let i = 0; i < 4; i++)
              for (let b = 0; b < r1; b++) {
                const A = k === 0 ? a : blk * r0 + a;
                const B = k === 4 ? b : blk * r1 + b;
                if ((k === 0 && blk === 1) || (k === 4 && blk === 1)) continue;
                out[(A * 4 + i) * R1 + B]! += g[(a * 4 + i) * r1 + b]! * (k === 0 ? 2 : 1);
              }
        return out;
      }),
    };
    const rounded = ttRound(doubled, { tol: 1e-13 });
    const want = ttFull(tt).map((v) => 2 * v);
    expect(relErr(ttFull(rounded), want)).toBeLessThan(1e-12);
    expect(Array.from(rounded.ranks)).toEqual(Array.from(tt.ranks));
    const coarse = ttRound(tt, { tol: 0.3 });
    expect(relErr(ttFull(coarse), ttFull(tt))).toBeLessThanOrEqual(0.3);
  });

  it('TT-cross recovers a separable function exactly and respects the budget', async () => {
    const d = 10;
    const bf = benchmarkFunction('Sphere', d);
    const res = await ttCross(bf.batch, { d, n: 8, budget: 3000, seed: 2 });
    expect(res.evaluations).toBeLessThanOrEqual(3000);
    const rng = new Rng(5);
    const pts = new Int32Array(500 * d);
    for (let i = 0; i < pts.length; i++) pts[i] = rng.int(8);
    expect(relErr(ttEvaluate(res.tt, pts), bf.batch(pts, 500, d) as Float64Array)).toBeLessThan(1e-12);
  });
});
