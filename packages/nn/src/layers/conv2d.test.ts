import { Rng } from '@tenzo/core';
import { gradCheck, randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, conv2d } from './conv2d.js';

/** Direct definition y[b,i,j,o] = bias[o] + Σ_c Σ_ky Σ_kx w[o,c,ky,kx] x[b, i·s+ky−p, j·s+kx−p, c]. */
function naiveConv2d(
  x: number[][][][],
  w: number[][][][],
  bias: number[],
  stride: number,
  pad: number,
): number[][][][] {
  const h = x[0]!.length;
  const wd = x[0]![0]!.length;
  const k = w[0]![0]!.length;
  const hOut = Math.floor((h + 2 * pad - k) / stride) + 1;
  const wOut = Math.floor((wd + 2 * pad - k) / stride) + 1;
  return x.map((img) =>
    Array.from({ length: hOut }, (_, i) =>
      Array.from({ length: wOut }, (_, j) =>
        w.map((wo, o) => {
          let s = bias[o]!;
          wo.forEach((wc, c) => {
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) {
                const sy = i * stride + ky - pad;
                const sx = j * stride + kx - pad;
                if (sy >= 0 && sy < h && sx >= 0 && sx < wd) s += wc[ky]![kx]! * img[sy]![sx]![c]!;
              }
          });
          return s;
        }),
      ),
    ),
  );
}

describe('Conv2d', () => {
  const cases = [
    { stride: 1, padding: 0, out: [5, 4] },
    { stride: 2, padding: 1, out: [4, 3] },
    { stride: 3, padding: 2, out: [3, 3] },
  ];
  for (const c of cases) {
    it(`matches the direct sum (stride ${c.stride}, padding ${c.padding})`, () => {
      const conv = new Conv2d(2, 3, 3, new Rng(1), {
        stride: c.stride,
        padding: c.padding,
        dtype: 'float64',
      });
      const x = randn([2, 7, 6, 2], new Rng(2), { dtype: 'float64' });
      const y = conv.forward(x);
      expect(y.shape).toEqual([2, ...c.out, 3]);
      expect(conv.outputSize(7, 6)).toEqual(c.out);
      const want = naiveConv2d(
        x.toArray() as number[][][][],
        conv.weight.toArray() as number[][][][],
        conv.bias!.toFlat(),
        c.stride,
        c.padding,
      ).flat(3);
      const got = y.toFlat();
      expect(got.length).toBe(want.length);
      for (let i = 0; i < got.length; i++) expect(got[i]!).toBeCloseTo(want[i]!, 12);
    });

    it(`passes a float64 gradient check (stride ${c.stride}, padding ${c.padding})`, () => {
      const rng = new Rng(3);
      const x = randn([2, 7, 6, 2], rng, { dtype: 'float64' });
      const w = randn([3, 2, 3, 3], rng, { dtype: 'float64' });
      const b = randn([3], rng, { dtype: 'float64' });
      const res = gradCheck(
        (xx, ww, bb) => conv2d(xx, ww, bb, { stride: c.stride, padding: c.padding }),
        [x, w, b],
      );
      expect(res.maxRelError).toBeLessThan(1e-7);
    });
  }

  it('a 1×1 kernel is a per-pixel Linear over channels', () => {
    const x = randn([3, 4, 5, 6], new Rng(4), { dtype: 'float64' });
    const w = randn([2, 6, 1, 1], new Rng(5), { dtype: 'float64' });
    const y = conv2d(x, w, null).toFlat();
    const want = x
      .reshape([60, 6])
      .matmul(w.reshape([2, 6]), { transposeB: true })
      .toFlat();
    for (let i = 0; i < want.length; i++) expect(y[i]!).toBeCloseTo(want[i]!, 12);
  });

  it('names the argument in shape and option errors', () => {
    const conv = new Conv2d(1, 4, 5, new Rng(0));
    expect(() => conv.forward(randn([2, 28, 28], new Rng(0)))).toThrowError(
      'Conv2d(1→4, k=5): x expected [B, H, W, 1] (channels last), got [2, 28, 28]',
    );
    expect(() => conv.forward(randn([2, 3, 8, 1], new Rng(0)))).toThrowError(
      'conv2d: x is 3×8, smaller than the 5×5 kernel after padding 0',
    );
    expect(() => new Conv2d(1, 4, 3, new Rng(0), { stride: 0 })).toThrowError(/Conv2d: stride/);
    expect(() => conv2d(randn([1, 4, 4, 1], new Rng(0)), randn([4, 1, 3, 2], new Rng(0)), null)).toThrowError(
      'conv2d: weight expected [C_out, C_in, K, K], got [4, 1, 3, 2]',
    );
  });
});
