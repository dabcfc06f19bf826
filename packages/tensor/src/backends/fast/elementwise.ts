import type { TypedArray } from '../../dtype.js';
import { broadcastShapes, sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { erf } from '../reference/erf.js';
import { gelu, geluDerivative } from '../reference/gelu.js';
import { out } from '../reference/util.js';
import { broadcastPlan, forEachRun } from './broadcast.js';
import { wasmUnary32 } from './vmath.js';

// Each op is its own loop (a switch outside the loop, never a callback inside it): V8 does not
// inline a callback that many ops share, and a call per element costs more than the math.
// Every formula is the reference's, so results are bit-identical to it — except float32 Exp
// and Sigmoid on larger tensors, which run as a SIMD polynomial in wasm (within 2 ulp).

export type UnaryOp =
  | 'Neg'
  | 'Exp'
  | 'Log'
  | 'Sqrt'
  | 'Abs'
  | 'Sign'
  | 'Tanh'
  | 'Sigmoid'
  | 'Relu'
  | 'Sin'
  | 'Cos'
  | 'Square'
  | 'Reciprocal'
  | 'Erf';

export const UNARY_OPS: readonly UnaryOp[] = [
  'Neg',
  'Exp',
  'Log',
  'Sqrt',
  'Abs',
  'Sign',
  'Tanh',
  'Sigmoid',
  'Relu',
  'Sin',
  'Cos',
  'Square',
  'Reciprocal',
  'Erf',
];

function unaryLoop(op: UnaryOp, a: TypedArray, o: TypedArray, n: number): void {
  switch (op) {
    case 'Neg':
      for (let i = 0; i < n; i++) o[i] = -a[i]!;
      return;
    case 'Exp':
      for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]!);
      return;
    case 'Log':
      for (let i = 0; i < n; i++) o[i] = Math.log(a[i]!);
      return;
    case 'Sqrt':
      for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]!);
      return;
    case 'Abs':
      for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]!);
      return;
    case 'Sign':
      for (let i = 0; i < n; i++) o[i] = Math.sign(a[i]!);
      return;
    case 'Tanh':
      for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]!);
      return;
    case 'Sigmoid':
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        o[i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
      }
      return;
    case 'Relu':
      for (let i = 0; i < n; i++) o[i] = Math.max(a[i]!, 0);
      return;
    case 'Sin':
      for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]!);
      return;
    case 'Cos':
      for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]!);
      return;
    case 'Square':
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        o[i] = x * x;
      }
      return;
    case 'Reciprocal':
      for (let i = 0; i < n; i++) o[i] = 1 / a[i]!;
      return;
    case 'Erf':
      for (let i = 0; i < n; i++) o[i] = erf(a[i]!);
      return;
  }
}

export function fastUnary(op: UnaryOp, x: TensorData): TensorData {
  const res = out(x.dtype, x.shape);
  // float32 exp and sigmoid: four lanes of a polynomial in wasm beat Math.exp by far
  if (
    (op === 'Exp' || op === 'Sigmoid') &&
    x.data instanceof Float32Array &&
    wasmUnary32(op === 'Exp' ? 0 : 1, x.data, res.data as Float32Array)
  )
    return res;
  unaryLoop(op, x.data, res.data, res.data.length);
  return res;
}

/** GELU (erf form, or tanh with `tanhApprox`): the reference's formula in a loop of its own. */
export function fastGelu(x: TensorData, tanhApprox: boolean): TensorData {
  const res = out(x.dtype, x.shape);
  const a = x.data;
  const o = res.data;
  // one loop per form, so the call to gelu inlines with a constant flag
  if (tanhApprox) for (let i = 0; i < a.length; i++) o[i] = gelu(a[i]!, true);
  else for (let i = 0; i < a.length; i++) o[i] = gelu(a[i]!, false);
  return res;
}

/** dy · gelu'(x) for dy of x's shape (undefined otherwise: the reference broadcasts it). */
export function fastGeluGrad(x: TensorData, dy: TensorData, tanhApprox: boolean): TensorData | undefined {
  if (x.data.length !== dy.data.length || x.shape.length !== dy.shape.length) return undefined;
  if (x.shape.some((n, i) => n !== dy.shape[i])) return undefined;
  const res = out(x.dtype, x.shape);
  const a = x.data;
  const g = dy.data;
  const o = res.data;
  if (tanhApprox) for (let i = 0; i < a.length; i++) o[i] = g[i]! * geluDerivative(a[i]!, true);
  else for (let i = 0; i < a.length; i++) o[i] = g[i]! * geluDerivative(a[i]!, false);
  return res;
}

export function fastClamp(x: TensorData, lo: number, hi: number): TensorData {
  const res = out(x.dtype, x.shape);
  const a = x.data;
  const o = res.data;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    o[i] = v < lo ? lo : Math.min(v, hi);
  }
  return res;
}

