import { BackendError } from '@tenzo/core';
import type { GradFunc } from './autograd/gradRegistry.js';
import { FAST_BACKEND, fastKernels } from './backends/fast/index.js';
import { referenceKernels } from './backends/reference/index.js';
import type { KernelFunc } from './kernelRegistry.js';

/**
 * The state every loaded copy of @tenzo/tensor shares through `globalThis`: the kernel registry,
 * the active backend, registered gradients, the no-grad depth and tensor ids. A user whose
 * dependency tree holds two copies (versions that skew, ESM beside CommonJS) then has one registry
 * — `setBackend` and `registerKernel` reach both, and a tensor of one copy is a `Tensor` to the
 * other (see TENSOR_BRAND) — as long as the copies agree on the tensor's layout; copies that do
 * not fail when loaded, with a message naming both, instead of mixing silently.
 */
export interface SharedTensorState {
  /** version of the Tensor's internal layout and of this state's shape */
  readonly layout: number;
  /** package version of the copy that created the state */
  readonly version: string;
  readonly kernels: Map<string, Map<string, KernelFunc>>;
  readonly backends: Map<string, { name: string; priority: number }>;
  active: string | null;
  readonly gradients: Map<string, GradFunc>;
  gradDisabledDepth: number;
  nextTensorId: number;
}

/** Bumped whenever Tensor's fields or this state change incompatibly. */
export const TENSOR_LAYOUT = 1;
/** this copy's package version (kept in step with package.json by a test) */
export const TENSOR_PACKAGE_VERSION = '0.1.0';

const KEY = Symbol.for('@tenzo/tensor/state');

/** The backend that implements every kernel (the oracle the others fall back to). */
export const REFERENCE_BACKEND = 'reference';

// The reference and fast backends are static tables, not side effects of importing a module,
// so that tree-shaking (`sideEffects: false`) can never drop them. The fast backend has the
// higher priority and is therefore the default; `setBackend('reference')` selects the oracle.
function builtinBackends(): Pick<SharedTensorState, 'kernels' | 'backends'> {
  return {
    kernels: new Map<string, Map<string, KernelFunc>>([
      [REFERENCE_BACKEND, new Map(Object.entries(referenceKernels))],
      [FAST_BACKEND, new Map(Object.entries(fastKernels))],
    ]),
    backends: new Map([
      [REFERENCE_BACKEND, { name: REFERENCE_BACKEND, priority: 0 }],
      [FAST_BACKEND, { name: FAST_BACKEND, priority: 1 }],
    ]),
  };
}

/**
 * The shared state, created by the first copy loaded (with its built-in backends). A later copy
 * of another layout throws a BackendError.
 */
export function sharedTensorState(): SharedTensorState {
  const g = globalThis as unknown as Record<symbol, SharedTensorState | undefined>;
  const existing = g[KEY];
  if (existing !== undefined) {
    if (existing.layout !== TENSOR_LAYOUT)
      throw new BackendError(
        `@tenzo/tensor ${TENSOR_PACKAGE_VERSION} (tensor layout ${TENSOR_LAYOUT}) is loaded beside @tenzo/tensor ${existing.version} (layout ${existing.layout}), and the two cannot share tensors: install one version (npm dedupe, or pin @tenzo/tensor in your package.json)`,
      );
    return existing;
  }
  const state: SharedTensorState = {
    layout: TENSOR_LAYOUT,
    version: TENSOR_PACKAGE_VERSION,
    ...builtinBackends(),
    active: null,
    gradients: new Map(),
    gradDisabledDepth: 0,
    nextTensorId: 0,
  };
  Object.defineProperty(globalThis, KEY, {
    value: state,
    configurable: true,
    enumerable: false,
    writable: false,
  });
  return state;
}

/** Marks tensors of every copy of this layout; `instanceof Tensor` checks it rather than the class. */
export const TENSOR_BRAND: unique symbol = Symbol.for('@tenzo/tensor/Tensor@1') as never;
