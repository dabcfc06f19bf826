import { checkNumber } from '@tenzo/core';
import type { Tensor, TypedArray } from '@tenzo/tensor';
import { Optimizer } from './optimizer.js';

/**
 * Options of `SGD`: learning rate, momentum, dampening, Nesterov momentum and L2 weight decay (PyTorch's
 * semantics).
 */
export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient */
  weightDecay?: number;
}

/** Stochastic gradient descent with heavy-ball or Nesterov momentum (PyTorch's update rule). */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(params: readonly Tensor[], opts: SGDOptions, names?: readonly string[]) {
    super(params, opts.lr, names);
    this.momentum = checkNumber('SGD: momentum', opts.momentum ?? 0, { min: 0, lt: 1 });
    this.dampening = checkNumber('SGD: dampening', opts.dampening ?? 0, { min: 0, max: 1 });
    this.weightDecay = checkNumber('SGD: weightDecay', opts.weightDecay ?? 0, { min: 0 });
    this.nesterov = opts.nesterov ?? false;
  }

  protected get kind(): string {
    return 'sgd';
  }

  protected update(p: TypedArray, g: TypedArray, index: number): void {
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = this;
    if (mu === 0) {
      for (let k = 0; k < p.length; k++) p[k]! -= lr * (g[k]! + wd * p[k]!);
      return;
    }
    const v = this.slot('momentum_buffer', index);
    const first = this.stepCount === 1;
    for (let k = 0; k < p.length; k++) {
      const gk = g[k]! + wd * p[k]!;
      const vk = first ? gk : mu * v[k]! + (1 - dampening) * gk;
      v[k] = vk;
      p[k]! -= lr * (nesterov ? gk + mu * vk : vk);
    }
  }
}
