import { checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import { type DType, gather, type Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { normalParam } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';

/** Options of `Embedding`: the dtype and the standard deviation of the N(0, std²) initialisation. */
export interface EmbeddingOptions {
  dtype?: DType;
  /** standard deviation of the N(0, std²) initialisation (GPT-2 uses 0.02) */
  std?: number;
}

/**
 * Lookup table: ids [...] (integer-valued tensor) → vectors [..., dim]. weight: [numEmbeddings, dim].
 * The lookup is `gather` on axis 0, whose backward is a scatter-add, so repeated ids accumulate
 * their gradients. `weight` can be shared with an output projection (weight tying, Press & Wolf 2017).
 */
export class Embedding extends Module {
  readonly weight: Parameter;

  constructor(
    readonly numEmbeddings: number,
    readonly dim: number,
    rng: Rng,
    opts: EmbeddingOptions = {},
  ) {
    super();
    checkInt('Embedding: numEmbeddings', numEmbeddings, { positive: true });
    checkInt('Embedding: dim', dim, { positive: true });
    this.weight = this.registerParameter(
      'weight',
      normalParam([numEmbeddings, dim], opts.std ?? 0.02, rng, opts.dtype ?? 'float32'),
    );
  }

  /** ids: any shape of integers in [0, numEmbeddings) → [...ids.shape, dim]. */
  forward(ids: Tensor): Tensor {
    checkInput('Embedding.forward', ids);
    if (ids.ndim === 0)
      throw new ShapeError(`Embedding: ids expected at least 1 dimension, got ${formatShape(ids.shape)}`);
    return gather(this.weight, ids.data, 0).reshape([...ids.shape, this.dim]);
  }
}
