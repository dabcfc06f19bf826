import { ArgumentError, describeValue } from '@tenzo/core';
import type { Tensor } from '@tenzo/tensor';
import { type Layer, Module } from '../module.js';

/** Applies modules in order; they are registered as "0", "1", … (PyTorch's naming). */
export class Sequential extends Module {
  readonly layers: readonly Layer[];

  constructor(...layers: Layer[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module) || typeof (m as Partial<Layer>).forward !== 'function')
        throw new ArgumentError(
          `Sequential: layers[${i}] expected a Module with forward(x), got ${describeValue(m)}`,
        );
    });
    this.layers = layers;
    layers.forEach((m, i) => {
      this.registerModule(String(i), m);
    });
  }

  /** x through every module in order. */
  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
}
