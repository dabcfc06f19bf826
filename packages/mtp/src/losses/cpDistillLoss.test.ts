import { NonFiniteError, Rng, ShapeError } from '@tenzo/core';
import { moduleGradCheck } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { CPHeads } from '../heads/cpHeads.js';
import { cpDistillLoss } from './cpDistillLoss.js';
import { cpLoss } from './cpLoss.js';

const f64 = { dtype: 'float64' } as const;
const d = 6;
const v = 5;

function makeHeads(n: number, rank: number, seed: number) {
  const heads = new CPHeads({ dModel: d, vocabSize: v, n, rank, dtype: 'float64' }, new Rng(seed));
  const u = randn([v, d], new Rng(seed + 1), f64).setRequiresGrad();
  heads.bindUnembedding(u);
  for (const m of heads.maps)
    for (let i = 0; i < m.weight.size; i++) m.weight.data[i]! += 0.3 * Math.sin(i + seed);
  return Object.assign(heads, { u });
}

function targetsFor(rows: number, n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: rows * n }, () => rng.int(v));
}

/** Random normalised teacher log-distributions [rows·n·V]. */
function teacher(rows: number, n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(rows * n * v);
  for (let row = 0; row < rows * n; row++) {
    let z = 0;
    for (let x = 0; x < v; x++) z += Math.exp((out[row * v + x] = 2 * rng.normal()));
    for (let x = 0; x < v; x++) out[row * v + x]! -= Math.log(z);
  }
  return out;
}

describe('cpDistillLoss', () => {
  it('with one-hot teachers on the true tokens equals the CP joint loss (the conditionals factorise it)', () => {
    for (const [n, rank] of [
      [1, 1],
      [2, 3],
      [4, 2],
    ] as const) {
      const heads = makeHeads(n, rank, n * 10 + rank);
      const rows = 4;
      const e = randn([rows, d], new Rng(3), f64);
      const y = targetsFor(rows, n, 5);
      const oneHot = new Float64Array(rows * n * v).fill(Number.NEGATIVE_INFINITY);
      for (let k = 0; k < rows * n; k++) oneHot[k * v + y[k]!] = 0;
      const res = cpDistillLoss(heads, e, y, oneHot);
      const joint = cpLoss(heads, e, y, { balance: 'none' }).joint.item();
      expect(res.crossEntropy.item()).toBeCloseTo(joint, 12);
      // a one-hot teacher has zero entropy: the KL is the cross-entropy
      expect(res.kl).toBeCloseTo(joint, 12);
    }
  });

  it('KL ≥ 0, and 0 when the teacher is the model itself', () => {
    const n = 3;
    const heads = makeHeads(n, 2, 1);
    const rows = 3;
    const e = randn([rows, d], new Rng(4), f64);
    const y = targetsFor(rows, n, 6);
    expect(cpDistillLoss(heads, e, y, teacher(rows, n, 7)).kl).toBeGreaterThan(0);
    const own = new Float64Array(rows * n * v);
    // the model's own conditionals, read off the loss: moving one row's one-hot teacher to token x
    // changes the cross-entropy by exactly −log P(x | …)/rows at that row
    const base = new Float64Array(rows * n * v).fill(Number.NEGATIVE_INFINITY);
    for (let k = 0; k < rows * n; k++) base[k * v + y[k]!] = 0;
    for (let i = 0; i < rows; i++)
      for (let s = 0; s < n; s++) {
        const row = i * n + s;
        const logq = new Float64Array(v);
        for (let x = 0; x < v; x++) {
          const t = base.slice();
          t.fill(Number.NEGATIVE_INFINITY, row * v, (row + 1) * v);
          t[row * v + x] = 0;
          logq[x] = -rows * cpDistillLoss(heads, e, y, t).crossEntropy.item();
        }
        // logq[x] = −rows·CE = −(Σ over the other rows) + log q(x): normalise over x
        let z = 0;
        for (let x = 0; x < v; x++) z += Math.exp(logq[x]! - logq[0]!);
        for (let x = 0; x < v; x++) own[row * v + x] = logq[x]! - logq[0]! - Math.log(z);
      }
    expect(Math.abs(cpDistillLoss(heads, e, y, own).kl)).toBeLessThan(1e-10);
  });

  it('passes a gradient check through e, the unembedding and every head parameter', () => {
    const n = 3;
    const heads = makeHeads(n, 2, 11);
    const e = randn([3, d], new Rng(12), f64);
    const y = targetsFor(3, n, 13);
    const t = teacher(3, n, 14);
    const f = () => cpDistillLoss(heads, e, y, t).crossEntropy;
    expect(moduleGradCheck(f, [e, heads.u, ...heads.parameters()])).toBeLessThan(1e-6);
  });

  it('rejects shapes, targets and teachers that are not what it needs', () => {
    const heads = makeHeads(2, 2, 0);
    const e = randn([2, d], new Rng(0), f64);
    const y = targetsFor(2, 2, 0);
    const t = teacher(2, 2, 0);
    expect(() => cpDistillLoss(heads, e, [0, 1], t)).toThrow(ShapeError);
    expect(() => cpDistillLoss(heads, e, y, t.subarray(1))).toThrow(/teacherLogProbs/);
    const unnormalised = t.slice();
    unnormalised[0]! += 1e-3;
    expect(() => cpDistillLoss(heads, e, y, unnormalised)).toThrow(/normalised/);
    const nan = t.slice();
    nan[3] = Number.NaN;
    expect(() => cpDistillLoss(heads, e, y, nan)).toThrow(NonFiniteError);
    const positive = t.slice();
    positive[0] = 0.5;
    expect(() => cpDistillLoss(heads, e, y, positive)).toThrow(/log-probability/);
    expect(() => cpDistillLoss(heads, e, Int32Array.of(0, 9, 0, 0), t)).toThrow(/targets\[1\]/);
    expect(() => cpDistillLoss(heads, 'e' as never, y, t)).toThrow(/e: expected a Tensor/);
  });
});
