import { Rng } from '@tenzo/core';
import { type DType, fromTypedArray, getBackend, matmul } from '@tenzo/tensor';
import { Matrix } from 'ml-matrix';
import { type BenchRow, measure, type SuiteContext } from '../harness.js';
import { plainMatmul } from '../peers/plainJs.js';
import { useTfjsBackend } from '../peers/tfjs.js';

/**
 * Square matrix products C = A·B. tenzo runs on its active backend (named in the row); tfjs
 * only has float32, ml-matrix only float64, so each dtype lists the peers that support it.
 */
export async function matmulSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const sizes = ctx.quick ? [64] : [128, 256, 512];
  const dtypes: DType[] = ['float32', 'float64'];
  const rows: BenchRow[] = [];
  const push = (row: BenchRow) => {
    rows.push(row);
    ctx.onRow?.(row);
  };
  const opts = ctx.quick
    ? { warmup: 1, minSamples: 2, minTimeMs: 0 }
    : { warmup: 2, minSamples: 5, minTimeMs: 500 };
  for (const dtype of dtypes) {
    for (const n of sizes) {
      const rng = new Rng(ctx.seed);
      const caseName = `${dtype === 'float32' ? 'f32' : 'f64'} ${n}×${n}×${n}`;
      const a = rng.fillNormal(dtype === 'float64' ? new Float64Array(n * n) : new Float32Array(n * n));
      const b = rng.fillNormal(dtype === 'float64' ? new Float64Array(n * n) : new Float32Array(n * n));
      const ta = fromTypedArray(a, [n, n]);
      const tb = fromTypedArray(b, [n, n]);
      const base = { suite: 'matmul', case: caseName };
      push({
        ...base,
        impl: 'tenzo',
        ...(await measure(() => matmul(ta, tb), opts)),
        note: `backend ${getBackend()}`,
      });
      push({ ...base, impl: 'plain-js', ...(await measure(() => plainMatmul(a, b, n, n, n), opts)) });
      if (dtype === 'float32') {
        for (const backend of ['cpu', 'wasm'] as const) {
          const tf = await useTfjsBackend(backend);
          const xa = tf.tensor2d(a as Float32Array, [n, n]);
          const xb = tf.tensor2d(b as Float32Array, [n, n]);
          // dataSync forces the computation and the copy back, as tenzo's result is in JS memory
          const m = await measure(() => tf.tidy(() => tf.matMul(xa, xb).dataSync()), opts);
          tf.dispose([xa, xb]);
          push({ ...base, impl: `tfjs-${backend}`, ...m });
        }
      } else {
        const ma = new Matrix(n, n);
        const mb = new Matrix(n, n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            ma.set(i, j, a[i * n + j]!);
            mb.set(i, j, b[i * n + j]!);
          }
        push({ ...base, impl: 'ml-matrix', ...(await measure(() => ma.mmul(mb), opts)) });
      }
    }
  }
  return rows;
}
