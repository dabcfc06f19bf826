import { Rng, ShapeError } from '@tenzo/core';
import { crossEntropy, Linear } from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { epochProgress, type ProgressSink } from '../callbacks/epochProgress.js';
import type { EpochRecord } from '../types.js';
import { classifierStep } from './classifierStep.js';
import { evaluateClassifier, heldOutMetrics } from './evaluateClassifier.js';

const n = 37;
const d = 5;
const rng = new Rng(4);
const x = Float32Array.from({ length: n * d }, () => rng.normal());
const labels = Int32Array.from({ length: n }, (_, i) => i % 3);

describe('evaluateClassifier', () => {
  it('equals one full-batch cross-entropy and argmax accuracy, for any chunk, and restores the mode', async () => {
    const model = new Linear(d, 3, new Rng(1));
    model.train();
    const logits = model.forward(fromTypedArray(x, [n, d]));
    const pred = logits.argmax(1).data;
    const acc = labels.filter((y, i) => pred[i] === y).length / n;
    const loss = crossEntropy(logits, labels).item();
    for (const chunk of [1, 7, 1000]) {
      const e = await evaluateClassifier(model, (t) => model.forward(t), x, labels, d, chunk);
      expect(e.accuracy).toBe(acc);
      expect(e.loss).toBeCloseTo(loss, 5);
      expect(model.training).toBe(true);
    }
    const async = await heldOutMetrics(model, async (t: Tensor) => model.forward(t), x, labels, d)();
    expect(async.testAccuracy).toBe(acc);
    expect(async.testLoss).toBeCloseTo(loss, 5);
  });

  it('rejects x that does not hold labels.length rows of d', async () => {
    const model = new Linear(d, 3, new Rng(1));
    await expect(evaluateClassifier(model, (t) => model.forward(t), x, labels, 4)).rejects.toThrow(
      ShapeError,
    );
    await expect(evaluateClassifier(model, (t) => model.forward(t), x, [], d)).rejects.toThrow(
      /x expected labels.length·d = 0·5 values/,
    );
  });
});

describe('classifierStep', () => {
  it('returns the smoothed cross-entropy and the count of right predictions', () => {
    const logits = fromTypedArray(Float32Array.from([2, 0, 0, 0, 3, 0, 1, 0, 0]), [3, 3]);
    const out = classifierStep(logits, [0, 1, 2], 0.1);
    expect(out.correct).toBe(2);
    expect(out.loss.item()).toBeCloseTo(crossEntropy(logits, [0, 1, 2], { labelSmoothing: 0.1 }).item(), 7);
  });
});

describe('epochProgress', () => {
  it('opens a bar per epoch, starts a resumed epoch at its step and ends with the summary', () => {
    const log: string[] = [];
    const sink = (label: string, total: number): ProgressSink => {
      log.push(`open ${label} ${total}`);
      return {
        tick: (k, f) => log.push(`tick ${k}${f ? ` ${JSON.stringify(f)}` : ''}`),
        done: (f) => log.push(`done ${JSON.stringify(f)}`),
      };
    };
    const cb = epochProgress({ bar: sink, summary: (r) => ({ test: `${r.metrics.acc}` }) });
    cb.onEpochStart?.({ epoch: 1, epochs: 3, stepInEpoch: 4, stepsPerEpoch: 10 });
    void cb.onStep?.({
      epoch: 1,
      stepInEpoch: 5,
      globalStep: 15,
      stepsPerEpoch: 10,
      epochs: 3,
      loss: 1,
      runningLoss: 0.5,
      runningAccuracy: 0.25,
    });
    void cb.onEpochEnd?.({ trainLoss: 0.123456, metrics: { acc: 0.9 } } as unknown as EpochRecord, []);
    expect(log).toEqual([
      'open epoch 2/3 10',
      'tick 4',
      'tick 1 {"loss":"0.5000","acc":"25.0%"}',
      'done {"loss":"0.1235","test":"0.9"}',
    ]);
  });
});
