import type { Rng } from '@tenzo/core';
import { Dropout, type Layer, Linear, ReLU, Sequential } from '@tenzo/nn';

export interface MlpSpec {
  inputs: number;
  hidden: readonly number[];
  outputs: number;
  dropout: number;
}

/**
 * inputs → [Linear → ReLU → Dropout] per hidden width → Linear → outputs.
 * `dropoutRng` drives every dropout mask (its state goes into checkpoints).
 */
export function buildMlp(spec: MlpSpec, initRng: Rng, dropoutRng: Rng): Sequential {
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
