import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, type StateRecord, TenzoError } from '@tenzo/core';
import { clementsMesh } from '@tenzo/devices';
import { PhysicalLayer } from '@tenzo/hybrid';
import { Adam, crossEntropy, Linear, Module } from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCheckpoint, readCheckpoint } from './checkpoint/fileCheckpoint.js';
import { toyBatches } from './toyBatches.test-util.js';
import { Trainer } from './trainer.js';
import type { CheckpointStore } from './types.js';

// Every corruption of a checkpoint — of the state it holds, or of the file's bytes — is refused
// with a typed error when a run resumes from it; none is loaded silently.

const dir = mkdtempSync(join(tmpdir(), 'tenzo-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 24;
const D = 4;
function build(checkpoint: CheckpointStore, stopAfterSteps?: number) {
  const data = new Rng(2);
  const xs = Float32Array.from({ length: N * D }, () => data.normal());
  const ys = Int32Array.from({ length: N }, (_, i) => i % 2);
  const rng = new Rng(7);
  class Net extends Module {
    front = this.registerModule('front', new Linear(D, 4, rng));
    layer = this.registerModule(
      'layer',
      new PhysicalLayer(clementsMesh({ dIn: 4, dOut: 4, seed: 1 }), rng, {
        rank: 2,
        zoSamples: 3,
        sketchSamples: 3,
        seed: 4,
      }),
    );
    head = this.registerModule('head', new Linear(4, 2, rng));
    async forward(x: Tensor): Promise<Tensor> {
      return this.head.forward((await this.layer.forward(this.front.forward(x).relu())).relu());
    }
  }
  const net = new Net();
  return new Trainer<{ x: Float32Array; y: Int32Array; size: number }>({
    model: net,
    epochs: 3,
    stepsPerEpoch: 3,
    order: new Rng(3),
    physical: [net.layer],
    optimizers: {
      digital: new Adam([...net.front.parameters(), ...net.head.parameters()], { lr: 1e-2 }),
      device: new Adam(net.layer.deviceParameters(), { lr: 1e-2 }),
    },
    rngs: { noise: new Rng(9) },
    batches: (_e, order) => toyBatches(xs, ys, D, order),
    step: async (b) => ({ loss: crossEntropy(await net.forward(fromTypedArray(b.x, [b.size, D])), b.y) }),
    checkpoint,
    checkpointEvery: 1,
    config: { lr: 1e-2 },
    ...(stopAfterSteps !== undefined ? { stopAfterSteps } : {}),
  });
}

const path = join(dir, 'checkpoint.safetensors');
let saved: StateRecord;
const fixed = (state: StateRecord): CheckpointStore => ({ load: () => state, save() {} });

/** Deep copy with one change at a path ('a/b/0'; module keys hold dots); `undefined` deletes it. */
function mutate(state: StateRecord, at: string, value: unknown): StateRecord {
  const copy = structuredClone(state) as Record<string, unknown>;
  const keys = at.split('/');
  let o = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete o[last];
  else o[last] = value;
  return copy as StateRecord;
}

describe('corrupted checkpoints', () => {
  it('setup: a run interrupted mid-epoch 2 leaves a checkpoint that resumes', async () => {
    await build(fileCheckpoint(path), 4).fit();
    saved = readCheckpoint(path);
    expect((saved.position as StateRecord).stepInEpoch).toBe(1);
    const r = await build(fixed(saved)).fit();
    expect(r.history).toHaveLength(3);
  });

  const cases: [string, string, unknown][] = [
    ['another format', 'format', 'x'],
    ['another version', 'version', 2],
    ['no position', 'position', undefined],
    ['an epoch beyond the run', 'position/epoch', 7],
    ['a fractional epoch', 'position/epoch', 1.5],
    ['a negative step', 'position/stepInEpoch', -1],
    ['a step beyond the epoch', 'position/stepInEpoch', 4],
    ['a string step', 'position/globalStep', '4'],
    ['finished mid-epoch', 'position/finished', true],
    ['history shorter than the epoch', 'history', []],
    ['a history record out of order', 'history/0/epoch', 2],
    ['a history loss that is not a number', 'history/0/trainLoss', 'x'],
    ['an accuracy above 1', 'history/0/trainAccuracy', 7],
    ['state: null', 'model', null],
    ['a missing weight', 'model/front.weight', undefined],
    ['a weight of the wrong size', 'model/front.weight', new Float32Array(3)],
    ['a NaN weight', 'model/head.bias', new Float32Array([Number.NaN, 0])],
    ['a dropped optimizer slot', 'optimizers/digital/slots/exp_avg.0', undefined],
    ['a NaN moment', 'optimizers/device/slots/exp_avg_sq.0', new Float64Array(12).fill(Number.NaN)],
    ['a negative step count', 'optimizers/digital/stepCount', -3],
    ['an optimizer of another kind', 'optimizers/digital/kind', 'sgd'],
    ['RNG words that are not numbers', 'rngs/noise/words', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
    ['an all-zero generator', 'rngs/noise/words', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['order generator missing', 'orderAtEpochStart', undefined],
    ['no layer state', 'physical', []],
    ['a layer state that is garbage', 'physical/0', { zoRng: 3 }],
    ['a ZO stream that is garbage', 'physical/0/zoRng', { words: [1] }],
    ['running sums that are not numbers', 'sums/lossSum', 'x'],
    ['more correct than seen', 'sums/correct', 99],
    ['query counters missing', 'sums/queriesAtStart', []],
    ['no config', 'config', undefined],
    ['other settings', 'config', { lr: 2e-2 }],
  ];
  it.each(cases)('%s: refused with a typed error', async (_what, at, value) => {
    const err = await build(fixed(mutate(saved, at, value)))
      .fit()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TenzoError);
  });

  it('any changed byte of the file is found (200 random mutations)', () => {
    const bytes = readFileSync(path);
    const rng = new Rng(5);
    let found = 0;
    for (let k = 0; k < 200; k++) {
      const bad = Buffer.from(bytes);
      const at = rng.int(bad.length);
      bad[at] = (bad[at]! + 1 + rng.int(255)) % 256;
      const p = join(dir, 'bad.safetensors');
      writeFileSync(p, bad);
      try {
        readCheckpoint(p);
      } catch (e) {
        expect(e).toBeInstanceOf(TenzoError);
        found++;
      }
    }
    expect(found).toBe(200);
  });
});
