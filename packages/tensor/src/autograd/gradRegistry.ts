import { defaultGradients } from '../gradients/index.js';
import type { Attrs } from '../kernelRegistry.js';
import { sharedTensorState } from '../sharedState.js';
import type { Tensor } from '../tensor.js';

/** What a kernel's gradient function receives: the kernel's inputs, its output and its attributes. */
export interface GradContext {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: Attrs;
}

/** Gradient of a kernel: dy (shape of the output) → one gradient per input (or null). */
export type GradFunc = (dy: Tensor, ctx: GradContext) => readonly (Tensor | null | undefined)[];

/**
 * A kernel's gradient for `registerGradient`: the kernel name and the function that maps the output's
 * gradient to the inputs' gradients.
 */
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

/**
 * The gradient function of a kernel: a registered one, else the built-in one, else undefined (the kernel
 * is not differentiable).
 */
export function getGradient(kernelName: string): GradFunc | undefined {
  return registered.get(kernelName) ?? defaultGradients[kernelName];
}
