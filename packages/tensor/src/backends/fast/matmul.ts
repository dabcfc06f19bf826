import type { TypedArray } from '../../dtype.js';
import type { TensorData } from '../../tensorData.js';
import { batchOffsets, gemm, matmulPlan } from '../reference/matmul.js';
import { out } from '../reference/util.js';
import { gemmStrided } from './gemmTs.js';
import { ensureMemory, type GemmWasm, gemmWasm, releaseIfLarge, WASM_BASE } from './wasm/instance.js';

// Blocking of assembly/gemm.ts: the packing buffers are sized from these.
const KC = 256;
const MC = 128;
const MR = 4;
/**
 * Up to this many rows against a transposed B (decoding: one token, or a speculative draft) skip
 * B's packing, which would cost as much as the product; the sums are sgemm's, in its order.
 */
const ROWS_T = 8;
/** Below this many multiply-adds per product the reference loop beats copying into wasm memory. */
const SMALL = 512;
/** Above this many bytes of operands the product is computed one batch element at a time. */
const CHUNK_BYTES = 256 * 1024 * 1024;

const align = (x: number) => (x + 63) & ~63;

interface Strides {
  rsa: number;
  csa: number;
  rsb: number;
  csb: number;
}

/** Element strides of op(A) (m×k) and op(B) (k×n) as stored row-major. */
function stridesFor(m: number, n: number, k: number, transA: boolean, transB: boolean): Strides {
  return {
    rsa: transA ? 1 : k,
    csa: transA ? m : 1,
    rsb: transB ? 1 : n,
    csb: transB ? k : 1,
  };
}

/**
 * Runs the products t ∈ [t0, t1) of one batched matmul in wasm memory: copies the A and B
 * elements they read (the whole operand when it is shared), computes, copies C out.
 */
function wasmBatch(
  wasm: GemmWasm,
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
  offA: Int32Array,
  offB: Int32Array,
  t0: number,
  t1: number,
  m: number,
  n: number,
  k: number,
  s: Strides,
): void {
  const f64 = c instanceof Float64Array;
  const es = f64 ? 8 : 4;
  const nr = f64 ? 4 : 8;
  const sizeA = m * k;
  const sizeB = k * n;
  const sizeC = m * n;
  // a contiguous range of A's (and B's) batch elements covers [t0, t1)
  let loA = offA[t0]!;
  let hiA = loA;
  let loB = offB[t0]!;
  let hiB = loB;
  for (let t = t0; t < t1; t++) {
    loA = Math.min(loA, offA[t]!);
    hiA = Math.max(hiA, offA[t]!);
    loB = Math.min(loB, offB[t]!);
    hiB = Math.max(hiB, offB[t]!);
  }
  const lenA = (hiA - loA + 1) * sizeA;
  const lenB = (hiB - loB + 1) * sizeB;
  const lenC = (t1 - t0) * sizeC;
  const pA = WASM_BASE;
  const pB = align(pA + lenA * es);
  const pC = align(pB + lenB * es);
  const pPackA = align(pC + lenC * es);
  const pPackB = align(pPackA + MC * KC * es);
  const pTile = align(pPackB + KC * Math.ceil(n / nr) * nr * es);
  ensureMemory(wasm, pTile + MR * nr * es);
  const buf = wasm.memory.buffer;
  const T = f64 ? Float64Array : Float32Array;
  new T(buf, pA, lenA).set(a.subarray(loA * sizeA, loA * sizeA + lenA));
  new T(buf, pB, lenB).set(b.subarray(loB * sizeB, loB * sizeB + lenB));
  const f = f64 ? wasm.dgemm : wasm.sgemm;
  if (m <= ROWS_T && s.csa === 1 && s.rsb === 1) {
    // a few rows against a transposed B: no packing, same sums (assembly/gemm.ts, sgemmRowsT)
    const g = f64 ? wasm.dgemmRowsT : wasm.sgemmRowsT;
    for (let t = t0; t < t1; t++) {
      const pa = pA + (offA[t]! - loA) * sizeA * es;
      const pc = pC + (t - t0) * sizeC * es;
      for (let i0 = 0; i0 < m; i0 += MR)
        g(
          Math.min(MR, m - i0),
          n,
          k,
          pa + i0 * s.rsa * es,
          s.rsa,
          pB + (offB[t]! - loB) * sizeB * es,
          s.csb,
          pc + i0 * n * es,
        );
    }
  } else {
    for (let t = t0; t < t1; t++) {
      f(
        m,
        n,
        k,
        pA + (offA[t]! - loA) * sizeA * es,
        s.rsa,
        s.csa,
        pB + (offB[t]! - loB) * sizeB * es,
        s.rsb,
        s.csb,
        pC + (t - t0) * sizeC * es,
        pPackA,
        pPackB,
        pTile,
      );
    }
  }
  c.set(new T(buf, pC, lenC), t0 * sizeC);
}

/**
 * MatMul on the fast backend: WebAssembly SIMD GEMM (f32x4 / f64x2 register tiles over packed
 * panels) where available, a register-tiled TypeScript GEMM otherwise; tiny products stay on
 * the reference loop, whose call overhead is lowest.
 */
export function fastMatmul(a: TensorData, b: TensorData, transA: boolean, transB: boolean): TensorData {
  const { m, n, k, batchA, batchB, batch, outShape } = matmulPlan(a, b, transA, transB);
  const res = out(a.dtype, outShape);
  if (res.data.length === 0 || k === 0) return res;
  const offA = batchOffsets(batch, batchA);
  const offB = batchOffsets(batch, batchB);
  const T = offA.length;
  const s = stridesFor(m, n, k, transA, transB);
  if (m * n * k < SMALL) {
    for (let t = 0; t < T; t++)
      gemm(a.data, offA[t]! * m * k, b.data, offB[t]! * k * n, res.data, t * m * n, m, n, k, transA, transB);
    return res;
  }
  const wasm = gemmWasm();
  const es = a.dtype === 'float64' ? 8 : 4;
  const perProduct = (m * k + k * n + m * n) * es;
  if (!wasm || perProduct > CHUNK_BYTES) {
    for (let t = 0; t < T; t++) {
      gemmStrided(
        a.data,
        offA[t]! * m * k,
        s.rsa,
        s.csa,
        b.data,
        offB[t]! * k * n,
        s.rsb,
        s.csb,
        res.data,
        t * m * n,
        m,
        n,
        k,
      );
    }
    return res;
  }
  const total = (a.data.length + b.data.length + res.data.length) * es;
  const step = total <= CHUNK_BYTES ? T : Math.max(1, Math.floor(CHUNK_BYTES / perProduct));
  for (let t0 = 0; t0 < T; t0 += step) {
    wasmBatch(wasm, a.data, b.data, res.data, offA, offB, t0, Math.min(T, t0 + step), m, n, k, s);
  }
  releaseIfLarge(wasm);
  return res;
}
