import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as D from './index.js';

const img = fc.oneof(
  fc.constant(new Float32Array(4).fill(0.5)),
  fc.constant(Float32Array.of(1, Number.NaN, 0, 0)),
  fc.constant(new Float32Array(0)),
  anyNumbers,
);
const rngArb = fc.oneof(junk, fc.constant(new Rng(1)));
const ds = (n: number) => ({
  images: new Float32Array(n * 2).fill(0.25),
  labels: Int32Array.from({ length: n }, (_, i) => i % 2),
  n,
});
const dsArb = fc.oneof(
  junk,
  fc.constant(ds(4)),
  fc.record({ images: img, labels: fc.oneof(anyNumbers, fc.constant(new Int32Array(2))), n: anySize }),
);
const text = fc.oneof(junk, fc.string({ maxLength: 40 }), fc.constant('hello world'));
const ids = fc.oneof(
  anyNumbers,
  fc.constant([104, 105]),
  fc.array(fc.integer({ min: -2, max: 300 }), { maxLength: 5 }),
);
const bpe = D.BpeTokenizer.train('abababcabc hello', 260);
const chars = D.CharTokenizer.fromText('hello world');

describePublicApi(
  '@tenzo/data',
  [
    apiCase({
      name: 'randomWindows',
      args: fc.tuple(ids, anySize, anySize, rngArb),
      call: (t, c, l, r) => D.randomWindows(t as number[], c as number, l as number, r as Rng),
      runs: 80,
    }),
    apiCase({
      name: 'translate',
      args: fc.tuple(img, anySize, anySize, anyNumber, anyNumber),
      call: (x, h, w, dx, dy) =>
        D.translate(x as Float32Array, h as number, w as number, dx as number, dy as number),
      runs: 60,
    }),
    apiCase({
      name: 'affine',
      args: fc.tuple(
        img,
        anySize,
        anySize,
        fc.oneof(junk, fc.record({ rotation: anyNumber, scale: anyNumber })),
      ),
      call: (x, h, w, p) => D.affine(x as Float32Array, h as number, w as number, p as D.AffineParams),
      runs: 60,
    }),
    apiCase({
      name: 'augmentBatch',
      args: fc.tuple(
        img,
        fc.oneof(junk, fc.record({ height: anySize, width: anySize, rng: rngArb, maxShift: anyNumber })),
      ),
      call: (x, o) => D.augmentBatch(x as Float32Array, o as D.AugmentOptions),
      runs: 60,
    }),
    apiCase({
      name: 'batchCount',
      args: fc.tuple(anySize, anySize, fc.oneof(fc.boolean(), junk)),
      call: (n, b, d) => D.batchCount(n as number, b as number, d as boolean),
      runs: 50,
    }),
    apiCase({
      name: 'batches',
      args: fc.tuple(
        dsArb,
        fc.oneof(junk, fc.record({ batchSize: anySize, shuffle: fc.boolean(), seed: fc.constant(1) })),
      ),
      call: (d, o) => [...D.batches(d as D.Dataset, o as D.BatchOptions)].length,
      runs: 60,
    }),
    apiCase({
      name: 'featureCount',
      args: fc.tuple(dsArb),
      call: (d) => D.featureCount(d as D.Dataset),
      runs: 40,
    }),
    apiCase({
      name: 'subset',
      args: fc.tuple(dsArb, ids),
      call: (d, i) => D.subset(d as D.Dataset, i as number[]),
      runs: 50,
    }),
    apiCase({
      name: 'trainSplit',
      args: fc.tuple(
        fc.oneof(anyNumbers, fc.constant(Int32Array.of(0, 1, 0, 1, 0, 1))),
        fc.oneof(junk, fc.record({ testFraction: anyNumber, seed: fc.oneof(fc.constant(1), anyNumber) })),
      ),
      call: (l, o) => D.trainSplit(l as number[], o as D.SplitOptions),
      runs: 60,
    }),
    apiCase({
      name: 'fitNormalization',
      args: fc.tuple(img, anySize),
      call: (x, d) => D.fitNormalization(x as Float32Array, d as number),
      runs: 50,
    }),
    apiCase({
      name: 'normalize',
      args: fc.tuple(img, fc.oneof(junk, fc.constant(D.fitNormalization(new Float32Array([0, 1, 2, 3]), 2)))),
      call: (x, s) => D.normalize(x as Float32Array, s as D.NormalizationStats),
      runs: 50,
    }),
    apiCase({
      name: 'splitDocuments',
      args: fc.tuple(
        fc.oneof(junk, fc.string()),
        fc.oneof(
          junk,
          fc.constant([
            { name: 'a', text: 'x' },
            { name: 'b', text: 'y' },
          ]),
        ),
        anySize,
      ),
      call: (n, d, e) => D.splitDocuments(n as string, d as never, e as number),
      ok: () => true,
      runs: 50,
    }),
    apiCase({
      name: 'decodeMnistDigits',
      args: fc.tuple(fc.oneof(junk, fc.anything())),
      call: (j) => D.decodeMnistDigits(j, 'test.json'),
      runs: 40,
    }),
    apiCase({
      name: 'BpeTokenizer.train',
      args: fc.tuple(text, anySize),
      call: (t, v) => D.BpeTokenizer.train(t as string, v as number).merges.length,
      runs: 50,
    }),
    apiCase({
      name: 'BpeTokenizer',
      args: fc.tuple(
        fc.oneof(junk, fc.constant([[97, 98]]), fc.constant([[97, 999]]), fc.constant([['a', 1]])),
      ),
      call: (m) => new D.BpeTokenizer(m as [number, number][]).encode('ab'),
      runs: 40,
    }),
    ...[
      ['BpeTokenizer', bpe],
      ['ByteTokenizer', new D.ByteTokenizer()],
      ['CharTokenizer', chars],
    ].flatMap(([name, tok]) => [
      apiCase({
        name: `${name}.encode`,
        args: fc.tuple(text),
        call: (t) => (tok as D.Tokenizer).encode(t as string),
        runs: 30,
      }),
      apiCase({
        name: `${name}.decode`,
        args: fc.tuple(ids),
        call: (i) => (tok as D.Tokenizer).decode(i as number[]),
        ok: (r) => typeof r === 'string',
        runs: 30,
      }),
    ]),
    apiCase({
      name: 'CharTokenizer',
      args: fc.tuple(fc.oneof(junk, fc.constant(['a', 'b']), fc.constant(['a', 'a']), fc.constant(['ab']))),
      call: (c) => new D.CharTokenizer(c as string[]).encode('ab'),
      runs: 40,
    }),
    apiCase({
      name: 'CharTokenizer.fromText',
      args: fc.tuple(text, fc.oneof(fc.constant({}), fc.record({ maxVocab: anySize }))),
      call: (t, o) => D.CharTokenizer.fromText(t as string, o as { maxVocab?: number }).chars.length,
      runs: 40,
    }),
  ],
  { runs: 40 },
);
