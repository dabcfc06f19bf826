import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { randn } from '../../creation.js';
import { getBackend } from '../../kernelRegistry.js';
import { Tensor } from '../../tensor.js';
import { FAST_BACKEND } from './index.js';
import { isWasmSimdAvailable } from './wasm/instance.js';

// Decoding multiplies 1 row (autoregressive) or n rows (a speculative draft) by a Linear's weight
// [out, in] transposed; greedy speculative decoding is exact only if a row's product does not
// depend on how many rows came with it. The fast backend has three paths for that product — the
// unpacked few-row kernel, the packed GEMM with B transposed while packing, and the packed GEMM
// on a B stored the other way round — and all three must give the same bits.

const DTYPES = ['float32', 'float64'] as const;
// k crosses the 256-wide K slices (and is odd), n has column remainders for every panel width.
// Products of n·k < 512 are outside the property: below 512 multiply-adds in all the reference
// loop (float64 sums) runs, so whether it does depends on m.
const SHAPES: [number, number][] = [
  [7, 80],
  [64, 9],
  [256, 33],
  [257, 17],
  [600, 40],
  [1024, 12],
];

const typed = (v: ArrayLike<number>, dtype: (typeof DTYPES)[number]) =>
  dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v);

/** Wᵀ stored as its own [k, n] tensor (so the product reads it untransposed). */
function stored(w: Tensor): Tensor {
  const [n, k] = w.shape as [number, number];
  const src = w.toFlat();
  const dst = w.dtype === 'float64' ? new Float64Array(n * k) : new Float32Array(n * k);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) dst[p * n + j] = src[j * k + p]!;
  return new Tensor(dst, [k, n], w.dtype);
}

describe('fast MatMul: a row gives the same bits whatever else is multiplied', () => {
  it('runs on the WebAssembly kernels here', () => {
    expect(getBackend()).toBe(FAST_BACKEND);
    expect(isWasmSimdAvailable()).toBe(true);
  });

  for (const dtype of DTYPES)
    for (const [k, n] of SHAPES)
      it(`${dtype}, k = ${k}, n = ${n}: x·Wᵀ for 1…20 rows, W transposed or stored as Wᵀ`, () => {
        const rng = new Rng(k * 1000 + n);
        const w = randn([n, k], rng, { dtype });
        const wt = stored(w);
        const x = randn([20, k], rng, { dtype });
        const rows = x.toFlat();
        // one row at a time: the few-row kernel
        const single = Array.from({ length: 20 }, (_, i) =>
          new Tensor(typed(rows.slice(i * k, (i + 1) * k), dtype), [1, k], dtype)
            .matmul(w, { transposeB: true })
            .toFlat(),
        );
        for (const m of [1, 2, 3, 4, 5, 8, 9, 20]) {
          const xm = new Tensor(typed(rows.slice(0, m * k), dtype), [m, k], dtype);
          const viaT = xm.matmul(w, { transposeB: true }).toFlat();
          const viaStored = xm.matmul(wt).toFlat();
          for (let i = 0; i < m; i++) {
            const row = Array.from(viaT.slice(i * n, (i + 1) * n));
            expect(row).toEqual(Array.from(single[i]!));
            expect(Array.from(viaStored.slice(i * n, (i + 1) * n))).toEqual(row);
          }
        }
        // and the products are right (against float64 sums of the same inputs)
        const y = x.matmul(w, { transposeB: true }).toFlat();
        const wf = w.toFlat();
        const tol = dtype === 'float32' ? 2e-5 : 1e-12;
        for (let i = 0; i < 20; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            let a = 0;
            for (let p = 0; p < k; p++) {
              s += rows[i * k + p]! * wf[j * k + p]!;
              a += Math.abs(rows[i * k + p]! * wf[j * k + p]!);
            }
            expect(Math.abs(y[i * n + j]! - s)).toBeLessThanOrEqual(tol * a + 1e-30);
          }
      });
});
