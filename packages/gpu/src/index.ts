export {
  GPU_KERNELS,
  type GpuBackend,
  type GpuBackendOptions,
  registerGpuBackend,
} from './backend.js';
export type {
  GpuArg,
  GpuConstructor,
  GpuInstance,
  GpuKernel,
  GpuKernelSettings,
  GpuMode,
  GpuTexture,
} from './gpuTypes.js';
