import { checkInt, checkRng, type Rng } from '@tenzo/core';
import { Linear, Module } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';

/**
 * The digital low-rank control of a device feed-forward slot (DeviceFfn): x ↦ W₂ W₁ x with
 * W₁: r×d, W₂: d×r (no biases), a rank-r d → d linear map with the surrogate's rank — what a
 * device's rank-r surrogate could express if it were trained directly. x: [..., d] → [..., d].
 * W₁ then W₂ draw from `rng`.
 */
export class LowRankFfn extends Module {
  readonly down: Linear;
  readonly up: Linear;

  constructor(d: number, rank: number, rng: Rng) {
    super();
    checkInt('LowRankFfn: d', d, { positive: true });
    checkInt('LowRankFfn: rank', rank, { positive: true, max: d });
    checkRng('LowRankFfn: rng', rng);
    this.down = this.registerModule('down', new Linear(d, rank, rng, { bias: false }));
    this.up = this.registerModule('up', new Linear(rank, d, rng, { bias: false }));
  }

  /** x: [..., d] → W₂W₁x: [..., d]. */
  forward(x: Tensor): Tensor {
    return this.up.forward(this.down.forward(x));
  }
}
