import { Rng } from '@tenzo/core';
import { gradCheck, randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from './activation.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

describe('Linear', () => {
  it('computes x Wᵀ + b with PyTorch layout and init bounds', () => {
    const lin = new Linear(3, 2, new Rng(0), { dtype: 'float64' });
    expect(lin.weight.shape).toEqual([2, 3]);
    expect(lin.bias!.shape).toEqual([2]);
    const bound = 1 / Math.sqrt(3);
    expect(lin.weight.toFlat().every((v) => Math.abs(v) <= bound)).toBe(true);
    lin.weight.data.set([1, 2, 3, 4, 5, 6]);
    lin.bias!.data.set([0.5, -0.5]);
    expect(lin.forward(tensor([[1, 1, 1]], { dtype: 'float64' })).toArray()).toEqual([[6.5, 14.5]]);
  });

  it('passes a gradient check through weight, bias and input', () => {
    const lin = new Linear(4, 3, new Rng(1), { dtype: 'float64' });
    const x = randn([5, 4], new Rng(2), { dtype: 'float64' });
    const res = gradCheck(
      (xx, w, b) => xx.matmul(w, { transposeB: true }).add(b),
      [x, lin.weight, lin.bias!],
    );
    expect(res.maxRelError).toBeLessThan(1e-6);
  });

  it('rejects a wrong input width', () => {
    const lin = new Linear(4, 3, new Rng(1));
    expect(() => lin.forward(randn([2, 5], new Rng(0)))).toThrowError(
      'Linear(4→3): input expected [..., 4], got [2, 5]',
    );
  });
});

describe('Sequential and Module', () => {
  it('names parameters by path and counts them', () => {
    const rng = new Rng(3);
    const net = new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 2, rng));
    expect(net.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(net.parameterCount()).toBe(4 * 8 + 8 + 8 * 2 + 2);
    expect(net.forward(randn([5, 4], rng)).shape).toEqual([5, 2]);
  });

  it('loads a state dict and rejects mismatches', () => {
    const a = new Sequential(new Linear(2, 2, new Rng(1)));
    const b = new Sequential(new Linear(2, 2, new Rng(2)));
    b.loadStateDict(a.stateDict());
    expect(b.stateDict()['0.weight']!.toFlat()).toEqual(a.stateDict()['0.weight']!.toFlat());
    expect(() => b.loadStateDict({ '0.weight': a.stateDict()['0.weight']! })).toThrowError(
      /missing \[0\.bias\]/,
    );
    const wrong = new Sequential(new Linear(3, 2, new Rng(1)));
    expect(() => b.loadStateDict(wrong.stateDict())).toThrowError(
      /'0\.weight' expected float32 \[2, 2\], got float32 \[2, 3\]/,
    );
  });

  it('train/eval propagate to children', () => {
    const drop = new Dropout(0.5, new Rng(0));
    const net = new Sequential(drop);
    net.eval();
    expect(drop.training).toBe(false);
    net.train();
    expect(drop.training).toBe(true);
  });
});

describe('Dropout', () => {
  it('keeps the expectation and drops the right fraction; identity in eval', () => {
    const drop = new Dropout(0.3, new Rng(4));
    const x = tensor(new Float32Array(100_000).fill(1));
    const y = drop.forward(x);
    const zeros = y.toFlat().filter((v) => v === 0).length / x.size;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(y.mean().item() - 1)).toBeLessThan(0.02);
    drop.eval();
    expect(drop.forward(x)).toBe(x);
  });

  it('rejects p outside [0, 1)', () => {
    expect(() => new Dropout(1, new Rng(0))).toThrowError(
      'Dropout: p: expected a finite number >= 0 and < 1, got 1',
    );
  });
});
