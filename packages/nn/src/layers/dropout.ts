import { checkNumber, type Rng } from '@tenzo/core';
import { allocate, fromTypedArray, type Tensor } from '@tenzo/tensor';
import { Module } from '../module.js';

/**
 * Inverted dropout: in training, zeroes each entry with probability p and scales the rest by
 * 1/(1−p), so evaluation is the identity. The mask comes from the module's own seeded
 * generator, so runs are reproducible.
 */
export class Dropout extends Module {
  constructor(
    readonly p: number,
    private readonly rng: Rng,
  ) {
    super();
    checkNumber('Dropout: p', p, { min: 0, lt: 1 });
  }

  /**
   * In training, x with each entry zeroed with probability p and the rest scaled by 1/(1 − p); in eval, x
   * unchanged.
   */
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = 1 - this.p;
    const mask = allocate(x.dtype, x.size);
    const scale = 1 / keep;
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() < keep ? scale : 0;
    return x.mul(fromTypedArray(mask, x.shape));
  }
}
