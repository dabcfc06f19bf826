import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { Adam, Linear, mseLoss } from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { Trainer } from '../trainer.js';
import type { CheckpointStore, StepInfo } from '../types.js';
import { epochProgress } from './epochProgress.js';
import { stepLog } from './stepLog.js';
import { meanLoss, validationCurve } from './validationCurve.js';

// y = 2x on 1-d points: a Linear(1, 1) learns it by SGD-like Adam steps.
const points = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x = new Float32Array([rng.normal()]);
    return {
      size: 1,
      x: fromTypedArray(x, [1, 1]),
      y: fromTypedArray(new Float32Array([2 * x[0]!]), [1, 1]),
    };
  });
};
type B = ReturnType<typeof points>[number];

function run(opts: { steps: number; every: number; store?: CheckpointStore; stopAfterSteps?: number }) {
  const model = new Linear(1, 1, new Rng(1));
  const held = points(4, 9);
  const loss = (b: B): Tensor => mseLoss(model.forward(b.x), b.y);
  const ticks: { n: number; fields?: Record<string, string> }[] = [];
  const curve = validationCurve({
    validate: () => meanLoss(model, held, loss),
    every: opts.every,
    totalSteps: opts.steps,
    sample: () => model.weight.item(),
    progress: { tick: (n, fields) => ticks.push({ n, ...(fields ? { fields } : {}) }), done: () => {} },
  });
  const log = stepLog({ entry: (i: StepInfo) => ({ step: i.globalStep, loss: i.loss }) });
  const trainer = new Trainer<B>({
    model,
    optimizers: { adam: new Adam(model.parameters(), { lr: 0.05 }) },
    epochs: 1,
    stepsPerEpoch: opts.steps,
    order: new Rng(3),
    batches: (_e, rng) => points(opts.steps, rng.int(1000)),
    step: (b) => ({ loss: loss(b) }),
    callbacks: [curve, log],
    ...(opts.store ? { checkpoint: opts.store, checkpointEvery: 1 } : {}),
    ...(opts.stopAfterSteps !== undefined ? { stopAfterSteps: opts.stopAfterSteps } : {}),
  });
  return { curve, log, ticks, trainer };
}

describe('validationCurve and stepLog', () => {
  it('records step 0, every k steps and the last step, with the mean training loss since the last point', async () => {
    const { curve, log, ticks, trainer } = run({ steps: 7, every: 3 });
    await curve.start();
    await trainer.fit();
    expect(curve.curve.map((p) => p.step)).toEqual([0, 3, 6, 7]);
    expect(curve.curve[0]!.trainLoss).toBeNull();
    const losses = log.entries.map((e) => e.loss);
    expect(log.entries.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(curve.curve[1]!.trainLoss).toBeCloseTo((losses[0]! + losses[1]! + losses[2]!) / 3, 12);
    expect(curve.curve[3]!.trainLoss).toBeCloseTo(losses[6]!, 12);
    // the loss falls as the weight approaches 2, and the sampled weights average in between
    expect(curve.curve[3]!.valLoss).toBeLessThan(curve.curve[0]!.valLoss);
    expect(curve.sampleMean).not.toBeNull();
    expect(curve.trainSeconds).toBeGreaterThan(0);
    expect(ticks).toHaveLength(7);
    expect(ticks[2]!.fields!.val).toBe(curve.curve[1]!.valLoss.toFixed(3));
  });

  it('a run interrupted and resumed from its checkpoint ends with the same curve and log', async () => {
    const straight = run({ steps: 6, every: 2 });
    await straight.curve.start();
    await straight.trainer.fit();
    let saved: StateRecord | null = null;
    const store: CheckpointStore = { load: () => saved, save: (s) => void (saved = s) };
    const first = run({ steps: 6, every: 2, store, stopAfterSteps: 3 });
    await first.curve.start();
    await first.trainer.fit();
    const second = run({ steps: 6, every: 2, store });
    await second.curve.start();
    await second.trainer.fit();
    expect(second.curve.curve).toEqual(straight.curve.curve);
    expect(second.log.entries).toEqual(straight.log.entries);
    // the resumed run's bar jumps to step 3 first (a sink without resume: by a tick)
    expect(second.ticks[0]).toEqual({ n: 3 });
    // a sink with resume (ProgressBar) gets the 3 done steps through it, outside its rate
    const resumed: number[] = [];
    const ticked: number[] = [];
    const sink = {
      tick: (n: number) => void ticked.push(n),
      done: () => {},
      resume: (n: number) => void resumed.push(n),
    };
    const start = { epoch: 0, epochs: 1, stepInEpoch: 3, stepsPerEpoch: 6, globalStep: 3 } as never;
    validationCurve({ validate: () => 0, every: 2, totalSteps: 6, progress: sink }).onEpochStart?.(start);
    epochProgress({ bar: () => sink }).onEpochStart?.(start);
    stepLog({ entry: () => ({}), progress: sink }).onEpochStart?.(start);
    expect(resumed).toEqual([3, 3, 3]);
    expect(ticked).toEqual([]);
  });

  it('meanLoss averages in eval mode without gradients and leaves the model training; bad options are ArgumentErrors', async () => {
    const model = new Linear(1, 1, new Rng(1));
    const held = points(3, 2);
    const each = held.map((b) => mseLoss(model.forward(b.x), b.y).item());
    const m = await meanLoss(model, held, (b) => mseLoss(model.forward(b.x), b.y));
    expect(m).toBeCloseTo(each.reduce((a, b) => a + b, 0) / 3, 12);
    expect(model.training).toBe(true);
    await expect(meanLoss(model, [], () => mseLoss(held[0]!.x, held[0]!.y))).rejects.toThrow(ArgumentError);
    expect(() => validationCurve({ validate: () => 0, every: 0, totalSteps: 5 })).toThrow(/every/);
    expect(() => stepLog({ entry: 3 as never })).toThrow(ArgumentError);
  });
});
