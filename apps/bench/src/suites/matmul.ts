import { Rng } from '@tenzo/core';
import { type DType, fromTypedArray, matmul } from '@tenzo/tensor';
import { Matrix } from 'ml-matrix';
import {
  type BenchRow,
  type Implementation,
  type InterleaveOptions,
  interleavedRows,
  measureInterleaved,
  type SuiteContext,
} from '../harness.js';
import { plainMatmul } from '../peers/plainJs.js';
import { GPU_PENDING, onBackend, TENZO_CPU, tenzoGpu, withGpuMode } from '../peers/tenzoBackends.js';
import { useTfjsBackend } from '../peers/tfjs.js';

const short = (d: DType) => (d === 'float32' ? 'f32' : 'f64');

interface MatmulCase {
  dtype: DType;
  batch: number;
  n: number;
}

function cases(size: 'quick' | 'default' | 'full'): MatmulCase[] {
  const sizes = size === 'quick' ? [64] : size === 'full' ? [128, 256, 512, 1024] : [256, 512];
  const square = (['float32', 'float64'] as const).flatMap((dtype) =>
    sizes.map((n) => ({ dtype, batch: 1, n })),
  );
  // bmm: in the smoke test (so its code path stays tested) and the full grid
  if (size === 'default') return square;
  const [batch, n] = size === 'quick' ? [4, 16] : [32, 128];
  return [...square, ...(['float32', 'float64'] as const).map((dtype) => ({ dtype, batch, n }))];
}

/** Cases the suite measures at a size (for the progress bar). */
export function matmulCases(size: 'quick' | 'default' | 'full'): number {
  return cases(size).length;
}

function rounds(ctx: SuiteContext, flops: number): InterleaveOptions {
  if (ctx.quick) return { warmup: 1, minRounds: 2, minTimeMs: 0 };
  // the slow implementations (plain JS, tfjs-cpu, the reference backend) take ~0.4 s per call at
  // 512³ and seconds at 1024³: fewer rounds there
  if (flops > 1e9) return { warmup: 1, minRounds: 3, minTimeMs: 0 };
  if (flops > 1e8) return { warmup: 1, minRounds: 5, minTimeMs: 0 };
  return { warmup: 2, minRounds: 7, minTimeMs: 1000 };
}

/**
 * Matrix products C = A·B, square (256 and 512; --full: 128…1024 and bmm). Every tenzo backend is
 * measured (reference, fast, gpu.js in the mode it ran); tfjs only has float32 and ml-matrix only
 * float64, so each dtype lists the peers that support it. All results are read back into JS memory.
 * The implementations of a case run in interleaved rounds.
 */
export async function matmulSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const gpu = await tenzoGpu();
  for (const { dtype, batch, n } of cases(ctx.quick ? 'quick' : ctx.full ? 'full' : 'default')) {
    const rng = new Rng(ctx.seed);
    const bmm = batch > 1;
    const caseName = bmm ? `bmm ${short(dtype)} ${batch}×${n}×${n}×${n}` : `${short(dtype)} ${n}×${n}×${n}`;
    const size = batch * n * n;
    const a = rng.fillNormal(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size));
    const b = rng.fillNormal(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size));
    const shape = bmm ? [batch, n, n] : [n, n];
    const ta = fromTypedArray(a, shape);
    const tb = fromTypedArray(b, shape);
    const impls: Implementation[] = TENZO_CPU.map(({ impl, backend }) => ({
      name: impl,
      run: onBackend(backend, () => matmul(ta, tb)),
    }));
    if (dtype === 'float32')
      impls.push({ name: GPU_PENDING, run: onBackend(gpu.name, () => matmul(ta, tb)) });
    impls.push({
      name: 'plain-js',
      run: () => {
        for (let t = 0; t < batch; t++)
          plainMatmul(
            a.subarray(t * n * n, (t + 1) * n * n),
            b.subarray(t * n * n, (t + 1) * n * n),
            n,
            n,
            n,
          );
      },
    });
    const disposers: (() => void)[] = [];
    if (dtype === 'float32') {
      for (const backend of ['cpu', 'wasm'] as const) {
        // each backend keeps its own copies of the inputs: made while it is active, they live in
        // its memory, and switching backends between rounds (untimed) moves no data
        const tf = await useTfjsBackend(backend);
        const xa = tf.tensor(a as Float32Array, shape);
        const xb = tf.tensor(b as Float32Array, shape);
        disposers.push(() => tf.dispose([xa, xb]));
        impls.push({
          name: `tfjs-${backend}`,
          prepare: () => useTfjsBackend(backend),
          // dataSync forces the computation and the copy back, as tenzo's result is in JS memory.
          // No tf.tidy around it: under tidy, tfjs-wasm's matMul runs ~35× slower (250 vs 7 ms at
          // 512³ here), so the peer is measured in its fast form, disposing explicitly.
          run: () => {
            const c = tf.matMul(xa, xb);
            c.dataSync();
            c.dispose();
          },
        });
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
      impls.push({
        name: 'ml-matrix',
        run: () => {
          for (let t = 0; t < batch; t++) ma[t]!.mmul(mb[t]!);
        },
      });
    }
    const result = await measureInterleaved(impls, rounds(ctx, 2 * batch * n * n * n));
    for (const dispose of disposers) dispose();
    for (const row of interleavedRows(result, { suite: 'matmul', case: caseName }).map(withGpuMode(gpu))) {
      rows.push(row);
      ctx.onRow?.(row);
    }
  }
  return rows;
}
