/**
 * The part of gpu.js's API this package uses, typed structurally so that the published types
 * do not depend on gpu.js (an optional peer dependency) being installed.
 */
export interface GpuKernelSettings {
  output: number[];
  constants?: Record<string, number>;
  precision?: 'single' | 'unsigned';
  tactic?: 'speed' | 'balanced' | 'precision';
  pipeline?: boolean;
  immutable?: boolean;
  loopMaxIterations?: number;
}

/** A texture (GL) or, on cpu/webasm, a typed array: what a `pipeline: true` kernel returns. */
export interface GpuTexture {
  /** Copies the texture's values back to the CPU (Float32Arrays shaped like the kernel's output). */
  toArray(): unknown;
  /** Frees the texture's GPU memory. */
  delete(): void;
}

/** An argument of a gpu.js kernel: a Float32Array, or a texture a pipelined kernel returned. */
export type GpuArg = Float32Array | GpuTexture;

/**
 * The function gpu.js's createKernel returns. Its `kernel` is the backend kernel instance;
 * `kernel.constructor.mode` (a static on gpu.js's kernel classes, not in its typings) names the
 * backend that executed.
 */
export interface GpuKernel {
  (...args: GpuArg[]): unknown;
  readonly kernel: object;
  /** Frees the kernel's GPU resources. */
  destroy(removeCanvasReferences?: boolean): void;
}

/** The parts of a gpu.js `GPU` instance the backend uses: its mode, `createKernel` and `destroy`. */
export interface GpuInstance {
  readonly mode?: string;
  /**
   * Compiles a kernel from its JavaScript source with the given settings (output size, pipeline, precision
   * …).
   */
  createKernel(source: string, settings: GpuKernelSettings): GpuKernel;
  /** Frees every kernel and the GL context of this instance. */
  destroy(): Promise<void> | void;
}

/** gpu.js modes a synchronous kernel can run on ('webgpu' and 'async' return Promises). */
export type GpuMode = 'gpu' | 'webgl' | 'webgl2' | 'headlessgl' | 'webasm' | 'cpu';

/** The shape of gpu.js's `GPU` class that the backend uses: constructed with a mode. */
export interface GpuConstructor {
  new (settings: { mode: GpuMode }): GpuInstance;
}
