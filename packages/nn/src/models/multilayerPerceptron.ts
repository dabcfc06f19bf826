import { checkArray, checkInt, checkNumber, checkObject, type Rng } from '@tenzo/core';
import { ReLU } from '../layers/activation.js';
import { Dropout } from '../layers/dropout.js';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../layers/sequential.js';
import type { Layer } from '../module.js';

/**
 * The shape of `multilayerPerceptron`: input width, hidden widths (input side first), output width and
 * dropout.
 */
export interface MultilayerPerceptronSpec {
  inputs: number;
  /** the hidden widths, input side first (none: a linear model) */
  hidden: readonly number[];
  outputs: number;
  /** dropout after each hidden ReLU (0: none) */
  dropout: number;
}

/**
 * A multilayer perceptron, x: [B, inputs] → [B, outputs]:
 * [Linear → ReLU → Dropout] per hidden width, then Linear. Not the transformer's position-wise
 * `MLP` block (GELU, one hidden layer). The Linears draw from `initRng` in order (weight, bias,
 * input side first); `dropoutRng` drives every dropout mask (keep it to checkpoint and resume).
 * Parameters are named as PyTorch's nn.Sequential names them ("0.weight", "0.bias", "3.weight", …).
 *
 * ```ts
 * const net = multilayerPerceptron({ inputs: 784, hidden: [512, 256], outputs: 10, dropout: 0.2 }, rng.fork(), rng.fork());
 * net.forward(x); // x: [B, 784] → logits [B, 10]
 * ```
 */
export function multilayerPerceptron(
  spec: MultilayerPerceptronSpec,
  initRng: Rng,
  dropoutRng: Rng,
): Sequential {
  checkObject('multilayerPerceptron: spec', spec);
  checkArray('multilayerPerceptron: hidden', spec.hidden);
  checkInt('multilayerPerceptron: inputs', spec.inputs, { positive: true });
  spec.hidden.forEach((h, i) => {
    checkInt(`multilayerPerceptron: hidden[${i}]`, h, { positive: true });
  });
  checkInt('multilayerPerceptron: outputs', spec.outputs, { positive: true });
  checkNumber('multilayerPerceptron: dropout', spec.dropout, { min: 0, lt: 1 });
  const layers: Layer[] = [];
  let width = spec.inputs;
  for (const h of spec.hidden) {
    layers.push(new Linear(width, h, initRng), new ReLU());
    if (spec.dropout > 0) layers.push(new Dropout(spec.dropout, dropoutRng));
    width = h;
  }
  layers.push(new Linear(width, spec.outputs, initRng));
  return new Sequential(...layers);
}
