import type { Rng } from '@tenzo/core';
import type { DType, Tensor } from '@tenzo/tensor';
import { Module } from '../module.js';
import { Linear } from './linear.js';

/** Position-wise feed-forward block: fc (d → hidden), GELU, proj (hidden → d). x: [..., d] → [..., d]. */
export class MLP extends Module {
  readonly fc: Linear;
  readonly proj: Linear;

  constructor(dim: number, hidden: number, rng: Rng, opts: { dtype?: DType; bias?: boolean } = {}) {
    super();
    const lin = { bias: opts.bias ?? true, dtype: opts.dtype ?? 'float32' } as const;
    this.fc = this.registerModule('fc', new Linear(dim, hidden, rng, lin));
    this.proj = this.registerModule('proj', new Linear(hidden, dim, rng, lin));
  }

  /** x: [..., d] → proj(gelu(fc(x))): [..., d]. */
  forward(x: Tensor): Tensor {
    return this.proj.forward(this.fc.forward(x).gelu({ approximate: 'tanh' }));
  }
}
