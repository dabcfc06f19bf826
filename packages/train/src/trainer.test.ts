import { ArgumentError, FormatError, Rng, StateError, type StateRecord } from '@tenzo/core';
import {
  Adam,
  cosineLR,
  crossEntropy,
  Dropout,
  Linear,
  Module,
  Parameter,
  ReLU,
  Sequential,
  SGD,
} from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { earlyStopping } from './callbacks/earlyStopping.js';
import { decodeState, encodeState } from './state/codec.js';
import { Trainer } from './trainer.js';
import type { CheckpointStore, EpochRecord, ParamGradLayer, TrainerOptions } from './types.js';

// A 3-class problem of 96 points in 4 dimensions, batches of 10 (the last one smaller).
const N = 96;
const D = 4;
function dataset(): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(11);
  const x = new Float32Array(N * D);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    y[i] = i % 3;
    for (let j = 0; j < D; j++) x[i * D + j] = rng.normal() + (j === y[i] ? 1.5 : 0);
  }
  return { x, y };
}

interface Batch {
  x: Float32Array;
  y: Int32Array;
  size: number;
}

function* epochBatches(data: { x: Float32Array; y: Int32Array }, rng: Rng): Generator<Batch> {
  const order = rng.permutation(N);
  for (let b = 0; b < N; b += 10) {
    const idx = order.subarray(b, Math.min(b + 10, N));
    const x = new Float32Array(idx.length * D);
    const y = new Int32Array(idx.length);
    idx.forEach((i, k) => {
      x.set(data.x.subarray(i * D, (i + 1) * D), k * D);
      y[k] = data.y[i]!;
    });
    yield { x, y, size: idx.length };
  }
}

/**
 * A layer trained like a physical one: its gradient comes from `estimateParamGrad`, a noisy
 * finite-difference-like estimate drawn from its own generator (state()/load() carry it).
 */
class NoisyScale extends Module implements ParamGradLayer {
  readonly scale: Parameter;
  frozen = false;
  readonly queries = { forward: 0, zo: 0 };
  private rng: Rng;
  private lastMean = 0;
  constructor(seed: number) {
    super();
    this.rng = new Rng(seed);
    this.scale = this.registerParameter('scale', new Parameter(new Float64Array([1]), [1]));
  }
  forward(x: Tensor): Tensor {
    this.queries.forward += x.shape[0]!;
    this.lastMean = x.mean().item();
    return x.mul(this.scale.data[0]!);
  }
  async estimateParamGrad(): Promise<{ captured: number }> {
    this.queries.zo += 3;
    this.scale.grad = fromTypedArray(new Float64Array([0.1 * this.lastMean + 0.01 * this.rng.normal()]), [1]);
    return { captured: 1 };
  }
  state(): StateRecord {
    return {
      rng: this.rng.getState() as unknown as StateRecord,
      queries: { ...this.queries },
      lastMean: this.lastMean,
    };
  }
  load(s: StateRecord): void {
    this.rng = Rng.fromState(s.rng as never);
    Object.assign(this.queries, s.queries);
    this.lastMean = s.lastMean as number;
  }
}

/** A checkpoint store in memory that round-trips through the codec like a file would. */
function memoryStore(): CheckpointStore & { saves: number } {
  let saved: ReturnType<typeof encodeState> | null = null;
  return {
    saves: 0,
    load: () => (saved === null ? null : decodeState(saved)),
    save(state) {
      saved = encodeState(state);
      this.saves++;
    },
  };
}

