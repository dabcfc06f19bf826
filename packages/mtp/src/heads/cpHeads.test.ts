import { Rng } from '@tenzo/core';
import { crossEntropy, moduleGradCheck } from '@tenzo/nn';
import { randn, Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { conditionalLogProbs, cpBlocks } from '../decoding/cpBlock.js';
import { cpLoss } from '../losses/cpLoss.js';
import { loadBalancingLoss } from '../losses/loadBalancing.js';
import { CPHeads } from './cpHeads.js';

const f64 = { dtype: 'float64' } as const;

function makeHeads(n: number, rank: number, map: 'linear' | 'ffn' = 'linear', seed = 0) {
  const d = 6;
  const v = 5;
  const heads = new CPHeads({ dModel: d, vocabSize: v, n, rank, map, dtype: 'float64' }, new Rng(seed));
  const u = randn([v, d], new Rng(seed + 1), f64).setRequiresGrad();
  heads.bindUnembedding(u);
  // spread the maps so experts differ
  for (const m of heads.maps)
    for (let i = 0; i < m.weight.size; i++) m.weight.data[i]! += 0.3 * Math.sin(i + seed);
  return { heads, u, d, v };
}

function targetsFor(rows: number, n: number, v: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: rows * n }, () => rng.int(v));
}

describe('CPHeads', () => {
  it('identity-initialised linear maps start as the trunk head', () => {
    const heads = new CPHeads({ dModel: 4, vocabSize: 3, n: 2, rank: 2, dtype: 'float64' }, new Rng(0));
    const u = randn([3, 4], new Rng(1), f64);
    heads.bindUnembedding(u);
    const e = randn([5, 4], new Rng(2), f64);
    const trunk = e.matmul(u, { transposeB: true }).logSoftmax(-1).toFlat();
    const lp = heads.logProbs(e, 1).toFlat(); // [5, 2, 3]
    for (let i = 0; i < 5; i++)
      for (let a = 0; a < 2; a++)
        for (let x = 0; x < 3; x++)
          expect(Math.abs(lp[(i * 2 + a) * 3 + x]! - trunk[i * 3 + x]!)).toBeLessThan(0.2);
    // W_{s,α} = I + N(0, 0.01²), b = 0
    const w = heads.maps[0]!.weight.data;
    for (let row = 0; row < 8; row++)
      for (let col = 0; col < 4; col++)
        expect(Math.abs(w[row * 4 + col]! - (row % 4 === col ? 1 : 0))).toBeLessThan(0.05);
    expect(heads.maps[0]!.bias!.toFlat().every((b) => b === 0)).toBe(true);
  });

  it('rejects wrong shapes and a missing unembedding', () => {
    const heads = new CPHeads({ dModel: 4, vocabSize: 3, n: 2, rank: 2 }, new Rng(0));
    expect(() => heads.logProbs(randn([2, 4], new Rng(0)), 0)).toThrowError(
      'CPHeads: no unembedding bound; call bindUnembedding(U) first',
    );
    expect(() => heads.bindUnembedding(randn([3, 5], new Rng(0)))).toThrowError(
      'CPHeads: unembedding expected [3, 4], got [3, 5]',
    );
    expect(() => heads.logGate(randn([2, 5], new Rng(0)))).toThrowError(
      'CPHeads: e expected [N, 4], got [2, 5]',
    );
  });
});

