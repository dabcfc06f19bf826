import { ArgumentError, BackendError } from '@tenzo/core';
import { REFERENCE_BACKEND, sharedTensorState } from './sharedState.js';
import type { TensorData } from './tensorData.js';

/** Attributes of a kernel call (axes, perm, transpose flags, ...): plain JSON-like data. */
export type Attrs = Readonly<Record<string, unknown>>;

/** A kernel computes one op on one backend: inputs are read-only, the output is new. */
export type KernelFunc = (inputs: readonly TensorData[], attrs: Attrs) => TensorData;

/**
 * A kernel implementation for `registerKernel`: the kernel's name, the backend it belongs to and the
 * function that computes it.
 */
export interface KernelConfig {
  kernelName: string;
  backendName: string;
  kernelFunc: KernelFunc;
}

/**
 * A backend for `registerBackend`: its name and its priority (higher wins when the default backend is
 * chosen).
 */
export interface BackendConfig {
  name: string;
  /** higher wins when choosing the default backend */
  priority?: number;
}

/**
 * The kernel registry, after tfjs's: ops dispatch by kernel name to the active backend.
 * The `reference` backend implements every kernel; another backend may register a subset,
 * and kernels it lacks fall back to the reference (so a new backend can be added op by op and
 * checked against the reference).
 */
export { REFERENCE_BACKEND };

// shared by every loaded copy of the package (sharedState.ts)
const state = sharedTensorState();
const { kernels, backends } = state;

/**
 * Registers (or re-registers) a backend by name and priority; its kernels come with `registerKernel`.
 * @throws ArgumentError when the name is empty
 */
export function registerBackend(config: BackendConfig): void {
  if (!config.name) throw new ArgumentError('registerBackend: name expected a non-empty string');
  backends.set(config.name, { name: config.name, priority: config.priority ?? 0 });
  if (!kernels.has(config.name)) kernels.set(config.name, new Map());
}

/**
 * Registers a kernel implementation for a backend (registering the backend, at priority 0, if it is new);
 * a later registration replaces an earlier one.
 */
export function registerKernel(config: KernelConfig): void {
  if (!backends.has(config.backendName)) registerBackend({ name: config.backendName });
  kernels.get(config.backendName)!.set(config.kernelName, config.kernelFunc);
}

/** Removes a backend's implementation of a kernel (nothing happens when it has none). */
export function unregisterKernel(kernelName: string, backendName: string): void {
  kernels.get(backendName)?.delete(kernelName);
}

/** Removes a backend and its kernels (the reference backend cannot be removed). */
export function removeBackend(name: string): void {
  if (name === REFERENCE_BACKEND)
    throw new ArgumentError(`removeBackend: cannot remove the '${REFERENCE_BACKEND}' backend`);
  backends.delete(name);
  kernels.delete(name);
  if (state.active === name) state.active = null;
}

/** The names of the registered backends, highest priority first. */
export function listBackends(): string[] {
  return [...backends.values()].sort((a, b) => b.priority - a.priority).map((b) => b.name);
}

/** The names of the kernels a backend registers, sorted (empty for an unknown backend). */
export function listKernels(backendName: string): string[] {
  return [...(kernels.get(backendName)?.keys() ?? [])].sort();
}

/** Selects the backend that ops dispatch to. */
export function setBackend(name: string): void {
  if (!backends.has(name)) {
    throw new BackendError(`setBackend: backend expected one of ${listBackends().join(', ')}, got '${name}'`);
  }
  state.active = name;
}

/** The active backend: the one set, or the registered backend of highest priority. */
export function getBackend(): string {
  if (state.active !== null) return state.active;
  return listBackends()[0] ?? REFERENCE_BACKEND;
}

/** Finds the kernel for `kernelName` on `backendName` (default: active), falling back to the reference. */
export function getKernel(kernelName: string, backendName: string = getBackend()): KernelFunc {
  const k = kernels.get(backendName)?.get(kernelName) ?? kernels.get(REFERENCE_BACKEND)?.get(kernelName);
  if (!k)
    throw new BackendError(
      `kernel '${kernelName}' is not registered for backend '${backendName}' nor '${REFERENCE_BACKEND}'`,
    );
  return k;
}

/** Which backend would actually run `kernelName` now (after fallback). */
export function resolveKernelBackend(kernelName: string, backendName: string = getBackend()): string {
  return kernels.get(backendName)?.has(kernelName) ? backendName : REFERENCE_BACKEND;
}

/** Runs `fn` with `backendName` active, restoring the previous choice afterwards. */
export function withBackend<T>(backendName: string, fn: () => T): T {
  const prev = state.active;
  setBackend(backendName);
  try {
    return fn();
  } finally {
    state.active = prev;
  }
}
