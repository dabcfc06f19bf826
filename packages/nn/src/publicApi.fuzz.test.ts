import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import { type Tensor, tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import * as N from './index.js';

const rng = () => new Rng(1);
const rngArb = fc.oneof(junk, fc.constant(new Rng(2)));
const t = (shape: readonly number[]) =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i % 5) - 2) / 4),
    { shape },
  );
const xArb = fc.oneof(
  fc.constantFrom([2, 4], [1, 4], [2, 3], [4], [2, 4, 3], [2, 0], []).map(t),
  fc.constant(tensor([Number.NaN, 1, 2, 3], { shape: [1, 4] })),
  junk,
);
const make = {
  Linear: (a: unknown, b: unknown, r: unknown) => new N.Linear(a as number, b as number, r as Rng),
  Embedding: (a: unknown, b: unknown, r: unknown) => new N.Embedding(a as number, b as number, r as Rng),
  Conv1d: (a: unknown, b: unknown, r: unknown) => new N.Conv1d(a as number, b as number, 1, r as Rng),
  Conv2d: (a: unknown, b: unknown, r: unknown) => new N.Conv2d(a as number, b as number, 1, r as Rng),
  CausalSelfAttention: (a: unknown, b: unknown, r: unknown) =>
    new N.CausalSelfAttention(a as number, b as number, r as Rng),
  MLP: (a: unknown, b: unknown, r: unknown) => new N.MLP(a as number, b as number, r as Rng),
};
const good = {
  Linear: [4, 3],
  Embedding: [5, 4],
  Conv1d: [4, 2],
  Conv2d: [2, 2],
  CausalSelfAttention: [4, 2],
  MLP: [4, 8],
} as const;
const params = () => [N.zerosParam([2])];

