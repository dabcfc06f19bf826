import { FAST_BACKEND, getBackend, isWasmSimdAvailable, KERNELS_WASM_BASE64 } from '@tenzo/tensor';

/** @tenzo/tensor's fast backend computes products below this many multiply-adds on its reference loop. */
const TENSOR_SMALL = 512;

/** A compiled WebAssembly.Module (the lib settings here carry no WebAssembly types). */
export type WasmModule = object;

const wasmApi = (globalThis as { WebAssembly?: { Module: new (bytes: Uint8Array) => WasmModule } })
  .WebAssembly;
let kernelModule: WasmModule | null | undefined;

/**
 * @tenzo/tensor's WebAssembly kernels as a compiled module (shared with worker threads through
 * the chunk specs), or null where WebAssembly cannot compile them.
 */
export function tensorKernels(): WasmModule | null {
  if (kernelModule !== undefined) return kernelModule;
  kernelModule = null;
  if (wasmApi === undefined) return kernelModule;
  try {
    const s = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    kernelModule = new wasmApi.Module(bytes);
  } catch {
    kernelModule = null;
  }
  return kernelModule;
}

/**
 * Whether an m×n×k product (n outputs per row, sums over k) cut into blocks of at least
 * `minCols` of its n columns gives, block by block, exactly the numbers of the whole product:
 * true when the whole runs on the fast backend's WebAssembly GEMM (which the blocks run too, see
 * zoKernel's dgemm): it sums each output over k in the same order whatever m and n are. The
 * sharded query and G = WᵀP run in blocks only then; otherwise they stay whole.
 */
export function blocksMatchWhole(m: number, minCols: number, k: number): boolean {
  return (
    getBackend() === FAST_BACKEND &&
    isWasmSimdAvailable() &&
    m * minCols * k >= TENSOR_SMALL &&
    tensorKernels() !== null
  );
}
