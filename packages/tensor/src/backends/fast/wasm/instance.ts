import { KERNELS_WASM_BASE64 } from './kernelsWasm.js';

/** The part of the WebAssembly JS API used here (the DOM lib is not in this package's types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
}

type GemmFn = (
  m: number,
  n: number,
  k: number,
  a: number,
  rsa: number,
  csa: number,
  b: number,
  rsb: number,
  csb: number,
  c: number,
  pa: number,
  pb: number,
  tile: number,
) => void;

/** C[m×n] = A·Bᵀ for m ≤ 4: A rows of stride rsa, B's rows (op(B)'s columns) of stride csb. */
type RowsTFn = (
  m: number,
  n: number,
  k: number,
  a: number,
  rsa: number,
  b: number,
  csb: number,
  c: number,
) => void;

/** The compiled module's exports (assembly/index.ts): byte offsets into `memory` everywhere. */
export interface GemmWasm {
  readonly sgemm: GemmFn;
  readonly dgemm: GemmFn;
  /** sgemm's sums, in its order, for m ≤ 4 rows against a transposed B, without packing */
  readonly sgemmRowsT: RowsTFn;
  readonly dgemmRowsT: RowsTFn;
  /** dst = exp(src) (op 0) or sigmoid(src) (op 1), float32, n a multiple of 4 */
  readonly vunary32: (op: number, src: number, dst: number, n: number) => void;
  /** per row of a rows×len float32 matrix with row stride ld: float64 (max, Σ exp(x − max)) */
  readonly rowStats32: (src: number, rows: number, len: number, ld: number, stats: number) => void;
  /** dst = exp(x − lse[row]) or (log ≠ 0) x − lse[row], rows of stride ld */
  readonly rowApply32: (src: number, dst: number, rows: number, ld: number, lse: number, log: number) => void;
  readonly memory: WasmMemory;
}

/** Where callers' data starts in wasm memory (the module's own data sits below). */
export const WASM_BASE = 65536;

const PAGE = 65536;
/** Instances whose memory grew past this are dropped after use, so one huge product does not pin it. */
const KEEP_BYTES = 64 * 1024 * 1024;

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let module: object | null | undefined;
let instance: GemmWasm | null = null;
let disabled = false;

function decode(b64: string): Uint8Array {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/**
 * The compiled module, or null where WebAssembly SIMD is unavailable. Compiled synchronously
 * on first use; where that is refused (browsers allow at most 4 KB on the main thread) the
 * TypeScript kernels run until an asynchronous compile finishes and the module takes over.
 */
function getModule(): object | null {
  if (module !== undefined) return module;
  module = null;
  if (!wasmApi) return module;
  let bytes: Uint8Array;
  try {
    bytes = decode(KERNELS_WASM_BASE64);
    if (!wasmApi.validate(bytes)) return module;
  } catch {
    return module;
  }
  try {
    module = new wasmApi.Module(bytes);
  } catch {
    wasmApi.compile(bytes).then(
      (m) => {
        module = m;
      },
      (e: unknown) => warnFallback(e),
    );
  }
  return module;
}

/**
 * The module validated but compiling it was refused — in a browser, a Content-Security-Policy
 * whose script-src lacks 'wasm-unsafe-eval'. Said once on the console (the module is compiled
 * once), so the slower TypeScript kernels that run instead are not a silent fallback.
 */
function warnFallback(e: unknown): void {
  const reason = e instanceof Error ? e.message : String(e);
  console.warn(
    `@tenzo/tensor: compiling the WebAssembly kernels was refused (${reason}); the fast backend runs its slower TypeScript kernels instead. Under a Content-Security-Policy, allow 'wasm-unsafe-eval' in script-src.`,
  );
}

/** The GEMM instance, or null when WebAssembly SIMD is unavailable or disabled. */
export function gemmWasm(): GemmWasm | null {
  if (disabled) return null;
  if (instance) return instance;
  const mod = getModule();
  if (!mod || !wasmApi) return null;
  const exports = new wasmApi.Instance(mod, {}).exports;
  instance = exports as unknown as GemmWasm;
  return instance;
}

/** Makes the instance's memory at least `bytes` long (views of the old buffer are detached). */
export function ensureMemory(wasm: GemmWasm, bytes: number): void {
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
}

/** Called after each product: forgets an instance whose memory grew large. */
export function releaseIfLarge(wasm: GemmWasm): void {
  if (wasm === instance && wasm.memory.buffer.byteLength > KEEP_BYTES) instance = null;
}

/** Whether the WebAssembly SIMD kernels are in use (false: the pure-TypeScript fallback runs). */
export function isWasmSimdAvailable(): boolean {
  return !disabled && getModule() !== null;
}

/**
 * Turns the WebAssembly kernels off (or back on), e.g. to test or measure the TypeScript
 * fallback that runs where WebAssembly SIMD is missing.
 */
export function setWasmEnabled(enabled: boolean): void {
  disabled = !enabled;
}
