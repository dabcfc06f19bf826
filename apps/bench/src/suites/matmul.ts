import { Rng } from '@tenzo/core';
import { type DType, fromTypedArray, matmul } from '@tenzo/tensor';
import { Matrix } from 'ml-matrix';
import { type BenchRow, type MeasureOptions, measure, type SuiteContext } from '../harness.js';
import { plainMatmul } from '../peers/plainJs.js';
import { gpuImpl, onBackend, TENZO_CPU, tenzoGpu } from '../peers/tenzoBackends.js';
import { useTfjsBackend } from '../peers/tfjs.js';

const short = (d: DType) => (d === 'float32' ? 'f32' : 'f64');

function options(ctx: SuiteContext, flops: number): MeasureOptions {
  if (ctx.quick) return { warmup: 1, minSamples: 2, minTimeMs: 0 };
  // the slow implementations at 1024³ take seconds per call: fewer samples there
  return flops > 1e9
    ? { warmup: 1, minSamples: 3, minTimeMs: 0 }
    : { warmup: 2, minSamples: 5, minTimeMs: 500 };
}

/**
 * Matrix products C = A·B, square (128…1024) and batched (bmm). Every tenzo backend is measured
 * (reference, fast, gpu.js in the mode it ran); tfjs only has float32 and ml-matrix only float64,
 * so each dtype lists the peers that support it. All results are read back into JS memory.
 */
export async function matmulSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const sizes = ctx.quick ? [64] : [128, 256, 512, 1024];
  const rows: BenchRow[] = [];
  const push = (row: BenchRow) => {
    rows.push(row);
    ctx.onRow?.(row);
  };
  const gpu = await tenzoGpu();
  const cases: { dtype: DType; batch: number; n: number }[] = [
    ...(['float32', 'float64'] as const).flatMap((dtype) => sizes.map((n) => ({ dtype, batch: 1, n }))),
    ...(['float32', 'float64'] as const).map((dtype) => ({
      dtype,
      batch: ctx.quick ? 4 : 32,
      n: ctx.quick ? 16 : 128,
    })),
  ];
  for (const { dtype, batch, n } of cases) {
    const rng = new Rng(ctx.seed);
    const bmm = batch > 1;
    const caseName = bmm ? `bmm ${short(dtype)} ${batch}×${n}×${n}×${n}` : `${short(dtype)} ${n}×${n}×${n}`;
    const size = batch * n * n;
    const a = rng.fillNormal(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size));
    const b = rng.fillNormal(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size));
    const shape = bmm ? [batch, n, n] : [n, n];
    const ta = fromTypedArray(a, shape);
    const tb = fromTypedArray(b, shape);
    const opts = options(ctx, 2 * batch * n * n * n);
    const base = { suite: 'matmul', case: caseName };
    for (const { impl, backend } of TENZO_CPU)
      push({
        ...base,
        impl,
        ...(await measure(
          onBackend(backend, () => matmul(ta, tb)),
          opts,
        )),
      });
    if (dtype === 'float32') {
      const m = await measure(
        onBackend(gpu.name, () => matmul(ta, tb)),
        opts,
      );
      push({ ...base, impl: gpuImpl(gpu), ...m });
    }
    const plain = () => {
      for (let t = 0; t < batch; t++)
        plainMatmul(a.subarray(t * n * n, (t + 1) * n * n), b.subarray(t * n * n, (t + 1) * n * n), n, n, n);
    };
    push({ ...base, impl: 'plain-js', ...(await measure(plain, opts)) });
    if (dtype === 'float32') {
      for (const backend of ['cpu', 'wasm'] as const) {
        const tf = await useTfjsBackend(backend);
        const xa = tf.tensor(a as Float32Array, shape);
        const xb = tf.tensor(b as Float32Array, shape);
        // dataSync forces the computation and the copy back, as tenzo's result is in JS memory.
        // No tf.tidy around it: under tidy, tfjs-wasm's matMul runs ~35× slower (250 vs 7 ms at
        // 512³ here), so the peer is measured in its fast form, disposing explicitly.
        const m = await measure(() => {
          const c = tf.matMul(xa, xb);
          c.dataSync();
          c.dispose();
        }, opts);
        tf.dispose([xa, xb]);
        push({ ...base, impl: `tfjs-${backend}`, ...m });
      }
    } else {
      const mats = (x: Float64Array) =>
        Array.from({ length: batch }, (_, t) => {
          const mat = new Matrix(n, n);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mat.set(i, j, x[t * n * n + i * n + j]!);
          return mat;
        });
      const ma = mats(a as Float64Array);
      const mb = mats(b as Float64Array);
      const m = await measure(() => {
        for (let t = 0; t < batch; t++) ma[t]!.mmul(mb[t]!);
      }, opts);
      push({ ...base, impl: 'ml-matrix', ...m });
    }
  }
  return rows;
}