/** Builds the same run from scratch each time (as a restarted process would). */
function build(
  overrides: Partial<TrainerOptions<Batch>> = {},
  withLayer = true,
): { trainer: Trainer<Batch>; model: Module } {
  const data = dataset();
  const root = new Rng(5);
  const init = root.fork();
  const dropoutRng = root.fork();
  const order = root.fork();
  const noise = root.fork();
  const layer = withLayer ? new NoisyScale(9) : null;
  const net = new Sequential(
    new Linear(D, 16, init),
    new ReLU(),
    new Dropout(0.2, dropoutRng),
    new Linear(16, 3, init),
  );
  class Net extends Module {
    readonly body = this.registerModule('body', net);
    readonly layer = layer ? this.registerModule('layer', layer) : null;
    forward(x: Tensor): Tensor {
      const h = this.body.forward(x);
      return this.layer ? this.layer.forward(h) : h;
    }
  }
  const model = new Net();
  const digital = new Adam(net.parameters(), { lr: 1e-2 });
  const optimizers: Record<string, Adam | SGD> = { digital };
  if (layer) optimizers.device = new SGD([layer.scale], { lr: 0.05 });
  const epochs = 4;
  const trainer = new Trainer<Batch>({
    model,
    optimizers,
    schedules: { digital: cosineLR({ lr: 1e-2, totalSteps: epochs * 10 }) },
    epochs,
    stepsPerEpoch: 10,
    order,
    batches: (_e, rng) => epochBatches(data, rng),
    step: (b) => {
      // input noise drawn from a generator of the run (like augmentation)
      const x = b.x.map((v) => v + 0.05 * noise.normal());
      const logits = model.forward(fromTypedArray(x, [b.size, D]));
      const pred = logits.argmax(1).data;
      let correct = 0;
      for (let i = 0; i < b.size; i++) if (pred[i] === b.y[i]) correct++;
      return { loss: crossEntropy(logits, b.y), correct };
    },
    physical: layer ? [layer] : [],
    evaluate: () => {
      const logits = model.forward(fromTypedArray(data.x, [N, D]));
      return { testLoss: crossEntropy(logits, data.y).item() };
    },
    rngs: { dropout: dropoutRng, noise },
    config: { lr: 1e-2, hidden: 16 },
    ...overrides,
  });
  return { trainer, model };
}

const timeless = (h: readonly EpochRecord[]) => h.map(({ seconds: _s, ...r }) => r);
const params = (m: Module) =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));