describePublicApi(
  '@tenzo/nn',
  [
    ...Object.entries(make).map(([name, f]) =>
      apiCase({
        name,
        args: fc.tuple(anySize, anySize, rngArb),
        call: (a, b, r) => f(a, b, r),
        ok: () => true,
        runs: 40,
      }),
    ),
    ...Object.entries(make).map(([name, f]) =>
      apiCase({
        name: `${name}.forward`,
        args: fc.tuple(xArb),
        call: (x) =>
          (
            f(
              good[name as keyof typeof good][0],
              good[name as keyof typeof good][1],
              rng(),
            ) as unknown as N.Layer
          ).forward(x as Tensor),
        runs: 25,
      }),
    ),
    ...Object.entries({ LayerNorm: N.LayerNorm, RMSNorm: N.RMSNorm, BatchNorm1d: N.BatchNorm1d }).map(
      ([name, C]) =>
        apiCase({
          name,
          args: fc.tuple(anySize, xArb),
          call: (d, x) => new C(d as number).forward(x as Tensor),
          runs: 40,
        }),
    ),
    apiCase({
      name: 'Dropout',
      args: fc.tuple(anyNumber, rngArb),
      call: (p, r) => new N.Dropout(p as number, r as Rng).forward(t([2, 4])),
      runs: 40,
    }),
    apiCase({
      name: 'RotaryEmbedding',
      args: fc.tuple(anySize, anySize),
      call: (h, m) => new N.RotaryEmbedding(h as number, m as number),
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'KVCache',
      args: fc.tuple(anySize),
      call: (n) => new N.KVCache(n as number),
      ok: () => true,
      runs: 30,
    }),
    apiCase({
      name: 'StatsPooling',
      args: fc.tuple(fc.oneof(fc.constant({}), fc.record({ eps: anyNumber })), xArb),
      call: (o, x) => new N.StatsPooling(o as { eps?: number }).forward(x as Tensor),
      runs: 40,
    }),
    apiCase({
      name: 'GPT',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            vocabSize: anySize,
            maxSeqLen: anySize,
            dModel: fc.constantFrom(4, 0, 3),
            nLayers: anySize,
            nHeads: fc.constantFrom(1, 2, 3),
          }),
        ),
        rngArb,
      ),
      call: (c, r) => new N.GPT(c as N.TransformerConfig, r as Rng),
      ok: () => true,
      runs: 50,
    }),
    apiCase({
      name: 'multilayerPerceptron',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            inputs: anySize,
            hidden: fc.oneof(junk, fc.constant([3]), anyNumbers),
            outputs: anySize,
          }),
        ),
        rngArb,
      ),
      call: (s, r) => N.multilayerPerceptron(s as N.MultilayerPerceptronSpec, rng(), r as Rng),
      ok: () => true,
      runs: 50,
    }),
    ...Object.entries({ kaimingUniform: N.kaimingUniform, xavierUniform: N.xavierUniform }).map(([name, f]) =>
      apiCase({
        name,
        args: fc.tuple(fc.oneof(junk, fc.array(anySize, { maxLength: 3 })), rngArb),
        call: (s, r) => f(s as number[], r as Rng),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'normalParam',
      args: fc.tuple(fc.oneof(junk, fc.constant([2, 2])), rngArb, anyNumber),
      call: (s, r, std) => N.normalParam(s as number[], std as number, r as Rng),
      runs: 40,
    }),
    apiCase({
      name: 'zerosParam',
      args: fc.tuple(fc.oneof(junk, fc.array(anySize, { maxLength: 3 }))),
      call: (s) => N.zerosParam(s as number[]),
      runs: 30,
    }),
    apiCase({
      name: 'crossEntropy',
      args: fc.tuple(xArb, fc.oneof(anyNumbers, fc.constant([0, 3]))),
      call: (l, y) => N.crossEntropy(l as Tensor, y as number[]),
      runs: 50,
    }),
    apiCase({
      name: 'mseLoss',
      args: fc.tuple(xArb, xArb),
      call: (a, b) => N.mseLoss(a as Tensor, b as Tensor),
      runs: 50,
    }),
    apiCase({
      name: 'layerNorm',
      args: fc.tuple(xArb, anyNumber),
      call: (x, e) => N.layerNorm(x as Tensor, null, null, e as number),
      runs: 40,
    }),
    apiCase({
      name: 'rmsNorm',
      args: fc.tuple(xArb, anyNumber),
      call: (x, e) => N.rmsNorm(x as Tensor, null, e as number),
      runs: 40,
    }),
    apiCase({
      name: 'statsPooling',
      args: fc.tuple(xArb, anyNumber),
      call: (x, e) => N.statsPooling(x as Tensor, e as number),
      runs: 40,
    }),
    apiCase({
      name: 'causalMask',
      args: fc.tuple(anySize, anySize),
      call: (a, b) => N.causalMask(a as number, b as number),
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'scaledDotProductAttention',
      args: fc.tuple(xArb, xArb, xArb),
      call: (q, k, v) => N.scaledDotProductAttention(q as Tensor, k as Tensor, v as Tensor),
      runs: 40,
    }),
    apiCase({
      name: 'conv2dOutputSize',
      args: fc.tuple(anySize, anySize, anySize, anySize),
      call: (a, b, c, d) => (N.conv2dOutputSize as (...a: unknown[]) => unknown)(a, b, c, d),
      runs: 40,
    }),
    apiCase({
      name: 'conv1d',
      args: fc.tuple(xArb, xArb),
      call: (x, w) => N.conv1d(x as Tensor, w as Tensor, null),
      runs: 40,
    }),
    apiCase({
      name: 'conv2d',
      args: fc.tuple(xArb, xArb),
      call: (x, w) => N.conv2d(x as Tensor, w as Tensor, null),
      runs: 40,
    }),
    ...Object.entries({
      SGD: (p: unknown, o: unknown) => new N.SGD(p as Tensor[], o as N.SGDOptions),
      Adam: (p: unknown, o: unknown) => new N.Adam(p as Tensor[], o as N.AdamOptions),
      AdamW: (p: unknown, o: unknown) => new N.AdamW(p as Tensor[], o as N.AdamOptions),
    }).map(([name, f]) =>
      apiCase({
        name,
        args: fc.tuple(
          fc.oneof(junk, fc.constant(null), fc.constant([1, 2])).map((v) => (v === null ? params() : v)),
          fc.oneof(junk, fc.record({ lr: anyNumber })),
        ),
        call: (p, o) => f(p, o),
        ok: () => true,
        runs: 40,
      }),
    ),
    apiCase({
      name: 'clipGradNorm',
      args: fc.tuple(fc.oneof(junk, fc.constant(params())), anyNumber),
      call: (p, m) => N.clipGradNorm(p as Tensor[], m as number),
      runs: 40,
    }),
    apiCase({
      name: 'constantLR',
      args: fc.tuple(anyNumber),
      call: (lr) => N.constantLR(lr as number)(3),
      runs: 30,
    }),
    apiCase({
      name: 'stepLR',
      args: fc.tuple(fc.oneof(junk, fc.record({ lr: anyNumber, stepSize: anySize, gamma: anyNumber }))),
      call: (o) => N.stepLR(o as never)(3),
      runs: 40,
    }),
    apiCase({
      name: 'cosineLR',
      args: fc.tuple(fc.oneof(junk, fc.record({ lr: anyNumber, totalSteps: anySize, minLr: anyNumber }))),
      call: (o) => N.cosineLR(o as never)(3),
      runs: 40,
    }),
    apiCase({
      name: 'withWarmup',
      args: fc.tuple(fc.oneof(junk, fc.constant(N.constantLR(0.1))), anySize, anySize),
      call: (s, w, k) => N.withWarmup(s as N.LRSchedule, w as number)(k as number),
      runs: 40,
    }),
    apiCase({
      name: 'Sequential',
      args: fc.tuple(fc.oneof(junk, fc.constant(new N.ReLU()))),
      call: (l) => new N.Sequential(l as N.Layer).forward(t([2, 4])),
      runs: 30,
    }),
  ],
  { runs: 30 },
);
