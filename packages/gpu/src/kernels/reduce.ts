import { sizeOf, type TensorData } from '@tenzo/tensor';
import { type KernelCache, readOutput } from '../kernelCache.js';

const STEP: Record<string, string> = {
  Sum: 'acc += v;',
  Max: 'acc = Math.max(acc, v);',
  Min: 'acc = Math.min(acc, v);',
};

/**
 * Sum / max / min over one contiguous run of axes, x viewed as (outer, len, inner): one thread
 * per output entry loops over len. null (caller falls back) for other axis sets or empty axes.
 */
export function gpuReduce(
  cache: KernelCache,
  op: string,
  x: TensorData,
  axes: readonly number[],
  keepDims: boolean,
): TensorData | null {
  if (axes.length === 0) return null;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1]! + 1) return null;
  const lo = axes[0]!;
  const hi = axes[axes.length - 1]! + 1;
  const outer = sizeOf(x.shape.slice(0, lo));
  const len = sizeOf(x.shape.slice(lo, hi));
  const inner = sizeOf(x.shape.slice(hi));
  const outShape = x.shape.flatMap((d, i) => (i >= lo && i < hi ? (keepDims ? [1] : []) : [d]));
  const total = outer * inner;
  if (total === 0) return { data: new Float32Array(0), shape: outShape, dtype: 'float32' };
  if (len === 0) return null;
  const src = `function(a) {
  const o = Math.floor(this.thread.x / this.constants.inner);
  const q = this.thread.x % this.constants.inner;
  const base = o * this.constants.len * this.constants.inner + q;
  let acc = ${op === 'Sum' ? '0' : 'a[base]'};
  for (let s = ${op === 'Sum' ? 0 : 1}; s < this.constants.len; s++) {
    const v = a[base + s * this.constants.inner];
    ${STEP[op]}
  }
  return acc;
}`;
  const k = cache.get(src, { output: [total], constants: { len, inner }, loopMaxIterations: len + 1 });
  const data = readOutput(k(x.data as Float32Array), total);
  cache.note(k);
  return { data, shape: outShape, dtype: 'float32' };
}
