import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { arange, eye, linspace, ones, rademacher, rand, randn, tensor, zeros } from './creation.js';
import { oneHot } from './ops/indexing.js';
import { concat, split, stack } from './ops/shape.js';

const f64 = { dtype: 'float64' as const };

describe('tensor creation', () => {
  it('infers shapes from nested arrays and keeps dtype', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(tensor(3, f64).shape).toEqual([]);
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor([]).shape).toEqual([0]);
  });

  it('builds ranges and constants', () => {
    expect(arange(5).toFlat()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25, f64).toFlat()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5, f64).toFlat()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(zeros([2, 0]).size).toBe(0);
    expect(ones([2]).toFlat()).toEqual([1, 1]);
  });

  it('draws reproducible random tensors from a seed', () => {
    const a = randn([100], new Rng(5), f64);
    const b = randn([100], new Rng(5), f64);
    expect(a.toFlat()).toEqual(b.toFlat());
    expect(
      rand([1000], new Rng(1))
        .toFlat()
        .every((v) => v >= 0 && v < 1),
    ).toBe(true);
    expect(new Set(rademacher([100], new Rng(2)).toFlat())).toEqual(new Set([-1, 1]));
  });
});

describe('elementwise ops and broadcasting', () => {
  it('broadcasts like numpy', () => {
    const a = tensor([[1], [2], [3]]);
    const b = tensor([10, 20]);
    expect(a.add(b).toArray()).toEqual([
      [11, 21],
      [12, 22],
      [13, 23],
    ]);
    expect(a.mul(2).sub(1).toArray()).toEqual([[1], [3], [5]]);
    const c = tensor([[[1, 2]], [[3, 4]]]); // [2,1,2]
    expect(
      c.add(
        tensor([
          [0, 0],
          [10, 10],
          [20, 20],
        ]),
      ).shape,
    ).toEqual([2, 3, 2]);
  });

  it('computes the math functions', () => {
    const x = tensor([-2, -0.5, 0, 0.5, 2], f64);
    expect(x.relu().toFlat()).toEqual([0, 0, 0, 0.5, 2]);
    expect(x.abs().toFlat()).toEqual([2, 0.5, 0, 0.5, 2]);
    expect(x.clamp(-1, 1).toFlat()).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(x.sigmoid().data[2]).toBe(0.5);
    // gelu(x) = x Φ(x); Φ(0.5) = 0.6914624612740131
    expect(x.gelu().data[3]).toBeCloseTo(0.5 * 0.6914624612740131, 14);
    expect(x.greater(0).toFlat()).toEqual([0, 0, 0, 1, 1]);
    expect(x.equal(tensor([0, -0.5, 0, 1, 2], f64)).toFlat()).toEqual([0, 1, 1, 0, 1]);
    expect(x.pow(2).toFlat()).toEqual([4, 0.25, 0, 0.25, 4]);
  });

  it('computes erf to double precision', async () => {
    const { erf } = await import('./backends/reference/erf.js');
    // reference values (Abramowitz & Stegun, mpmath)
    expect(erf(0.1)).toBeCloseTo(0.1124629160182849, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 14);
    expect(1 - erf(3.5)).toBeCloseTo(7.430983723414128e-7, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
  });
});

describe('reductions', () => {
  const x = tensor(
    [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
    ],
    f64,
  ); // [2,2,3]
  it('reduce over every axis', () => {
    expect(x.sum().item()).toBe(78);
    expect(x.sum({ axis: 0 }).toArray()).toEqual([
      [8, 10, 12],
      [14, 16, 18],
    ]);
    expect(x.sum({ axis: 1 }).toArray()).toEqual([
      [5, 7, 9],
      [17, 19, 21],
    ]);
    expect(x.sum({ axis: 2, keepDims: true }).shape).toEqual([2, 2, 1]);
    expect(x.sum({ axis: [0, 2] }).toFlat()).toEqual([30, 48]);
    expect(x.max({ axis: -1 }).toArray()).toEqual([
      [3, 6],
      [9, 12],
    ]);
    expect(x.min({ axis: [0, 1] }).toFlat()).toEqual([1, 2, 3]);
    expect(x.mean({ axis: 0 }).toArray()).toEqual([
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(x.argmax(1).toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(tensor([3, 1, 2]).argmin().item()).toBe(1);
  });

  it('variance with and without correction', () => {
    const v = tensor([1, 2, 3, 4], f64);
    expect(v.variance().item()).toBeCloseTo(1.25, 15);
    expect(v.variance({ correction: 1 }).item()).toBeCloseTo(5 / 3, 15);
  });

  it('logsumexp and softmax are stable for large inputs', () => {
    const big = tensor([1000, 1000], f64);
    expect(big.logsumexp().item()).toBeCloseTo(1000 + Math.log(2), 12);
    expect(big.softmax().toFlat()).toEqual([0.5, 0.5]);
    expect(tensor([-1e3, 0], f64).logSoftmax().toFlat()[0]).toBeCloseTo(-1000, 10);
    expect(tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], f64).logsumexp().item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });

  it('handles empty reductions', () => {
    expect(zeros([0, 3]).sum({ axis: 0 }).toFlat()).toEqual([0, 0, 0]);
    expect(zeros([0]).max().item()).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('matmul', () => {
  it('multiplies matrices, batches and vectors', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    expect(a.matmul(b).toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(a.matmul(b, { transposeA: true }).toArray()).toEqual([
      [26, 30],
      [38, 44],
    ]);
    expect(a.matmul(b, { transposeB: true }).toArray()).toEqual([
      [17, 23],
      [39, 53],
    ]);
    expect(a.matmul(tensor([1, 1])).toFlat()).toEqual([3, 7]);
    expect(tensor([1, 1]).matmul(a).toFlat()).toEqual([4, 6]);
    const batch = tensor([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [2, 0],
        [0, 2],
      ],
    ]);
    expect(batch.matmul(b).toArray()).toEqual([
      [
        [5, 6],
        [7, 8],
      ],
      [
        [10, 12],
        [14, 16],
      ],
    ]);
  });

  it('matches a naive triple loop on random shapes including empty and 1×1', () => {
    const rng = new Rng(9);
    for (const [m, k, n] of [
      [1, 1, 1],
      [0, 3, 2],
      [3, 0, 2],
      [7, 5, 3],
      [17, 33, 9],
    ] as const) {
      const a = randn([m, k], rng, f64);
      const b = randn([k, n], rng, f64);
      const c = a.matmul(b);
      expect(c.shape).toEqual([m, n]);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a.data[i * k + p]! * b.data[p * n + j]!;
          expect(c.data[i * n + j]).toBeCloseTo(s, 12);
        }
      }
    }
  });
});

describe('layout and indexing', () => {
  const x = arange(24, undefined, 1, f64).reshape([2, 3, 4]);
  it('permutes, slices, pads, concatenates and stacks', () => {
    expect(x.permute([2, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(x.permute([2, 0, 1]).data[1]).toBe(4); // out[0,0,1] = x[0,1,0]
    expect(x.slice([1, 1, 1], [1, 2, 2]).toArray()).toEqual([
      [
        [17, 18],
        [21, 22],
      ],
    ]);
    expect(x.slice([0, 2]).shape).toEqual([2, 1, 4]);
    expect(
      tensor([[1, 2]])
        .pad(
          [
            [1, 0],
            [0, 1],
          ],
          9,
        )
        .toArray(),
    ).toEqual([
      [9, 9, 9],
      [1, 2, 9],
    ]);
    expect(concat([tensor([[1], [2]]), tensor([[3], [4]])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(split(arange(6), 3).map((t) => t.toFlat())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(x.reshape([-1, 4]).shape).toEqual([6, 4]);
    expect(x.T.shape).toEqual([2, 4, 3]);
  });

  it('gathers and one-hot encodes', () => {
    expect(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ])
        .gather([2, 0], 1)
        .toArray(),
    ).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(oneHot([0, 2], 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });

  it('reshape is a view sharing the buffer', () => {
    const a = tensor([1, 2, 3, 4]);
    expect(a.reshape([2, 2]).data).toBe(a.data);
  });
});
