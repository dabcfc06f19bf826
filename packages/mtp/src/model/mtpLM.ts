import type { Rng } from '@tenzo/core';
import { GPT, type KVCache, Module, type TransformerConfig } from '@tenzo/nn';
import { noGrad, Tensor } from '@tenzo/tensor';
import { CPHeads, type CPHeadsConfig } from '../heads/cpHeads.js';
import {
  type CPLossOptions,
  type CPLossResult,
  cpLoss,
  windowInputs,
  windowTargets,
} from '../losses/cpLoss.js';

export interface MtpLMConfig extends TransformerConfig {
  /** future tokens predicted per position */
  n: number;
  /** CP rank */
  rank: number;
  map?: CPHeadsConfig['map'];
}

/**
 * A GPT trunk with CP multi-token heads on its final hidden state, sharing the trunk's (tied)
 * unembedding. The model's next-token distribution is the CP marginal Σ_α w_α P^{(1)}_α; it is
 * what plain autoregressive decoding samples and what speculative decoding must reproduce.
 * State-dict paths: trunk.*, heads.*.
 */
export class MtpLM extends Module {
  readonly trunk: GPT;
  readonly heads: CPHeads;

  constructor(
    readonly config: MtpLMConfig,
    rng: Rng,
  ) {
    super();
    this.trunk = this.registerModule('trunk', new GPT(config, rng));
    this.heads = this.registerModule(
      'heads',
      new CPHeads(
        {
          dModel: config.dModel,
          vocabSize: config.vocabSize,
          n: config.n,
          rank: config.rank,
          ...(config.map ? { map: config.map } : {}),
          ...(config.dtype ? { dtype: config.dtype } : {}),
        },
        rng,
      ),
    );
    this.heads.bindUnembedding(this.trunk.unembedding);
  }

  /** ids [B, T] → e [B·T, dModel]. */
  states(ids: Tensor, cache?: KVCache): Tensor {
    const h = this.trunk.hidden(ids, cache);
    return h.reshape([h.shape[0]! * h.shape[1]!, this.config.dModel]);
  }

  /**
   * CP loss on LM windows [B, T + n] (row-major token ids). With `frozenTrunk` the trunk runs
   * without recording a graph (heads-only training on a trained model).
   */
  windowLoss(
    windows: ArrayLike<number>,
    b: number,
    t: number,
    opts: CPLossOptions & { frozenTrunk?: boolean } = {},
  ): CPLossResult {
    const n = this.config.n;
    const ids0 = new Tensor(windowInputs(windows, b, t, n), [b, t], 'float32');
    const ids = this.config.dtype === 'float64' ? ids0.cast('float64') : ids0;
    const e = opts.frozenTrunk ? noGrad(() => this.states(ids)) : this.states(ids);
    return cpLoss(this.heads, e, windowTargets(windows, b, t, n), opts);
  }

  forward(ids: Tensor): Tensor {
    return this.heads.forward(this.states(ids));
  }
}
