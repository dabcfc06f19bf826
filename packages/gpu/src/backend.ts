import {
  ArgumentError,
  BackendError,
  checkNumber,
  checkObject,
  checkString,
  describeValue,
} from '@tenzo/core';
import {
  FAST_BACKEND,
  getKernel,
  type KernelFunc,
  registerBackend,
  registerKernel,
  removeBackend,
  type TensorData,
} from '@tenzo/tensor';
import type { GpuConstructor, GpuInstance, GpuMode } from './gpuTypes.js';
import { KernelCache } from './kernelCache.js';
import { BINARY_EXPR, gpuBinary, gpuUnary, UNARY_EXPR } from './kernels/elementwise.js';
import { gpuMatmul } from './kernels/matmul.js';
import { gpuReduce } from './kernels/reduce.js';
import { gpuSoftmax } from './kernels/softmax.js';

const MODES: readonly GpuMode[] = ['gpu', 'webgl', 'webgl2', 'headlessgl', 'webasm', 'cpu'];

/**
 * Options of `registerGpuBackend`: the gpu.js mode, the registry name and priority, and the gpu.js `GPU`
 * class (imported from 'gpu.js' when omitted).
 */
export interface GpuBackendOptions {
  /** gpu.js mode; 'gpu' (default) lets gpu.js pick the best it can run */
  mode?: GpuMode;
  /** backend name in the registry (default 'gpu') */
  name?: string;
  /** registry priority (default -1: registered, not the default; select it with setBackend) */
  priority?: number;
  /** the gpu.js `GPU` class; imported from 'gpu.js' when omitted */
  GPU?: GpuConstructor;
}

/**
 * A registered gpu.js backend: its registry name, the mode asked for and the mode that ran, call counts
 * (GPU and CPU fallback), and `dispose()`.
 */
export interface GpuBackend {
  readonly name: string;
  /** the mode asked for */
  readonly requestedMode: GpuMode;
  /**
   * The gpu.js backend that executed the most recent kernel, read from
   * `kernel.kernel.constructor.mode` (null before the first kernel runs).
   */
  executedMode(): string | null;
  /** kernel calls so far: run by gpu.js, or sent to the fast CPU backend (float64, uncovered cases) */
  calls(): { gpu: number; cpu: number };
  /** unregisters the backend and destroys its kernels and GPU instance */
  dispose(): Promise<void>;
}

/** Kernels this package implements on the GPU (float32). */
export const GPU_KERNELS: readonly string[] = [
  ...Object.keys(UNARY_EXPR),
  ...Object.keys(BINARY_EXPR),
  'MatMul',
  'Sum',
  'Max',
  'Min',
  'Softmax',
  'LogSoftmax',
];

async function loadGpuJs(): Promise<GpuConstructor> {
  try {
    const mod = (await import('gpu.js')) as unknown as {
      GPU?: GpuConstructor;
      default?: { GPU?: GpuConstructor };
    };
    const GPU = mod.GPU ?? mod.default?.GPU;
    if (GPU) return GPU;
  } catch {
    // reported below
  }
  throw new BackendError("registerGpuBackend: the optional peer dependency 'gpu.js' is not installed");
}

/** matmul's shapes (the op validated them): batch dims broadcast, m×k · k×n. */
function matmulShapes(a: TensorData, b: TensorData, transA: boolean, transB: boolean) {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[transA ? ra - 1 : ra - 2]!;
  const k = a.shape[transA ? ra - 2 : ra - 1]!;
  const n = b.shape[transB ? rb - 2 : rb - 1]!;
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  const nd = Math.max(ba.length, bb.length);
  const batch = Array.from({ length: nd }, (_, i) => {
    const da = ba[ba.length - nd + i] ?? 1;
    const db = bb[bb.length - nd + i] ?? 1;
    return da === 1 ? db : da;
  });
  return { m, n, k, batch };
}

