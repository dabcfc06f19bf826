import { batchOffsets, type Shape, sizeOf, type TensorData } from '@tenzo/tensor';
import { type KernelCache, readOutput } from '../kernelCache.js';

/** a broadcast to `batch` leading dims (a copy only when batch dims really broadcast) */
function expandBatch(x: TensorData, batch: Shape, matrix: number): { data: Float32Array; step: number } {
  const own = x.shape.slice(0, -2);
  const count = sizeOf(own);
  const total = sizeOf(batch);
  if (count === 1) return { data: x.data as Float32Array, step: 0 };
  const same = own.length === batch.length && own.every((d, i) => d === batch[i]);
  if (same) return { data: x.data as Float32Array, step: matrix };
  // general broadcast: materialise each output batch element's matrix
  const out = new Float32Array(total * matrix);
  const src = batchOffsets(batch, own);
  for (let t = 0; t < total; t++)
    out.set(x.data.subarray(src[t]! * matrix, (src[t]! + 1) * matrix), t * matrix);
  return { data: out, step: matrix };
}

/**
 * Batched C = op(A)·op(B): one gpu.js thread per output entry, the k-loop bound and all
 * strides compiled in as constants; transposes are strides, never copies.
 */
export function gpuMatmul(
  cache: KernelCache,
  a: TensorData,
  b: TensorData,
  transA: boolean,
  transB: boolean,
  batch: Shape,
  m: number,
  n: number,
  k: number,
): TensorData {
  const outShape = [...batch, m, n];
  const total = sizeOf(outShape);
  if (total === 0) return { data: new Float32Array(0), shape: outShape, dtype: 'float32' };
  if (k === 0) return { data: new Float32Array(total), shape: outShape, dtype: 'float32' };
  const ea = expandBatch(a, batch, m * k);
  const eb = expandBatch(b, batch, k * n);
  const src = `function(a, b) {
  const j = this.thread.x % this.constants.n;
  const r = Math.floor(this.thread.x / this.constants.n);
  const i = r % this.constants.m;
  const t = Math.floor(r / this.constants.m);
  const pa = t * this.constants.sa + i * this.constants.rsa;
  const pb = t * this.constants.sb + j * this.constants.csb;
  let sum = 0;
  for (let p = 0; p < this.constants.k; p++) {
    sum += a[pa + p * this.constants.csa] * b[pb + p * this.constants.rsb];
  }
  return sum;
}`;
  const constants = {
    m,
    n,
    k,
    sa: ea.step,
    sb: eb.step,
    rsa: transA ? 1 : k,
    csa: transA ? m : 1,
    rsb: transB ? 1 : n,
    csb: transB ? k : 1,
  };
  const kern = cache.get(src, { output: [total], constants, loopMaxIterations: k + 1 });
  const data = readOutput(kern(ea.data, eb.data), total);
  cache.note(kern);
  return { data, shape: outShape, dtype: 'float32' };
}
