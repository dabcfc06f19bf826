import { Rng } from '@tenzo/core';
import { anyNumber, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import { Adam, Linear } from '@tenzo/nn';
import { fromTypedArray } from '@tenzo/tensor';
import fc from 'fast-check';
import * as T from './index.js';
import * as N from './node.js';

// Generated bad input to every export of @tenzo/train (issue #22): a typed error or a correct
// result, never a raw error, NaN from finite input, or a hang.

const model = () => new Linear(3, 2, new Rng(1));
const anyRecord = fc.oneof(
  junk,
  fc.dictionary(
    fc.string({ maxLength: 6 }),
    fc.oneof(junk, anyNumber, fc.constant(new Float64Array([1, 2]))),
  ),
);
const logits = fc.oneof(
  junk,
  fc.constant(fromTypedArray(new Float32Array([0.1, 0.9, 0.3, 0.2]), [2, 2])),
  fc.constant(fromTypedArray(new Float32Array([Number.NaN, 1]), [1, 2])),
  fc.constant(fromTypedArray(new Float32Array([1, 2, 3]), [3])),
);
const labels = fc.oneof(
  junk,
  fc.constant(new Int32Array([0, 1])),
  fc.constant(new Int32Array([5, -1])),
  fc.constant([0]),
);

describePublicApi('@tenzo/train', [
  apiCase({
    name: 'encodeState',
    args: fc.tuple(anyRecord),
    call: (s) => T.encodeState(s as never),
    ok: () => true,
    runs: 120,
  }),
  apiCase({
    name: 'decodeState',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record({
          arrays: fc.oneof(junk, fc.constant({ a: new Float64Array([1]) })),
          json: fc.oneof(
            junk,
            fc.string({ maxLength: 20 }),
            fc.constant('{"a":{"$array":"a","type":"Float64Array"}}'),
          ),
        }),
      ),
      fc.oneof(junk, fc.string({ maxLength: 5 })),
    ),
    call: (e, src) => T.decodeState(e as never, src as string),
    runs: 120,
  }),
  apiCase({
    name: 'sameSettings',
    args: fc.tuple(anyRecord, anyRecord),
    call: (a, b) => T.sameSettings(a, b),
    ok: (r) => typeof r === 'boolean',
    runs: 120,
  }),
  apiCase({
    name: 'moduleState',
    args: fc.tuple(fc.oneof(junk, fc.constant(model())), anyRecord),
    call: (m, s) => T.moduleState(m as never).load(s as never),
    runs: 100,
  }),
  apiCase({
    name: 'optimizerState',
    args: fc.tuple(fc.oneof(junk, fc.constant(new Adam(model().parameters()))), anyRecord),
    call: (o, s) => T.optimizerState(o as never).load(s as never),
    runs: 100,
  }),
  apiCase({
    name: 'rngState / rngFromState',
    args: fc.tuple(fc.oneof(junk, fc.constant(new Rng(2))), anyRecord),
    call: (r, s) => (r instanceof Rng ? T.rngState(r).load(s as never) : T.rngFromState(s as never)),
    runs: 100,
  }),
  apiCase({
    name: 'Trainer',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record(
          {
            model: fc.oneof(junk, fc.constant(model())),
            optimizers: fc.oneof(junk, fc.constant({ a: new Adam(model().parameters()) })),
            epochs: anySize,
            stepsPerEpoch: anySize,
            order: fc.oneof(junk, fc.constant(new Rng(1))),
            batches: fc.oneof(
              junk,
              fc.constant(() => []),
            ),
            step: fc.oneof(
              junk,
              fc.constant(() => ({ loss: fromTypedArray(new Float32Array([0]), []) })),
            ),
            checkpointEvery: anySize,
            stopAfterSteps: anySize,
            maxConsecutiveSkips: anySize,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    call: (o) => new T.Trainer(o as never),
    ok: () => true,
    runs: 160,
  }),
  apiCase({
    name: 'earlyStopping',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record(
          {
            metric: fc.oneof(junk, fc.constant('loss')),
            mode: fc.oneof(junk, fc.constant('max')),
            patience: anySize,
            minDelta: anyNumber,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    call: (o) => T.earlyStopping(o as never),
    ok: () => true,
    runs: 80,
  }),
  apiCase({
    name: 'classifierStep',
    args: fc.tuple(logits, labels, anyNumber),
    call: (l, y, s) => T.classifierStep(l as never, y as never, s as number),
    runs: 100,
  }),
  apiCase({
    name: 'evaluateClassifier',
    args: fc.tuple(
      fc.oneof(junk, fc.constant(model())),
      fc.oneof(
        junk,
        fc.constant((x: never) => model().forward(x)),
      ),
      fc.oneof(junk, fc.constant(new Float32Array(6)), fc.constant(new Float32Array([Number.NaN, 0, 0]))),
      labels,
      anySize,
      anySize,
    ),
    call: (m, f, x, y, d, c) =>
      T.evaluateClassifier(m as never, f as never, x as never, y as never, d as number, c as number),
    runs: 100,
  }),
  apiCase({
    name: 'epochProgress',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record({
          bar: fc.oneof(
            junk,
            fc.constant(() => ({ tick() {}, done() {} })),
          ),
        }),
      ),
    ),
    call: (o) => T.epochProgress(o as never),
    ok: () => true,
    runs: 60,
  }),
  apiCase({
    name: 'readCheckpoint',
    args: fc.tuple(
      fc.oneof(
        junk.filter((v) => typeof v !== 'string'),
        fc.constant('/nonexistent/tenzo/ckpt.safetensors'),
      ),
    ),
    call: (p) => N.readCheckpoint(p as string),
    runs: 40,
  }),
  apiCase({
    name: 'fileCheckpoint',
    args: fc.tuple(junk.filter((v) => typeof v !== 'string')),
    call: (p) => N.fileCheckpoint(p as string),
    runs: 30,
  }),
  apiCase({
    name: 'readSweepFile',
    args: fc.tuple(
      fc.oneof(
        junk.filter((v) => typeof v !== 'string'),
        fc.constant('/nonexistent/results.json'),
      ),
    ),
    call: (p) => N.readSweepFile(p as string),
    ok: () => true,
    runs: 40,
  }),
  apiCase({
    name: 'checkResumable',
    args: fc.tuple(
      fc.oneof(junk, fc.constant('s')),
      fc.oneof(junk, fc.constant('p')),
      anyRecord,
      anyRecord,
      fc.oneof(junk, fc.constant(['a'])),
    ),
    call: (n, p, a, b, s) => N.checkResumable(n as string, p as string, a as never, b as never, s as never),
    ok: () => true,
    runs: 80,
  }),
  apiCase({
    name: 'cellRunDir',
    args: fc.tuple(fc.oneof(junk, fc.constant('out')), fc.oneof(junk, fc.constant('a/b'))),
    call: (o, k) => N.cellRunDir(o as string, k as string),
    ok: () => true,
    runs: 40,
  }),
  apiCase({
    name: 'runSweep',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record(
          {
            name: fc.oneof(junk, fc.constant('s')),
            config: anyRecord,
            out: junk.filter((v) => typeof v !== 'string'),
            cells: fc.oneof(junk, fc.constant([{ key: 'a' }, { key: 'a' }]), fc.constant([{ nokey: 1 }])),
            run: fc.oneof(
              junk,
              fc.constant(async () => ({})),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    call: (o) => N.runSweep(o as never),
    runs: 60,
  }),
]);
