import { Rng, StateError } from '@tenzo/core';
import { noGrad, randn, type Tensor, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { Module } from '../module.js';
import { moduleGradCheck } from '../testing/moduleGradCheck.js';
import { CausalSelfAttention, causalMask, scaledDotProductAttention } from './attention.js';
import { Embedding } from './embedding.js';
import { KVCache } from './kvCache.js';
import { LayerNorm } from './layerNorm.js';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { RMSNorm } from './rmsNorm.js';
import { RotaryEmbedding } from './rotary.js';
import { type FeedForward, GPT } from './transformer.js';

const f64 = { dtype: 'float64' } as const;
const ids = (rows: number[][]) => tensor(rows, f64);

describe('Embedding', () => {
  it('looks up rows and accumulates gradients of repeated ids', () => {
    const emb = new Embedding(5, 3, new Rng(0), f64);
    const x = ids([[1, 4, 1]]);
    expect(emb.forward(x).shape).toEqual([1, 3, 3]);
    expect(emb.forward(x).toFlat().slice(0, 3)).toEqual(emb.weight.toFlat().slice(3, 6));
    expect(moduleGradCheck(() => emb.forward(x), [emb.weight])).toBeLessThan(1e-6);
    emb.zeroGrad();
    emb.forward(x).sum().backward();
    expect(emb.weight.grad!.toFlat().slice(3, 6)).toEqual([2, 2, 2]);
  });

  it('rejects out-of-range ids', () => {
    const emb = new Embedding(5, 3, new Rng(0));
    expect(() => emb.forward(tensor([[5]]))).toThrowError(
      /indices\[0\] expected an integer in \[0, 5\), got 5/,
    );
  });
});

describe('LayerNorm and RMSNorm', () => {
  it('normalise the last axis and pass gradient checks', () => {
    const ln = new LayerNorm(4, f64);
    const x = randn([2, 3, 4], new Rng(1), f64);
    const y = ln.forward(x);
    const row = y.toFlat().slice(0, 4);
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(row.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 4);
    ln.weight.data.set([1.5, 0.5, -1, 2]);
    ln.bias.data.set([0.1, 0.2, 0.3, 0.4]);
    expect(moduleGradCheck(() => ln.forward(x), [x, ln.weight, ln.bias])).toBeLessThan(1e-6);
    const rms = new RMSNorm(4, f64);
    rms.weight.data.set([1.5, 0.5, -1, 2]);
    const y2 = new RMSNorm(4, f64).forward(x).toFlat().slice(0, 4);
    expect(y2.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 4);
    expect(moduleGradCheck(() => rms.forward(x), [x, rms.weight])).toBeLessThan(1e-6);
  });

  it('reject a wrong width', () => {
    expect(() => new LayerNorm(4).forward(randn([2, 5], new Rng(0)))).toThrowError(
      'LayerNorm(4): input expected [..., 4], got [2, 5]',
    );
    expect(() => new RMSNorm(4).forward(randn([2, 5], new Rng(0)))).toThrowError(
      'RMSNorm(4): input expected [..., 4], got [2, 5]',
    );
  });
});

describe('RotaryEmbedding', () => {
  it('preserves norms, makes q·k depend on relative position only, and has exact gradients', () => {
    const rope = new RotaryEmbedding(4, 16, f64);
    const q = randn([1, 1, 1, 4], new Rng(2), f64);
    const k = randn([1, 1, 1, 4], new Rng(3), f64);
    const dot = (a: Tensor, b: Tensor) => a.mul(b).sum().item();
    const s1 = dot(rope.apply(q, 3), rope.apply(k, 1));
    const s2 = dot(rope.apply(q, 9), rope.apply(k, 7));
    expect(s1).toBeCloseTo(s2, 10);
    expect(dot(rope.apply(q, 5), rope.apply(q, 5))).toBeCloseTo(dot(q, q), 10);
    const x = randn([2, 3, 4], new Rng(4), f64);
    expect(moduleGradCheck(() => rope.apply(x, 2), [x])).toBeLessThan(1e-6);
  });

  it('rejects odd head sizes and positions past maxSeqLen', () => {
    expect(() => new RotaryEmbedding(3, 8)).toThrowError(
      'RotaryEmbedding: headDim expected an even number, got 3',
    );
    expect(() => new RotaryEmbedding(4, 8).apply(randn([1, 4, 4], new Rng(0)), 5)).toThrowError(
      'RotaryEmbedding: positions expected < maxSeqLen 8, got up to 8',
    );
  });
});

describe('attention', () => {
  it('causal mask hides the future only', () => {
    expect(causalMask(2, 1).toArray()).toEqual([
      [0, 0, -1e9],
      [0, 0, 0],
    ]);
  });

  it('scaled dot-product attention has exact gradients', () => {
    const q = randn([2, 3, 4], new Rng(5), f64);
    const k = randn([2, 3, 4], new Rng(6), f64);
    const v = randn([2, 3, 4], new Rng(7), f64);
    const err = moduleGradCheck(() => scaledDotProductAttention(q, k, v, { causal: true }), [q, k, v]);
    expect(err).toBeLessThan(1e-6);
  });

  it('CausalSelfAttention: future tokens do not change the past; gradient check through all parameters', () => {
    for (const rotary of [undefined, new RotaryEmbedding(4, 8, f64)]) {
      const attn = new CausalSelfAttention(8, 2, new Rng(8), {
        dtype: 'float64',
        ...(rotary ? { rotary } : {}),
      });
      const x = randn([2, 4, 8], new Rng(9), f64);
      const y = attn.forward(x);
      const x2 = x.clone();
      x2.data[3 * 8 + 1] = 5; // change token 3 of batch 0
      const y2 = attn.forward(x2);
      expect(y2.toFlat().slice(0, 24)).toEqual(y.toFlat().slice(0, 24));
      const err = moduleGradCheck(() => attn.forward(x), [x, ...attn.parameters()]);
      expect(err).toBeLessThan(1e-6);
    }
  });

  it('rejects a wrong input shape and head count', () => {
    expect(() => new CausalSelfAttention(8, 3, new Rng(0))).toThrowError(
      'CausalSelfAttention: dModel expected a multiple of nHeads 3, got 8',
    );
    expect(() => new CausalSelfAttention(8, 2, new Rng(0)).forward(randn([4, 8], new Rng(0)))).toThrowError(
      'CausalSelfAttention: x expected [B, T, 8], got [4, 8]',
    );
  });
});

describe('MLP', () => {
  it('passes a gradient check', () => {
    const mlp = new MLP(3, 5, new Rng(10), f64);
    const x = randn([2, 3], new Rng(11), f64);
    expect(mlp.forward(x).shape).toEqual([2, 3]);
    expect(moduleGradCheck(() => mlp.forward(x), [x, ...mlp.parameters()])).toBeLessThan(1e-6);
  });
});

describe('GPT', () => {
  const cfg = {
    vocabSize: 7,
    maxSeqLen: 8,
    dModel: 8,
    nLayers: 2,
    nHeads: 2,
    mlpRatio: 2,
    dtype: 'float64',
  } as const;

  it('ties weights and passes a gradient check through every parameter', () => {
    const gpt = new GPT({ ...cfg, position: 'rotary', norm: 'rms' }, new Rng(12));
    expect(gpt.unembedding).toBe(gpt.tokEmb.weight);
    expect(gpt.namedParameters().some(([n]) => n.startsWith('lmHead'))).toBe(false);
    const x = ids([[1, 2, 3]]);
    expect(gpt.forward(x).shape).toEqual([1, 3, 7]);
    expect(moduleGradCheck(() => gpt.forward(x), gpt.parameters())).toBeLessThan(1e-5);
  });

  it('incremental decoding with a KV cache equals the full forward, also after truncation', () => {
    for (const position of ['learned', 'rotary'] as const) {
      const gpt = new GPT({ ...cfg, position, tieWeights: false }, new Rng(13));
      const seq = [[3, 1, 4, 1, 5, 6]];
      const full = noGrad(() => gpt.forward(ids(seq))).toFlat();
      const cache = new KVCache(2);
      const parts = noGrad(() => [
        gpt.forward(ids([[3, 1]]), cache),
        gpt.forward(ids([[4]]), cache),
        gpt.forward(ids([[1, 5, 6]]), cache),
      ]);
      const inc = parts.flatMap((p) => p.toFlat());
      for (const [i, v] of inc.entries()) expect(v).toBeCloseTo(full[i]!, 10);
      cache.truncate(3);
      expect(cache.length).toBe(3);
      const again = noGrad(() => gpt.forward(ids([[1, 5, 6]]), cache)).toFlat();
      for (const [i, v] of again.entries()) expect(v).toBeCloseTo(full[3 * 7 + i]!, 10);
    }
  });

  it('rejects sequences past maxSeqLen and ids of the wrong rank', () => {
    const gpt = new GPT(cfg, new Rng(14));
    expect(() => gpt.forward(ids([[0, 0, 0, 0, 0, 0, 0, 0, 0]]))).toThrowError(
      'GPT: sequence length expected ≤ maxSeqLen 8, got 9',
    );
    expect(() => gpt.forward(tensor([1, 2]))).toThrowError('GPT: ids expected [B, T], got [2]');
    expect(() => new KVCache(2).truncate(1)).toThrowError(
      'LayerKVCache.truncate: length expected ≤ 0, got 1',
    );
  });
});

/** A Linear behind a promise, as a physical device's layer answers. */
class AsyncLinear extends Module {
  readonly lin: Linear;
  constructor(lin: Linear) {
    super();
    this.lin = this.registerModule('lin', lin);
  }
  async forward(x: Tensor): Promise<Tensor> {
    await Promise.resolve();
    return this.lin.forward(x);
  }
}

describe('GPT feed-forward slot', () => {
  const cfg = {
    vocabSize: 7,
    maxSeqLen: 8,
    dModel: 8,
    nLayers: 2,
    nHeads: 2,
    mlpRatio: 2,
    dtype: 'float64',
  } as const;
  const x = ids([
    [1, 2, 3],
    [4, 0, 6],
  ]);

  it('a factory answering undefined keeps the default model, parameter for parameter', () => {
    const a = new GPT(cfg, new Rng(20));
    const b = new GPT(cfg, new Rng(20), { ffn: () => undefined });
    expect(b.namedParameters().map(([n]) => n)).toEqual(a.namedParameters().map(([n]) => n));
    expect(noGrad(() => b.forward(x)).toFlat()).toEqual(noGrad(() => a.forward(x)).toFlat());
  });

  it('null removes the feed-forward sub-layer (and its norm) of the chosen blocks', () => {
    const gpt = new GPT(cfg, new Rng(21), { ffn: (i) => (i === 1 ? null : undefined) });
    const names = gpt.namedParameters().map(([n]) => n);
    expect(names.some((n) => n.startsWith('block1.mlp') || n.startsWith('block1.norm2'))).toBe(false);
    expect(names.some((n) => n.startsWith('block0.mlp.fc'))).toBe(true);
    expect(gpt.blocks[1]!.mlp).toBeNull();
    // block 1 is x + attn(norm₁(x)) exactly
    const blk = gpt.blocks[1]!;
    const h = randn([1, 3, 8], new Rng(22), f64);
    const want = h.add(blk.attn.forward(blk.norm1.forward(h)));
    expect(noGrad(() => blk.forward(h)).toFlat()).toEqual(noGrad(() => want).toFlat());
    expect(moduleGradCheck(() => gpt.forward(x), gpt.parameters())).toBeLessThan(1e-5);
  });

  it('accepts another module, sync or async: forwardAsync equals forward, and gradients flow', async () => {
    const make = (wrap: boolean) =>
      new GPT(cfg, new Rng(23), {
        ffn: (_i, d): FeedForward => {
          const lin = new Linear(d, d, new Rng(24), f64);
          return wrap ? new AsyncLinear(lin) : lin;
        },
      });
    const sync = make(false);
    const async_ = make(true);
    expect(sync.blocks[0]!.mlp).toBeInstanceOf(Linear);
    const want = noGrad(() => sync.forward(x)).toFlat();
    expect((await sync.forwardAsync(x)).toFlat()).toEqual(want);
    expect(() => async_.forward(x)).toThrowError(StateError);
    expect(() => async_.forward(x)).toThrowError(/use forwardAsync/);
    const got = await async_.forwardAsync(x);
    expect(got.toFlat()).toEqual(want);
    expect(moduleGradCheck(() => sync.forward(x), sync.parameters())).toBeLessThan(1e-5);
    // the async path records the same graph: equal gradients on every parameter
    sync.zeroGrad();
    sync.forward(x).square().sum().backward();
    got.square().sum().backward();
    const gs = sync.namedParameters();
    const ga = async_.namedParameters();
    expect(ga).toHaveLength(gs.length);
    ga.forEach(([, p], k) => {
      const q = gs[k]![1];
      for (const [j, v] of p.grad!.toFlat().entries()) expect(v).toBeCloseTo(q.grad!.toFlat()[j]!, 12);
    });
  });
});
