import { BackendError } from '@tenzo/core';
import { isGradEnabled } from './autograd/gradMode.js';
import { getGradient } from './autograd/gradRegistry.js';
import type { GradNode } from './autograd/node.js';
import { type Attrs, getKernel } from './kernelRegistry.js';
import { Tensor } from './tensor.js';
import type { TensorData } from './tensorData.js';

const EMPTY: Attrs = Object.freeze({});

/**
 * Dispatches `kernelName` to the active backend and, when recording, attaches the kernel's
 * registered gradient. Op front-ends validate their arguments before calling this.
 */
export function runKernel(kernelName: string, inputs: readonly Tensor[], attrs: Attrs = EMPTY): Tensor {
  const kernel = getKernel(kernelName);
  const result: TensorData = kernel(inputs, attrs);
  const output = new Tensor(result.data, result.shape, result.dtype);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    const gradFunc = getGradient(kernelName);
    if (gradFunc === undefined) {
      throw new BackendError(
        `no gradient registered for kernel '${kernelName}' (its output is used with requiresGrad inputs)`,
      );
    }
    attachNode(output, {
      name: kernelName,
      inputs,
      backward: (dy) => gradFunc(dy, { inputs, output, attrs }),
    });
  }
  return output;
}

/** Makes `output` a non-leaf of the graph: used by kernels and by view ops such as reshape. */
export function attachNode(output: Tensor, node: GradNode): Tensor {
  output.node = node;
  output.requiresGrad = true;
  return output;
}

/**
 * Records an op computed outside the kernel registry — for example a physical device queried
 * asynchronously — so that autograd can differentiate through it with the given backward.
 * Does nothing when recording is off or no input requires grad.
 */
export function recordOp(
  name: string,
  output: Tensor,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null | undefined)[],
): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) attachNode(output, { name, inputs, backward });
  return output;
}
