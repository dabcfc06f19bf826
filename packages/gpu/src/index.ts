export {
  GPU_KERNELS,
  type GpuBackend,
  type GpuBackendOptions,
  registerGpuBackend,
} from './backend.js';
export type { GpuConstructor, GpuInstance, GpuKernel, GpuKernelSettings, GpuMode } from './gpuTypes.js';
