import type { TensorData } from '@tenzo/tensor';
import { type KernelCache, readOutput } from '../kernelCache.js';
import { broadcastPlan } from './plan.js';

/** gpu.js expressions of x (and y): single precision, as the GL backends compute them. */
export const UNARY_EXPR: Record<string, string> = {
  Neg: '-x',
  Exp: 'Math.exp(x)',
  Log: 'Math.log(x)',
  Sqrt: 'Math.sqrt(x)',
  Abs: 'Math.abs(x)',
  Tanh: 'Math.tanh(x)',
  // the two-sided form never evaluates exp of a large positive number
  Sigmoid: 'x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))',
  Relu: 'Math.max(x, 0)',
  Sin: 'Math.sin(x)',
  Cos: 'Math.cos(x)',
  Square: 'x * x',
  Reciprocal: '1 / x',
};

export const BINARY_EXPR: Record<string, string> = {
  Add: 'x + y',
  Sub: 'x - y',
  Mul: 'x * y',
  Div: 'x / y',
  Pow: 'Math.pow(x, y)',
  Maximum: 'Math.max(x, y)',
  Minimum: 'Math.min(x, y)',
  Greater: 'x > y ? 1 : 0',
  GreaterEqual: 'x >= y ? 1 : 0',
  Less: 'x < y ? 1 : 0',
  LessEqual: 'x <= y ? 1 : 0',
};

export function gpuUnary(cache: KernelCache, op: string, x: TensorData): TensorData {
  const n = x.data.length;
  if (n === 0) return { data: new Float32Array(0), shape: [...x.shape], dtype: 'float32' };
  const src = `function(a) {
  const x = a[this.thread.x];
  return ${UNARY_EXPR[op]};
}`;
  const k = cache.get(src, { output: [n] });
  const data = readOutput(k(x.data as Float32Array), n);
  cache.note(k);
  return { data, shape: [...x.shape], dtype: 'float32' };
}

/**
 * Broadcasting binary op over at most 4 collapsed dimensions: the output index is unravelled
 * against the collapsed shape (compiled-in constants) and dotted with each input's strides.
 */
export function gpuBinary(cache: KernelCache, op: string, a: TensorData, b: TensorData): TensorData | null {
  const plan = broadcastPlan(a.shape, b.shape);
  if (plan === null) return null;
  const { outShape, dims, sa, sb } = plan;
  const n = dims.reduce((p, d) => p * d, 1);
  if (n === 0 || outShape.some((d) => d === 0))
    return { data: new Float32Array(0), shape: outShape, dtype: 'float32' };
  const src = `function(a, b) {
  let r = this.thread.x;
  const i3 = r % this.constants.n3;
  r = Math.floor(r / this.constants.n3);
  const i2 = r % this.constants.n2;
  r = Math.floor(r / this.constants.n2);
  const i1 = r % this.constants.n1;
  const i0 = Math.floor(r / this.constants.n1);
  const x = a[i0 * this.constants.a0 + i1 * this.constants.a1 + i2 * this.constants.a2 + i3 * this.constants.a3];
  const y = b[i0 * this.constants.b0 + i1 * this.constants.b1 + i2 * this.constants.b2 + i3 * this.constants.b3];
  return ${BINARY_EXPR[op]};
}`;
  const constants = {
    n1: dims[1]!,
    n2: dims[2]!,
    n3: dims[3]!,
    a0: sa[0]!,
    a1: sa[1]!,
    a2: sa[2]!,
    a3: sa[3]!,
    b0: sb[0]!,
    b1: sb[1]!,
    b2: sb[2]!,
    b3: sb[3]!,
  };
  const k = cache.get(src, { output: [n], constants });
  const data = readOutput(k(a.data as Float32Array, b.data as Float32Array), n);
  cache.note(k);
  return { data, shape: outShape, dtype: 'float32' };
}