/**
 * Registers a backend (default name 'gpu') whose MatMul, elementwise, reduction and softmax
 * kernels run through gpu.js in float32 (`precision: 'single'`, `tactic: 'precision'`).
 * float64 inputs, and the cases a gpu.js kernel does not cover (reductions over
 * non-adjacent axes, softmax along an inner axis, more than 4 broadcast dimensions), run on
 * the fast CPU backend; kernels it lacks fall back to the reference as for every backend.
 */
export async function registerGpuBackend(opts: GpuBackendOptions = {}): Promise<GpuBackend> {
  checkObject('registerGpuBackend: options', opts);
  const requestedMode = opts.mode ?? 'gpu';
  if (typeof requestedMode !== 'string' || !MODES.includes(requestedMode))
    throw new ArgumentError(
      `registerGpuBackend: mode expected one of ${MODES.join(', ')}, got ${describeValue(requestedMode)}`,
    );
  const name = checkString('registerGpuBackend: name', opts.name ?? 'gpu');
  if (opts.priority !== undefined) checkNumber('registerGpuBackend: priority', opts.priority);
  if (opts.GPU !== undefined && typeof opts.GPU !== 'function')
    throw new ArgumentError(
      `registerGpuBackend: GPU expected the gpu.js GPU class, got ${describeValue(opts.GPU)}`,
    );
  const GPU = opts.GPU ?? (await loadGpuJs());
  let gpu: GpuInstance;
  try {
    gpu = new GPU({ mode: requestedMode });
  } catch (e) {
    throw new BackendError(
      `registerGpuBackend: gpu.js cannot run mode '${requestedMode}': ${(e as Error).message}`,
    );
  }
  const cache = new KernelCache(gpu);
  const calls = { gpu: 0, cpu: 0 };
  registerBackend({ name, priority: opts.priority ?? -1 });

  // float64 and uncovered cases go to the fast CPU kernel of the same name
  const withFallback =
    (
      kernelName: string,
      run: (inputs: readonly TensorData[], attrs: Record<string, unknown>) => TensorData | null,
    ): KernelFunc =>
    (inputs, attrs) => {
      const res = inputs.every((t) => t.dtype === 'float32') ? run(inputs, attrs) : null;
      if (res !== null) {
        calls.gpu++;
        return res;
      }
      calls.cpu++;
      return getKernel(kernelName, FAST_BACKEND)(inputs, attrs);
    };

  const kernels: Record<string, KernelFunc> = {
    ...Object.fromEntries(
      Object.keys(UNARY_EXPR).map((op) => [op, withFallback(op, ([x]) => gpuUnary(cache, op, x!))]),
    ),
    ...Object.fromEntries(
      Object.keys(BINARY_EXPR).map((op) => [op, withFallback(op, ([a, b]) => gpuBinary(cache, op, a!, b!))]),
    ),
    MatMul: withFallback('MatMul', ([a, b], attrs) => {
      const transA = Boolean(attrs.transposeA);
      const transB = Boolean(attrs.transposeB);
      const { m, n, k, batch } = matmulShapes(a!, b!, transA, transB);
      return gpuMatmul(cache, a!, b!, transA, transB, batch, m, n, k);
    }),
    ...Object.fromEntries(
      ['Sum', 'Max', 'Min'].map((op) => [
        op,
        withFallback(op, ([x], attrs) =>
          gpuReduce(cache, op, x!, attrs.axes as number[], Boolean(attrs.keepDims)),
        ),
      ]),
    ),
    Softmax: withFallback('Softmax', ([x], attrs) => gpuSoftmax(cache, x!, attrs.axis as number, false)),
    LogSoftmax: withFallback('LogSoftmax', ([x], attrs) => gpuSoftmax(cache, x!, attrs.axis as number, true)),
  };
  for (const [kernelName, kernelFunc] of Object.entries(kernels))
    registerKernel({ kernelName, backendName: name, kernelFunc });

  return {
    name,
    requestedMode,
    executedMode: () => cache.lastMode,
    calls: () => ({ ...calls }),
    dispose: async () => {
      removeBackend(name);
      cache.clear();
      await gpu.destroy();
    },
  };
}
