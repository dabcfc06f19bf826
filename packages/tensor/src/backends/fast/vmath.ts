import { ensureMemory, gemmWasm, releaseIfLarge, WASM_BASE } from './wasm/instance.js';

/** Below this many values the JavaScript loop wins over copying into wasm memory and back. */
const MIN_VALUES = 256;

const align = (x: number) => (x + 63) & ~63;

/**
 * out = exp(x) (op 0) or sigmoid(x) (op 1) in float32 through WebAssembly SIMD; false when
 * wasm is unavailable or x is small (the caller then runs its own loop).
 */
export function wasmUnary32(op: 0 | 1, x: Float32Array, out: Float32Array): boolean {
  const n = x.length;
  if (n < MIN_VALUES) return false;
  const wasm = gemmWasm();
  if (!wasm) return false;
  const padded = (n + 3) & ~3;
  const src = WASM_BASE;
  const dst = align(src + padded * 4);
  ensureMemory(wasm, dst + padded * 4);
  const buf = wasm.memory.buffer;
  new Float32Array(buf, src, n).set(x);
  wasm.vunary32(op, src, dst, padded);
  out.set(new Float32Array(buf, dst, n));
  releaseIfLarge(wasm);
  return true;
}

/**
 * Softmax (or log-softmax) of each row of a rows×len float32 matrix through WebAssembly SIMD:
 * one pass for the row maximum and Σ exp(x − max), the log-sum-exp per row here, one pass to
 * write exp(x − lse) or x − lse. false when wasm is unavailable or the input is small.
 */
export function wasmSoftmax32(
  x: Float32Array,
  rows: number,
  len: number,
  out: Float32Array,
  log: boolean,
): boolean {
  if (x.length < MIN_VALUES || len === 0) return false;
  const wasm = gemmWasm();
  if (!wasm) return false;
  const ld = (len + 3) & ~3;
  const src = WASM_BASE;
  const dst = align(src + rows * ld * 4);
  const stats = align(dst + rows * ld * 4);
  const lse = align(stats + rows * 16);
  ensureMemory(wasm, lse + rows * 4);
  const buf = wasm.memory.buffer;
  const inView = new Float32Array(buf, src, rows * ld);
  if (ld === len) inView.set(x);
  else for (let r = 0; r < rows; r++) inView.set(x.subarray(r * len, (r + 1) * len), r * ld);
  wasm.rowStats32(src, rows, len, ld, stats);
  const st = new Float64Array(buf, stats, rows * 2);
  const l = new Float32Array(buf, lse, rows);
  for (let r = 0; r < rows; r++) {
    const mx = st[2 * r]!;
    l[r] = (mx === Number.NEGATIVE_INFINITY ? 0 : mx) + Math.log(st[2 * r + 1]!);
  }
  wasm.rowApply32(src, dst, rows, ld, lse, log ? 1 : 0);
  const res = new Float32Array(buf, dst, rows * ld);
  if (ld === len) out.set(res);
  else for (let r = 0; r < rows; r++) out.set(res.subarray(r * ld, r * ld + len), r * len);
  releaseIfLarge(wasm);
  return true;
}
