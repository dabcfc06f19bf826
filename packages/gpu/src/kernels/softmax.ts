import { sizeOf, type TensorData } from '@tenzo/tensor';
import type { GpuArg } from '../gpuTypes.js';
import { type KernelCache, readOutput } from '../kernelCache.js';

/**
 * Softmax / log-softmax along the last axis as two chained kernels: the first computes each
 * row's log-sum-exp (max-shifted) and keeps it on the device (`pipeline: true`: a texture on
 * GL, a typed array on cpu/webasm), the second reads it to normalise every entry — one
 * upload and one readback for the pair. null for other axes.
 */
export function gpuSoftmax(cache: KernelCache, x: TensorData, axis: number, log: boolean): TensorData | null {
  if (axis !== x.shape.length - 1) return null;
  const len = x.shape[axis]!;
  const total = sizeOf(x.shape);
  if (total === 0) return { data: new Float32Array(0), shape: [...x.shape], dtype: 'float32' };
  const rows = total / len;
  const stats = cache.get(
    `function(a) {
  const base = this.thread.x * this.constants.len;
  let mx = a[base];
  for (let s = 1; s < this.constants.len; s++) mx = Math.max(mx, a[base + s]);
  let sum = 0;
  for (let s = 0; s < this.constants.len; s++) sum += Math.exp(a[base + s] - mx);
  return mx + Math.log(sum);
}`,
    { output: [rows], constants: { len }, loopMaxIterations: len + 1, pipeline: true, immutable: true },
  );
  const normalise = cache.get(
    `function(a, lse) {
  const v = a[this.thread.x] - lse[Math.floor(this.thread.x / this.constants.len)];
  return ${log ? 'v' : 'Math.exp(v)'};
}`,
    { output: [total], constants: { len } },
  );
  const input = x.data as Float32Array;
  const lse = stats(input) as GpuArg;
  const data = readOutput(normalise(input, lse), total);
  if (!(lse instanceof Float32Array)) lse.delete();
  cache.note(normalise);
  return { data, shape: [...x.shape], dtype: 'float32' };
}