describe('Trainer', () => {
  it('trains: the loss falls, each epoch has a record with metrics, lr and device queries', async () => {
    const { trainer } = build();
    const { history, interrupted, resumedAt } = await trainer.fit();
    expect(interrupted).toBe(false);
    expect(resumedAt).toBeNull();
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(history[3]!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(history[3]!.metrics.testLoss).toBeLessThan(history[0]!.metrics.testLoss!);
    expect(history[0]!.trainAccuracy).toBeGreaterThan(0);
    // 96 forward rows in training plus 96 in evaluation, 3 ZO queries per step
    expect(history[0]!.deviceQueries).toEqual({ forward: 192, zo: 30, perStep: 22.2 });
    expect(history[0]!.captured).toBe(1);
    expect(history[0]!.lr.device).toBe(0.05);
    // or the training steps' queries only
    const steps = await build({ countEvaluationQueries: false }).trainer.fit();
    expect(steps.history[0]!.deviceQueries).toEqual({ forward: 96, zo: 30, perStep: 12.6 });
  });

  it('resumes bit-identically after an interruption at any step, mid-epoch included', async () => {
    const whole = build();
    const reference = await whole.trainer.fit();
    const store = memoryStore();
    // interrupted every 3–7 steps (checkpoint every step), restarted from scratch each time
    const rng = new Rng(3);
    let runs = 0;
    for (;;) {
      const { trainer, model } = build({
        checkpoint: store,
        checkpointEvery: 1,
        stopAfterSteps: 3 + rng.int(5),
      });
      const r = await trainer.fit();
      runs++;
      if (!r.interrupted) {
        expect(timeless(r.history)).toEqual(timeless(reference.history));
        expect(params(model)).toEqual(params(whole.model));
        break;
      }
    }
    expect(runs).toBeGreaterThan(4);
  });

  it('resumes bit-identically from epoch checkpoints only (the steps after the last are redone)', async () => {
    const whole = build({}, false);
    const reference = await whole.trainer.fit();
    const store = memoryStore();
    await build({ checkpoint: store, stopAfterSteps: 25 }, false).trainer.fit();
    expect(store.saves).toBe(2);
    const { trainer, model } = build({ checkpoint: store }, false);
    const r = await trainer.fit();
    expect(r.resumedAt).toEqual({ epoch: 2, stepInEpoch: 0 });
    expect(timeless(r.history)).toEqual(timeless(reference.history));
    expect(params(model)).toEqual(params(whole.model));
  });

  it('refuses a checkpoint made with other settings, and a malformed one', async () => {
    const store = memoryStore();
    await build({ checkpoint: store, stopAfterSteps: 12 }).trainer.fit();
    await expect(
      build({ checkpoint: store, config: { lr: 2e-2, hidden: 16 } }).trainer.fit(),
    ).rejects.toThrow(ArgumentError);
    const saved = (await store.load())!;
    const broken: CheckpointStore = {
      load: () => ({ ...saved, model: { nope: new Float32Array(1) } }),
      save() {},
    };
    await expect(build({ checkpoint: broken }).trainer.fit()).rejects.toThrow(/missing \[body.0.weight/);
    const wrongFormat: CheckpointStore = { load: () => ({ format: 'x', version: 1 }), save() {} };
    await expect(build({ checkpoint: wrongFormat }).trainer.fit()).rejects.toThrow(FormatError);
  });

  it('resumes a checkpoint whose settings are the same in another order (flags typed in another order)', async () => {
    const whole = build({ config: { lr: 1e-2, hidden: 16, corpus: { name: 'toy', n: 40 } } });
    const reference = await whole.trainer.fit();
    const store = memoryStore();
    const config = { lr: 1e-2, hidden: 16, corpus: { name: 'toy', n: 40 } };
    await build({ checkpoint: store, config, checkpointEvery: 1, stopAfterSteps: 12 }).trainer.fit();
    const reordered = { corpus: { n: 40, name: 'toy' }, hidden: 16, lr: 1e-2 };
    const { trainer, model } = build({ checkpoint: store, config: reordered });
    const r = await trainer.fit();
    expect(r.resumedAt).toEqual({ epoch: 1, stepInEpoch: 2 });
    expect(timeless(r.history)).toEqual(timeless(reference.history));
    expect(params(model)).toEqual(params(whole.model));
    // a changed value is still refused
    await expect(
      build({ checkpoint: store, config: { ...reordered, corpus: { n: 41, name: 'toy' } } }).trainer.fit(),
    ).rejects.toThrow(/made with other settings/);
  });

  it('early stopping stops, and a resumed stopped run stays stopped', async () => {
    const store = memoryStore();
    const cb = earlyStopping({ metric: 'testLoss', mode: 'max', patience: 1 });
    // testLoss falls, so in 'max' mode epoch 2 is no improvement: stop after 2 epochs
    const r = await build({ checkpoint: store, callbacks: [cb] }).trainer.fit();
    expect(r.stoppedEarly).toBe(true);
    expect(r.history).toHaveLength(2);
    const again = await build({
      checkpoint: store,
      callbacks: [earlyStopping({ metric: 'testLoss', mode: 'max', patience: 1 })],
    }).trainer.fit();
    expect(again.stoppedEarly).toBe(true);
    expect(again.history).toHaveLength(2);
    expect(() => earlyStopping({ metric: 'testLoss', patience: 0 })).toThrow(/patience/);
  });

  it('rejects bad options with typed errors naming the argument', () => {
    expect(() => build({ epochs: 0 })).toThrow(/Trainer: epochs/);
    expect(() => build({ checkpointEvery: 1.5 })).toThrow(/checkpointEvery/);
    expect(() => build({ schedules: { nope: () => 1 } })).toThrow(/schedules.nope/);
    expect(() => build({ step: 3 as never })).toThrow(ArgumentError);
    const noState = { frozen: false, estimateParamGrad: async () => ({ captured: 1 }) };
    expect(() => build({ physical: [noState], checkpoint: memoryStore() })).toThrow(
      /physical\[0\] has no state/,
    );
  });

  it('calls afterBackward every step before the optimizers, and awaits async onStep callbacks', async () => {
    const events: string[] = [];
    const { trainer } = build(
      {
        epochs: 1,
        afterBackward: () => void events.push('clip'),
        callbacks: [
          {
            onStep: async (i) => {
              await new Promise((r) => setTimeout(r, 1));
              events.push(`step ${i.stepInEpoch}`);
            },
          },
        ],
      },
      false,
    );
    await trainer.fit();
    expect(events.slice(0, 4)).toEqual(['clip', 'step 1', 'clip', 'step 2']);
    expect(events).toHaveLength(20);
  });

  it('says so when training diverges instead of recording NaN', async () => {
    const { trainer } = build(
      { step: () => ({ loss: fromTypedArray(new Float32Array([Number.NaN]), []) }) },
      false,
    );
    await expect(trainer.fit()).rejects.toThrow(StateError);
  });
});
