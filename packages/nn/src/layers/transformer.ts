import {
  ArgumentError,
  checkInt,
  checkOneOf,
  describeValue,
  formatShape,
  OutOfRangeError,
  type Rng,
  ShapeError,
  StateError,
} from '@tenzo/core';
import { arange, type DType, Tensor } from '@tenzo/tensor';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { CausalSelfAttention } from './attention.js';
import { Embedding } from './embedding.js';
import type { KVCache, LayerKVCache } from './kvCache.js';
import { LayerNorm } from './layerNorm.js';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { RMSNorm } from './rmsNorm.js';
import { RotaryEmbedding } from './rotary.js';

/**
 * A GPT-style decoder: vocabulary size, longest sequence, width, layers and heads, the MLP's width ratio,
 * learned or rotary positions, LayerNorm or RMSNorm, tied input/output embeddings and the dtype.
 */
export interface TransformerConfig {
  vocabSize: number;
  /** longest sequence (cached + new tokens) the model accepts */
  maxSeqLen: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** MLP hidden width = mlpRatio · dModel (default 4) */
  mlpRatio?: number;
  /** 'learned' absolute embeddings (GPT-2) or 'rotary' (RoPE in every attention layer) */
  position?: 'learned' | 'rotary';
  norm?: 'layer' | 'rms';
  /** share the token embedding with the output projection (default true) */
  tieWeights?: boolean;
  dtype?: DType;
}

/** The normalisation layers of a transformer block: `LayerNorm` or `RMSNorm` (`TransformerConfig.norm`). */
export type Norm = LayerNorm | RMSNorm;

/**
 * What fills a block's feed-forward slot: a position-wise map x: [B, T, d] → [B, T, d]. It may
 * answer asynchronously (a physical device awaits its hardware); such blocks run through
 * `forwardAsync`. The default is the MLP; `null` removes the sub-layer (the block keeps attention).
 */
export type FeedForward = Module & {
  /** x: [B, T, d] → [B, T, d]; a device-backed module may answer asynchronously */
  forward(x: Tensor): Tensor | Promise<Tensor>;
};

/**
 * Per block (0-based `layer` of `nLayers`): the feed-forward module to use instead of the MLP,
 * `null` to remove it, or `undefined` for the default MLP.
 */
export type FeedForwardFactory = (layer: number, dModel: number) => FeedForward | null | undefined;

function makeNorm(kind: 'layer' | 'rms', dim: number, dtype: DType): Norm {
  return kind === 'layer' ? new LayerNorm(dim, { dtype }) : new RMSNorm(dim, { dtype });
}

/**
 * Pre-norm decoder block: x + attn(norm₁(x)), then x + mlp(norm₂(x)). x: [B, T, d] → [B, T, d].
 * The feed-forward slot `mlp` holds an MLP unless `opts.ffn` gives another module (or `null`:
 * no feed-forward sub-layer, and no norm₂).
 */
export class TransformerBlock extends Module {
  readonly norm1: Norm;
  readonly attn: CausalSelfAttention;
  readonly norm2: Norm | null;
  readonly mlp: FeedForward | null;

  constructor(
    dModel: number,
    nHeads: number,
    rng: Rng,
    opts: {
      mlpRatio?: number;
      norm?: 'layer' | 'rms';
      rotary?: RotaryEmbedding;
      dtype?: DType;
      ffn?: FeedForward | null;
    } = {},
  ) {
    super();
    const dtype = opts.dtype ?? 'float32';
    const norm = opts.norm ?? 'layer';
    this.norm1 = this.registerModule('norm1', makeNorm(norm, dModel, dtype));
    this.attn = this.registerModule(
      'attn',
      new CausalSelfAttention(dModel, nHeads, rng, {
        dtype,
        ...(opts.rotary ? { rotary: opts.rotary } : {}),
      }),
    );
    if (opts.ffn === null) {
      this.norm2 = null;
      this.mlp = null;
    } else {
      this.norm2 = this.registerModule('norm2', makeNorm(norm, dModel, dtype));
      this.mlp = this.registerModule(
        'mlp',
        opts.ffn ?? new MLP(dModel, Math.round((opts.mlpRatio ?? 4) * dModel), rng, { dtype }),
      );
    }
  }

  /** Synchronous path; throws a StateError if the feed-forward module answers asynchronously. */
  forward(x: Tensor, cache?: LayerKVCache): Tensor {
    const h = x.add(this.attn.forward(this.norm1.forward(x), cache));
    if (this.mlp === null) return h;
    const y = this.mlp.forward(this.norm2!.forward(h));
    if (y instanceof Promise) {
      y.catch(() => undefined); // its failure, if any, is not the caller's concern here
      throw new StateError(
        'TransformerBlock: the feed-forward module answers asynchronously; use forwardAsync',
      );
    }
    return h.add(y);
  }

  /** The same block with an awaited feed-forward module (e.g. a physical device). */
  async forwardAsync(x: Tensor, cache?: LayerKVCache): Promise<Tensor> {
    const h = x.add(this.attn.forward(this.norm1.forward(x), cache));
    if (this.mlp === null) return h;
    return h.add(await this.mlp.forward(this.norm2!.forward(h)));
  }
}

/**
 * GPT-style decoder-only language model (Radford et al. 2019): token (+ learned position)
 * embedding, pre-norm blocks, final norm, and an unembedding tied to the token embedding by
 * default. ids: [B, T] integer tensor → logits [B, T, vocabSize]. `hidden` exposes the final
 * normalised states e_t that multi-token heads read, and `unembed` the shared output map.
 */
