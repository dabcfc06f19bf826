import { type GpuBackend, registerGpuBackend } from '@tenzo/gpu';
import { FAST_BACKEND, REFERENCE_BACKEND, withBackend } from '@tenzo/tensor';

let gpu: Promise<GpuBackend> | null = null;

/** The @tenzo/gpu backend in gpu.js's automatic mode (the best this machine can run), once. */
export function tenzoGpu(): Promise<GpuBackend> {
  gpu ??= registerGpuBackend({ mode: 'gpu', name: 'gpu' });
  return gpu;
}

/** The row name of a gpu measurement: the gpu.js mode that actually executed. */
export function gpuImpl(backend: GpuBackend): string {
  return `tenzo-gpu (${backend.executedMode() ?? backend.requestedMode})`;
}

/** The gpu implementation's name while it is measured: the mode it ran in is known only afterwards. */
export const GPU_PENDING = 'tenzo-gpu';

/** A row's final implementation name: GPU_PENDING becomes {@link gpuImpl}. */
export const withGpuMode =
  (backend: GpuBackend) =>
  <R extends { impl: string }>(row: R): R =>
    row.impl === GPU_PENDING ? { ...row, impl: gpuImpl(backend) } : row;

/** tenzo's CPU backends as bench implementations: the oracle and the default fast one. */
export const TENZO_CPU = [
  { impl: 'tenzo-reference', backend: REFERENCE_BACKEND },
  { impl: 'tenzo-fast', backend: FAST_BACKEND },
] as const;

/** Runs `fn` on tenzo backend `name`: for measure() calls. */
export const onBackend =
  <T>(name: string, fn: () => T) =>
  () =>
    withBackend(name, fn);
