import { checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import { type DType, Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { Module } from '../module.js';
import type { LayerKVCache } from './kvCache.js';
import { Linear } from './linear.js';
import type { RotaryEmbedding } from './rotary.js';

/**
 * Additive causal mask [T, offset + T]: query i (absolute position offset + i) sees keys
 * 0..offset+i; later keys get −1e9 so softmax gives them zero weight.
 */
export function causalMask(t: number, offset: number, dtype: DType = 'float32'): Tensor {
  checkInt('causalMask: t', t, { max: 1 << 15 });
  checkInt('causalMask: offset', offset, { max: 1 << 15 });
  const tk = offset + t;
  const m = dtype === 'float64' ? new Float64Array(t * tk) : new Float32Array(t * tk);
  for (let i = 0; i < t; i++) for (let j = offset + i + 1; j < tk; j++) m[i * tk + j] = -1e9;
  return new Tensor(m, [t, tk], dtype);
}

/**
 * softmax(q kᵀ / √d + mask) v. q: [..., T, d], k, v: [..., Tk, d] → [..., T, d]; with `causal`,
 * the T queries sit at the last T of the Tk key positions (Tk − T cached positions before them).
 */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  opts: { causal?: boolean } = {},
): Tensor {
  checkInput('scaledDotProductAttention: q', q);
  checkInput('scaledDotProductAttention: k', k);
  checkInput('scaledDotProductAttention: v', v);
  const t = q.shape[q.ndim - 2]!;
  const d = q.shape[q.ndim - 1]!;
  const tk = k.shape[k.ndim - 2]!;
  if (k.shape[k.ndim - 1] !== d || v.shape[v.ndim - 2] !== tk || tk < t) {
    throw new ShapeError(
      `scaledDotProductAttention: expected q [..., T, d], k/v [..., Tk ≥ T, d], got q ${formatShape(q.shape)}, k ${formatShape(k.shape)}, v ${formatShape(v.shape)}`,
    );
  }
  let scores = q.matmul(k, { transposeB: true }).mul(1 / Math.sqrt(d));
  // a single query at the end of the sequence sees every key: no mask needed
  if (opts.causal && t > 1) scores = scores.add(causalMask(t, tk - t, q.dtype));
  return scores.softmax(-1).matmul(v);
}

/** Options of multi-head attention: the dtype, biases in the projections and rotary position embeddings. */
export interface AttentionOptions {
  dtype?: DType;
  /** biases in the q/k/v and output projections (default true, as GPT-2) */
  bias?: boolean;
  /** rotate q and k by position (RoPE); shared between the layers of a model */
  rotary?: RotaryEmbedding;
}

/**
 * Causal multi-head self-attention (Vaswani et al. 2017) with an optional KV cache.
 * x: [B, T, dModel] → [B, T, dModel]. Parameters: qkv (dModel → 3·dModel), proj (dModel → dModel).
 * With a cache, x holds the T newest tokens and attends to the cached ones too.
 */
export class CausalSelfAttention extends Module {
  readonly qkv: Linear;
  readonly proj: Linear;
  readonly headDim: number;
  private readonly rotary: RotaryEmbedding | undefined;

  constructor(
    readonly dModel: number,
    readonly nHeads: number,
    rng: Rng,
    opts: AttentionOptions = {},
  ) {
    super();
    checkInt('CausalSelfAttention: dModel', dModel, { positive: true });
    checkInt('CausalSelfAttention: nHeads', nHeads, { positive: true });
    if (dModel % nHeads !== 0) {
      throw new ShapeError(
        `CausalSelfAttention: dModel expected a multiple of nHeads ${nHeads}, got ${dModel}`,
      );
    }
    this.headDim = dModel / nHeads;
    if (opts.rotary && opts.rotary.headDim !== this.headDim) {
      throw new ShapeError(
        `CausalSelfAttention: rotary headDim expected ${this.headDim}, got ${opts.rotary.headDim}`,
      );
    }
    this.rotary = opts.rotary;
    const lin = { bias: opts.bias ?? true, dtype: opts.dtype ?? 'float32' } as const;
    this.qkv = this.registerModule('qkv', new Linear(dModel, 3 * dModel, rng, lin));
    this.proj = this.registerModule('proj', new Linear(dModel, dModel, rng, lin));
  }

  /**
   * x: [B, T, dModel] → [B, T, dModel], causal; with a cache, x holds the T newest tokens and their keys
   * and values are appended to it.
   */
  forward(x: Tensor, cache?: LayerKVCache): Tensor {
    checkInput('CausalSelfAttention.forward', x);
    if (x.ndim !== 3 || x.shape[2] !== this.dModel) {
      throw new ShapeError(
        `CausalSelfAttention: x expected [B, T, ${this.dModel}], got ${formatShape(x.shape)}`,
      );
    }
    const [b, t] = x.shape as [number, number, number];
    const offset = cache?.length ?? 0;
    const heads = (y: Tensor) => y.reshape([b, t, this.nHeads, this.headDim]).permute([0, 2, 1, 3]);
    const [q0, k0, v0] = this.qkv.forward(x).split(3, -1) as [Tensor, Tensor, Tensor];
    let q = heads(q0);
    let k = heads(k0);
    let v = heads(v0);
    if (this.rotary) {
      q = this.rotary.apply(q, offset);
      k = this.rotary.apply(k, offset);
    }
    if (cache) ({ k, v } = cache.append(k, v));
    const y = scaledDotProductAttention(q, k, v, { causal: true });
    return this.proj.forward(y.permute([0, 2, 1, 3]).reshape([b, t, this.dModel]));
  }
}