export class GPT extends Module {
  readonly config: Required<TransformerConfig>;
  readonly tokEmb: Embedding;
  readonly posEmb: Embedding | null;
  readonly blocks: TransformerBlock[];
  readonly normF: Norm;
  readonly lmHead: Linear | null;

  /**
   * `opts.ffn` replaces the feed-forward module of chosen blocks (see FeedForwardFactory); blocks
   * whose module answers asynchronously need `forwardAsync`/`hiddenAsync`.
   */
  constructor(config: TransformerConfig, rng: Rng, opts: { ffn?: FeedForwardFactory } = {}) {
    super();
    const c: Required<TransformerConfig> = {
      mlpRatio: 4,
      position: 'learned',
      norm: 'layer',
      tieWeights: true,
      dtype: 'float32',
      ...config,
    };
    checkInt('GPT: vocabSize', c.vocabSize, { positive: true });
    checkInt('GPT: maxSeqLen', c.maxSeqLen, { positive: true });
    checkInt('GPT: nLayers', c.nLayers, { positive: true });
    checkOneOf('GPT: position', c.position, ['learned', 'rotary'] as const);
    checkOneOf('GPT: norm', c.norm, ['layer', 'rms'] as const);
    this.config = c;
    const dtype = c.dtype;
    this.tokEmb = this.registerModule('tokEmb', new Embedding(c.vocabSize, c.dModel, rng, { dtype }));
    this.posEmb =
      c.position === 'learned'
        ? this.registerModule('posEmb', new Embedding(c.maxSeqLen, c.dModel, rng, { dtype }))
        : null;
    const rotary =
      c.position === 'rotary' ? new RotaryEmbedding(c.dModel / c.nHeads, c.maxSeqLen, { dtype }) : undefined;
    this.blocks = Array.from({ length: c.nLayers }, (_, i) => {
      const ffn = opts.ffn?.(i, c.dModel);
      return this.registerModule(
        `block${i}`,
        new TransformerBlock(c.dModel, c.nHeads, rng, {
          mlpRatio: c.mlpRatio,
          norm: c.norm,
          dtype,
          ...(rotary ? { rotary } : {}),
          ...(ffn !== undefined ? { ffn } : {}),
        }),
      );
    });
    this.normF = this.registerModule('normF', makeNorm(c.norm, c.dModel, dtype));
    this.lmHead = c.tieWeights
      ? null
      : this.registerModule('lmHead', new Linear(c.dModel, c.vocabSize, rng, { bias: false, dtype }));
  }

  /** Output projection weight [vocabSize, dModel] (the token embedding when tied). */
  get unembedding(): Parameter {
    return this.lmHead ? this.lmHead.weight : this.tokEmb.weight;
  }

  /** ids: [B, T] → final normalised hidden states [B, T, dModel]; with a cache, ids are the newest T tokens. */
  hidden(ids: Tensor, cache?: KVCache): Tensor {
    let x = this.embed(ids, cache);
    this.blocks.forEach((blk, i) => {
      x = blk.forward(x, cache?.layer(i));
    });
    return this.normF.forward(x);
  }

  /** `hidden` for models with an asynchronous feed-forward module (awaited block by block). */
  async hiddenAsync(ids: Tensor, cache?: KVCache): Promise<Tensor> {
    let x = this.embed(ids, cache);
    for (let i = 0; i < this.blocks.length; i++) x = await this.blocks[i]!.forwardAsync(x, cache?.layer(i));
    return this.normF.forward(x);
  }

  /** Token (+ position) embedding of ids: [B, T] after checking lengths and the cache → [B, T, dModel]. */
  private embed(ids: Tensor, cache?: KVCache): Tensor {
    if (!(ids instanceof Tensor))
      throw new ArgumentError(`GPT: ids expected a Tensor [B, T], got ${describeValue(ids)}`);
    if (ids.ndim !== 2) throw new ShapeError(`GPT: ids expected [B, T], got ${formatShape(ids.shape)}`);
    const t = ids.shape[1]!;
    const offset = cache?.length ?? 0;
    if (offset + t > this.config.maxSeqLen) {
      throw new OutOfRangeError(
        `GPT: sequence length expected ≤ maxSeqLen ${this.config.maxSeqLen}, got ${offset + t}`,
      );
    }
    if (cache && cache.nLayers !== this.blocks.length)
      throw new ShapeError(`GPT: cache expected ${this.blocks.length} layers, got ${cache.nLayers}`);
    const x = this.tokEmb.forward(ids);
    return this.posEmb ? x.add(this.posEmb.forward(arange(offset, offset + t))) : x;
  }

  /** h: [..., dModel] → logits [..., vocabSize] through the (tied) unembedding. */
  unembed(h: Tensor): Tensor {
    const d = this.config.dModel;
    const lead = h.shape.slice(0, -1);
    // flattened to one [M, d] × [d, V] product (a broadcast batch of small products is slower)
    const y = h.reshape([h.size / d, d]).matmul(this.unembedding, { transposeB: true });
    return y.reshape([...lead, this.config.vocabSize]);
  }

  /**
   * ids: [B, T] integer tensor → logits [B, T, vocabSize]; with a cache, ids holds the newest tokens and
   * the cache grows by T.
   */
  forward(ids: Tensor, cache?: KVCache): Tensor {
    return this.unembed(this.hidden(ids, cache));
  }

  /** `forward` for models with an asynchronous feed-forward module. */
  async forwardAsync(ids: Tensor, cache?: KVCache): Promise<Tensor> {
    return this.unembed(await this.hiddenAsync(ids, cache));
  }
}
