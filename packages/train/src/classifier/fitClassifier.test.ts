import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { Adam, Linear } from '@tenzo/nn';
import { fromTypedArray } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { toyBatches } from '../toyBatches.test-util.js';
import type { CheckpointStore, EpochRecord } from '../types.js';
import { heldOutMetrics } from './evaluateClassifier.js';
import { classifierEpoch, fitClassifier } from './fitClassifier.js';

// 3 separable classes in 4 dimensions: 48 training and 24 held-out points, batches of 8.
const d = 4;
function points(n: number, seed: number) {
  const rng = new Rng(seed);
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = Float32Array.from(
    { length: n * d },
    (_, k) => rng.normal() + (k % d === y[Math.floor(k / d)]! ? 2 : 0),
  );
  return { x, y };
}
const train = points(48, 1);
const test = points(24, 2);

function fit(store: CheckpointStore, stopAfterEpochs?: number) {
  const model = new Linear(d, 3, new Rng(5));
  const bars: string[] = [];
  const lines: string[] = [];
  const run = fitClassifier({
    model,
    optimizers: { digital: new Adam(model.parameters(), { lr: 0.05 }) },
    schedules: {},
    epochs: 3,
    stepsPerEpoch: 6,
    order: new Rng(7),
    batches: (_e, rng) => toyBatches(train.x, train.y, d, rng),
    logits: (b) => model.forward(fromTypedArray(b.x, [b.size, d])),
    labelSmoothing: 0,
    physical: [],
    evaluate: heldOutMetrics(model, (t) => model.forward(t), test.x, test.y, d),
    rngs: {},
    checkpoint: store,
    resume: true,
    checkpointEvery: 0,
    config: { lr: 0.05 },
    bar: (label) => {
      bars.push(label);
      return { tick: () => {}, done: (f) => void bars.push(`done ${f?.test}`) };
    },
    log: (line) => lines.push(line),
    stopAfterEpochs,
  });
  return { run, bars, lines };
}

const memory = (): CheckpointStore & { saved: StateRecord | null } => {
  const s = {
    saved: null as StateRecord | null,
    load: () => s.saved,
    save: (st: StateRecord) => void (s.saved = st),
  };
  return s;
};

describe('fitClassifier and classifierEpoch', () => {
  it('trains, reports held-out accuracy per epoch, and resumes bit-identically', async () => {
    const straight = fit(memory());
    const history = await straight.run;
    expect(history).toHaveLength(3);
    const flat = history.map(classifierEpoch);
    expect(flat[2]!.testAccuracy).toBeGreaterThan(0.8); // chance is 1/3
    expect(flat[2]!.lr).toBe(0.05);
    expect(straight.bars).toContain('epoch 3/3');
    expect(straight.bars.at(-1)).toBe(`done ${(100 * flat[2]!.testAccuracy).toFixed(2)}%`);
    const store = memory();
    const first = fit(store, 1);
    expect(await first.run).toHaveLength(1);
    const second = fit(store);
    const resumed = await second.run;
    expect(second.lines).toEqual(['resuming at epoch 2, step 0']);
    const strip = (r: EpochRecord) => ({ ...classifierEpoch(r), seconds: 0 });
    expect(resumed.map(strip)).toEqual(history.map(strip));
  });

  it('flattens the device figures and refuses a record or options that are not there', async () => {
    const r: EpochRecord = {
      epoch: 1,
      trainLoss: 0.5,
      trainAccuracy: 0.9,
      lr: { digital: 0.01, device: 0.1 },
      seconds: 2,
      metrics: { testLoss: 0.6, testAccuracy: 0.85 },
      deviceQueries: { forward: 10, zo: 20, perStep: 5 },
      skippedSteps: 1,
      deviceFaults: { retries: 2 },
    };
    expect(classifierEpoch(r)).toEqual({
      epoch: 1,
      trainLoss: 0.5,
      trainAccuracy: 0.9,
      testLoss: 0.6,
      testAccuracy: 0.85,
      lr: 0.01,
      seconds: 2,
      deviceQueries: { forward: 10, zo: 20, perStep: 5 },
      skippedSteps: 1,
      deviceFaults: { retries: 2 },
    });
    expect(() => classifierEpoch(null as never)).toThrow(ArgumentError);
    await expect(fitClassifier({ logits: 1 } as never)).rejects.toThrow(/batches expected a function/);
  });
});
