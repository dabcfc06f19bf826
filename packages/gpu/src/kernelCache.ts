import type { GpuInstance, GpuKernel, GpuKernelSettings } from './gpuTypes.js';

/**
 * Compiled gpu.js kernels by source and settings. Loop bounds and shapes are compiled in as
 * constants (the fastest form on every gpu.js backend), so each shape compiles once; the
 * oldest kernels are destroyed past `limit`.
 */
export class KernelCache {
  private readonly kernels = new Map<string, GpuKernel>();
  /** the mode that executed the most recently compiled kernel, read from gpu.js itself */
  lastMode: string | null = null;

  constructor(
    private readonly gpu: GpuInstance,
    private readonly limit = 128,
  ) {}

  get(source: string, settings: Omit<GpuKernelSettings, 'precision' | 'tactic'>): GpuKernel {
    const key = `${source}\u0000${JSON.stringify(settings)}`;
    let k = this.kernels.get(key);
    if (k) {
      // refresh its place in the eviction order
      this.kernels.delete(key);
      this.kernels.set(key, k);
      return k;
    }
    k = this.gpu.createKernel(source, { ...settings, precision: 'single', tactic: 'precision' });
    this.kernels.set(key, k);
    if (this.kernels.size > this.limit) {
      const [oldKey, old] = this.kernels.entries().next().value as [string, GpuKernel];
      this.kernels.delete(oldKey);
      old.destroy();
    }
    return k;
  }

  /** Records which gpu.js backend ran `k` (only known after its first call). */
  note(k: GpuKernel): void {
    const mode = (k.kernel.constructor as { mode?: unknown }).mode;
    this.lastMode = typeof mode === 'string' ? mode : null;
  }

  clear(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
  }
}

/** A 1-D kernel result as a Float32Array of exactly n entries, whatever gpu.js backend made it. */
export function readOutput(result: unknown, n: number): Float32Array {
  let arr: unknown = result;
  if (arr !== null && typeof arr === 'object' && 'toArray' in arr && typeof arr.toArray === 'function')
    arr = arr.toArray();
  const f32 = arr instanceof Float32Array ? arr : Float32Array.from(arr as ArrayLike<number>);
  return f32.length === n ? f32 : f32.slice(0, n);
}