export type BinaryOp =
  | 'Add'
  | 'Sub'
  | 'Mul'
  | 'Div'
  | 'Pow'
  | 'Maximum'
  | 'Minimum'
  | 'Equal'
  | 'NotEqual'
  | 'Greater'
  | 'GreaterEqual'
  | 'Less'
  | 'LessEqual';

export const BINARY_OPS: readonly BinaryOp[] = [
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Maximum',
  'Minimum',
  'Equal',
  'NotEqual',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
];

/** o[po + j] = a[pa + j·ia] ⊙ b[pb + j·ib] for j < len (ia, ib ∈ {0, 1} after broadcasting). */
function binaryRun(
  op: BinaryOp,
  a: TypedArray,
  pa: number,
  ia: number,
  b: TypedArray,
  pb: number,
  ib: number,
  o: TypedArray,
  po: number,
  len: number,
): void {
  const end = po + len;
  switch (op) {
    case 'Add':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! + b[pb]!;
      return;
    case 'Sub':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! - b[pb]!;
      return;
    case 'Mul':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! * b[pb]!;
      return;
    case 'Div':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! / b[pb]!;
      return;
    case 'Pow':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! ** b[pb]!;
      return;
    case 'Maximum':
      for (let i = po; i < end; i++, pa += ia, pb += ib) {
        const x = a[pa]!;
        const y = b[pb]!;
        o[i] = x >= y || Number.isNaN(x) ? x : y;
      }
      return;
    case 'Minimum':
      for (let i = po; i < end; i++, pa += ia, pb += ib) {
        const x = a[pa]!;
        const y = b[pb]!;
        o[i] = x <= y || Number.isNaN(x) ? x : y;
      }
      return;
    case 'Equal':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! === b[pb]! ? 1 : 0;
      return;
    case 'NotEqual':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! !== b[pb]! ? 1 : 0;
      return;
    case 'Greater':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! > b[pb]! ? 1 : 0;
      return;
    case 'GreaterEqual':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! >= b[pb]! ? 1 : 0;
      return;
    case 'Less':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! < b[pb]! ? 1 : 0;
      return;
    case 'LessEqual':
      for (let i = po; i < end; i++, pa += ia, pb += ib) o[i] = a[pa]! <= b[pb]! ? 1 : 0;
      return;
  }
}

export function fastBinary(op: BinaryOp, x: TensorData, y: TensorData): TensorData {
  const outShape = broadcastShapes(op, x.shape, y.shape);
  const res = out(x.dtype, outShape);
  if (res.data.length === 0) return res;
  const plan = broadcastPlan(outShape, [x.shape, y.shape]);
  const nd = plan.shape.length;
  const inner = plan.shape[nd - 1]!;
  const ia = plan.strides[0]![nd - 1]!;
  const ib = plan.strides[1]![nd - 1]!;
  forEachRun(plan, (off, po) => binaryRun(op, x.data, off[0]!, ia, y.data, off[1]!, ib, res.data, po, inner));
  return res;
}

/** Broadcasting select: out = cond ≠ 0 ? a : b. */
export function fastWhere(c: TensorData, x: TensorData, y: TensorData): TensorData {
  const outShape = broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape);
  const res = out(x.dtype, outShape);
  if (sizeOf(outShape) === 0) return res;
  const plan = broadcastPlan(outShape, [c.shape, x.shape, y.shape]);
  const nd = plan.shape.length;
  const inner = plan.shape[nd - 1]!;
  const ic = plan.strides[0]![nd - 1]!;
  const ia = plan.strides[1]![nd - 1]!;
  const ib = plan.strides[2]![nd - 1]!;
  const cd = c.data;
  const a = x.data;
  const b = y.data;
  const o = res.data;
  forEachRun(plan, (off, po) => {
    let pc = off[0]!;
    let pa = off[1]!;
    let pb = off[2]!;
    for (let i = po, end = po + inner; i < end; i++, pc += ic, pa += ia, pb += ib)
      o[i] = cd[pc]! !== 0 ? a[pa]! : b[pb]!;
  });
  return res;
}

/** x broadcast to `shape`: whole runs copied with set() or fill(), never element by element. */
export function fastBroadcastTo(x: TensorData, shape: readonly number[]): TensorData {
  const res = out(x.dtype, shape);
  if (res.data.length === 0) return res;
  const plan = broadcastPlan(shape, [x.shape]);
  const nd = plan.shape.length;
  const inner = plan.shape[nd - 1]!;
  const stride = plan.strides[0]![nd - 1]!;
  const a = x.data;
  const o = res.data;
  forEachRun(plan, (off, po) => {
    const p = off[0]!;
    if (stride === 0) o.fill(a[p]!, po, po + inner);
    else o.set(a.subarray(p, p + inner), po);
  });
  return res;
}
