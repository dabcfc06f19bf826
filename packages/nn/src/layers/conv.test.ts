import { Rng } from '@tenzo/core';
import { gradCheck, randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { moduleGradCheck } from '../testing/moduleGradCheck.js';
import { BatchNorm1d } from './batchNorm1d.js';
import { Conv1d, conv1d } from './conv1d.js';
import { StatsPooling, statsPooling } from './statsPooling.js';

/** Direct definition y[b,t,o] = bias[o] + Σ_c Σ_k w[o,c,k] x[b, t·s + k·d − padL, c] (zero outside). */
function naiveConv(
  x: number[][][],
  w: number[][][],
  bias: number[],
  dilation: number,
  stride: number,
  padL: number,
  tOut: number,
): number[][][] {
  return x.map((seq) =>
    Array.from({ length: tOut }, (_, t) =>
      w.map((wo, o) => {
        let s = bias[o]!;
        wo.forEach((wc, c) => {
          wc.forEach((wk, k) => {
            const f = t * stride + k * dilation - padL;
            if (f >= 0 && f < seq.length) s += wk * seq[f]![c]!;
          });
        });
        return s;
      }),
    ),
  );
}

describe('Conv1d', () => {
  const cases = [
    { dilation: 1, stride: 1, padding: 'valid' as const, padL: 0, tOut: 7 - 2 },
    { dilation: 2, stride: 1, padding: 'same' as const, padL: 2, tOut: 7 },
    { dilation: 3, stride: 1, padding: 'same' as const, padL: 3, tOut: 7 },
    { dilation: 1, stride: 2, padding: 1, padL: 1, tOut: 4 },
  ];
  for (const c of cases) {
    it(`matches the direct sum (dilation ${c.dilation}, stride ${c.stride}, padding ${c.padding})`, () => {
      const conv = new Conv1d(3, 4, 3, new Rng(1), {
        dilation: c.dilation,
        stride: c.stride,
        padding: c.padding,
        dtype: 'float64',
      });
      const x = randn([2, 7, 3], new Rng(2), { dtype: 'float64' });
      const y = conv.forward(x);
      expect(y.shape).toEqual([2, c.tOut, 4]);
      const want = naiveConv(
        x.toArray() as number[][][],
        conv.weight.toArray() as number[][][],
        conv.bias!.toFlat(),
        c.dilation,
        c.stride,
        c.padL,
        c.tOut,
      );
      const got = y.toArray() as number[][][];
      for (let b = 0; b < 2; b++)
        for (let t = 0; t < c.tOut; t++)
          for (let o = 0; o < 4; o++) expect(got[b]![t]![o]!).toBeCloseTo(want[b]![t]![o]!, 12);
    });

    it(`passes a float64 gradient check (dilation ${c.dilation}, stride ${c.stride}, padding ${c.padding})`, () => {
      const rng = new Rng(3);
      const x = randn([2, 7, 3], rng, { dtype: 'float64' });
      const w = randn([4, 3, 3], rng, { dtype: 'float64' });
      const b = randn([4], rng, { dtype: 'float64' });
      const res = gradCheck(
        (xx, ww, bb) => conv1d(xx, ww, bb, { dilation: c.dilation, stride: c.stride, padding: c.padding }),
        [x, w, b],
      );
      expect(res.maxRelError).toBeLessThan(1e-7);
    });
  }

  it("'same' with an even kernel pads the extra frame on the right, as PyTorch", () => {
    // kernel [1, 0] picks the tap at t − padL; with padL = 0 the output is x itself
    const x = tensor([[[1], [2], [3]]], { dtype: 'float64' });
    const w = tensor([[[1, 0]]], { dtype: 'float64' });
    expect(conv1d(x, w, null, { padding: 'same' }).toFlat()).toEqual([1, 2, 3]);
  });

  it('names the argument in shape and option errors', () => {
    const conv = new Conv1d(3, 4, 3, new Rng(0), { dilation: 4 });
    expect(() => conv.forward(randn([2, 7, 5], new Rng(0)))).toThrowError(
      'Conv1d(3→4, k=3): x expected [B, T, 3] (channels last), got [2, 7, 5]',
    );
    expect(() => conv.forward(randn([2, 8, 3], new Rng(0)))).toThrowError(
      /x has 8 frames, fewer than the receptive field of 9 frames/,
    );
    expect(() => new Conv1d(3, 4, 3, new Rng(0), { stride: 2, padding: 'same' })).toThrowError(
      "Conv1d: padding 'same' expected stride 1, got stride 2",
    );
    expect(() => new Conv1d(3, 4, 0, new Rng(0))).toThrowError(/Conv1d: kernelSize/);
    expect(() => conv1d(randn([1, 4, 3], new Rng(0)), randn([4, 3], new Rng(0)), null)).toThrowError(
      'conv1d: weight expected [C_out, C_in, K], got [4, 3]',
    );
  });
});

describe('StatsPooling', () => {
  it('returns the mean and population standard deviation of each channel over time', () => {
    const x = tensor(
      [
        [
          [1, 0],
          [3, 0],
          [5, 0],
        ],
      ],
      { dtype: 'float64' },
    );
    const y = statsPooling(x, 1e-12).toFlat();
    expect(y[0]).toBeCloseTo(3, 12);
    expect(y[1]).toBeCloseTo(0, 12);
    expect(y[2]).toBeCloseTo(Math.sqrt(8 / 3), 9);
    expect(y[3]).toBeCloseTo(0, 5);
    expect(new StatsPooling().forward(randn([4, 6, 5], new Rng(0))).shape).toEqual([4, 10]);
  });

  it('passes a float64 gradient check', () => {
    const x = randn([3, 5, 4], new Rng(4), { dtype: 'float64' });
    expect(gradCheck((xx) => statsPooling(xx), [x]).maxRelError).toBeLessThan(1e-7);
  });

  it('rejects a non-sequence input', () => {
    expect(() => statsPooling(randn([3, 4], new Rng(0)))).toThrowError(
      'statsPooling: x expected [B, T, C] (channels last), got [3, 4]',
    );
  });
});

describe('BatchNorm1d', () => {
  it('normalises each channel over batch and time in training and tracks running statistics', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64', momentum: 0.5 });
    const x = randn([4, 5, 2], new Rng(5), { dtype: 'float64' })
      .mul(tensor([3, 0.5], { dtype: 'float64' }))
      .add(tensor([1, -2], { dtype: 'float64' }));
    const y = bn.forward(x);
    const mu = y.mean({ axis: [0, 1] }).toFlat();
    const v = y
      .square()
      .mean({ axis: [0, 1] })
      .toFlat();
    for (let c = 0; c < 2; c++) {
      expect(mu[c]).toBeCloseTo(0, 10);
      expect(v[c]).toBeCloseTo(1, 4);
    }
    const xm = x.mean({ axis: [0, 1] }).toFlat();
    const xv = x.variance({ axis: [0, 1], correction: 1 }).toFlat();
    expect(bn.runningMean.toFlat()[0]).toBeCloseTo(0.5 * xm[0]!, 12);
    expect(bn.runningVar.toFlat()[1]).toBeCloseTo(0.5 + 0.5 * xv[1]!, 12);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'runningMean', 'runningVar']);
  });

  it('uses the running statistics in eval, independently of the batch', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    bn.runningMean.data.set([1, 2, 3]);
    bn.runningVar.data.set([4, 1, 0.25]);
    bn.eval();
    const y = bn.forward(tensor([[3, 2, 3.5]], { dtype: 'float64' })).toFlat();
    expect(y[0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 12);
    expect(y[1]).toBeCloseTo(0, 12);
    expect(y[2]).toBeCloseTo(0.5 / Math.sqrt(0.25 + 1e-5), 12);
  });

  it('passes a float64 gradient check through input, weight and bias in training mode', () => {
    const rng = new Rng(6);
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    rng.fillNormal(bn.weight.data);
    rng.fillNormal(bn.bias.data);
    const x = randn([2, 4, 3], rng, { dtype: 'float64' });
    expect(moduleGradCheck(() => bn.forward(x), [x, bn.weight, bn.bias])).toBeLessThan(1e-7);
  });

  it('rejects the wrong channel count', () => {
    expect(() => new BatchNorm1d(3).forward(randn([2, 4, 5], new Rng(0)))).toThrowError(
      'BatchNorm1d(3): x expected [B, 3] or [B, T, 3] (channels last), got [2, 4, 5]',
    );
  });
});