describe('cpLoss', () => {
  it('r = 1 equals independent heads (Gloeckle et al.) exactly', () => {
    const n = 3;
    const { heads, u, d, v } = makeHeads(n, 1);
    const e = randn([7, d], new Rng(3), f64);
    const y = targetsFor(7, n, v, 4);
    const res = cpLoss(heads, e, y, { balance: 'none' });
    let indep = 0;
    for (let s = 0; s < n; s++) {
      const logits = heads.expertStates(e, s).reshape([7, d]).matmul(u, { transposeB: true });
      const ce = crossEntropy(
        logits,
        Array.from({ length: 7 }, (_, i) => y[i * n + s]!),
      ).item();
      indep += ce;
      if (s === 0) expect(res.firstToken.item()).toBeCloseTo(ce, 12);
    }
    expect(res.joint.item()).toBeCloseTo(indep, 12);
  });

  it('matches the joint probability written out in full, and the decoding conditionals chain to it', () => {
    const n = 2;
    const { heads, d, v } = makeHeads(n, 3, 'ffn', 5);
    for (const o of heads.ffnOut.flat())
      for (let i = 0; i < o.weight.size; i++) o.weight.data[i] = 0.2 * Math.cos(i);
    const e = randn([1, d], new Rng(6), f64);
    const block = cpBlocks(heads, e, n)[0]!;
    let total = 0;
    for (let x1 = 0; x1 < v; x1++) {
      for (let x2 = 0; x2 < v; x2++) {
        const joint = -cpLoss(heads, e, [x1, x2], { balance: 'none' }).joint.item();
        // brute force: log Σ_α w_α P1_α(x1) P2_α(x2)
        let p = 0;
        for (let a = 0; a < 3; a++)
          p += Math.exp(block.logW[a]! + block.logP[0]![a * v + x1]! + block.logP[1]![a * v + x2]!);
        expect(joint).toBeCloseTo(Math.log(p), 10);
        const chain = conditionalLogProbs(block, 0, [])[x1]! + conditionalLogProbs(block, 1, [x1])[x2]!;
        expect(chain).toBeCloseTo(joint, 10);
        total += p;
      }
    }
    expect(total).toBeCloseTo(1, 12);
  });

  it('passes a gradient check through e, the unembedding and every head parameter', () => {
    for (const map of ['linear', 'ffn'] as const) {
      const n = 2;
      const { heads, u, d, v } = makeHeads(n, 2, map, 7);
      for (const o of heads.ffnOut.flat())
        for (let i = 0; i < o.weight.size; i++) o.weight.data[i] = 0.2 * Math.cos(i);
      const e = randn([3, d], new Rng(8), f64);
      const y = targetsFor(3, n, v, 9);
      const f = () => cpLoss(heads, e, y, { balance: 'entropy', balanceCoef: 0.1 }).loss;
      expect(moduleGradCheck(f, [e, u, ...heads.parameters()])).toBeLessThan(1e-6);
    }
  });

  it('rejects targets that do not match', () => {
    const { heads, d } = makeHeads(2, 2);
    expect(() => cpLoss(heads, randn([3, d], new Rng(0), f64), [0, 1])).toThrowError(
      'cpLoss: expected e [N, d] and N·n = 3·2 targets, got e [3, 6] and 2 targets',
    );
    expect(() => cpLoss(heads, randn([1, d], new Rng(0), f64), [0, 9])).toThrowError(
      'cpLoss: targets[1] expected an integer in [0, 5), got 9',
    );
  });
});

describe('loadBalancingLoss', () => {
  it('is 1 (switch) and 0 (entropy) at uniform routing and larger when collapsed', () => {
    const uniform = new Tensor(Float64Array.from([0.6, 0.4, 0.4, 0.6]), [2, 2], 'float64');
    expect(loadBalancingLoss(uniform, 'switch').loss.item()).toBeCloseTo(1, 12);
    expect(loadBalancingLoss(uniform, 'entropy').loss.item()).toBeCloseTo(0, 12);
    const collapsed = new Tensor(Float64Array.from([0.9, 0.1, 0.8, 0.2]), [2, 2], 'float64');
    expect(loadBalancingLoss(collapsed, 'switch').loss.item()).toBeCloseTo(2 * 0.85, 12);
    expect(loadBalancingLoss(collapsed, 'entropy').loss.item()).toBeGreaterThan(0.1);
    expect(Array.from(loadBalancingLoss(collapsed).routed)).toEqual([1, 0]);
  });
});
