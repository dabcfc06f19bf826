import type { Tensor } from '@tenzo/tensor';
import { Module } from '../module.js';

export class ReLU extends Module {
  /** Elementwise max(x, 0), any shape. */
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  /** Elementwise GELU, any shape. */
  forward(x: Tensor): Tensor {
    return x.gelu({ approximate: this.approximate });
  }
}

export class Tanh extends Module {
  /** Elementwise tanh, any shape. */
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

export class Sigmoid extends Module {
  /** Elementwise logistic sigmoid, any shape. */
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

export class Identity extends Module {
  /** x unchanged. */
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flattens all dimensions after the batch dimension. */
export class Flatten extends Module {
  /** x: [B, ...] → [B, product of the rest]. */
  forward(x: Tensor): Tensor {
    return x.flatten(1);
  }
}
