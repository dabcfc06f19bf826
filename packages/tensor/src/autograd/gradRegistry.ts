import { defaultGradients } from '../gradients/index.js';
import type { Attrs } from '../kernelRegistry.js';
import { sharedTensorState } from '../sharedState.js';
import type { Tensor } from '../tensor.js';

export interface GradContext {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: Attrs;
}

/** Gradient of a kernel: dy (shape of the output) → one gradient per input (or null). */
export type GradFunc = (dy: Tensor, ctx: GradContext) => readonly (Tensor | null | undefined)[];

export interface GradConfig {
  kernelName: string;
  gradFunc: GradFunc;
}

// shared by every loaded copy of the package (sharedState.ts)
const registered = sharedTensorState().gradients;

/**
 * Registers (or overrides) the gradient of a kernel. Gradients are written with ops, so they
 * run on whatever backend is active and are kept apart from the kernels themselves.
 */
export function registerGradient(config: GradConfig): void {
  registered.set(config.kernelName, config.gradFunc);
}

export function getGradient(kernelName: string): GradFunc | undefined {
  return registered.get(kernelName) ?? defaultGradients[kernelName];
}
