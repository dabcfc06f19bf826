import { EvaluationError, Rng, type StateRecord } from '@tenzo/core';
import { Adam, crossEntropy, Linear, Module, Parameter } from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { type ToyBatch, toyBatches } from './toyBatches.test-util.js';
import { Trainer } from './trainer.js';
import type { CheckpointStore, ParamGradLayer, TrainerOptions } from './types.js';

// 64 points, 4 dimensions, 2 classes: 8 steps of 8 per epoch
const N = 64;
const D = 4;
const rng = new Rng(5);
const xs = Float32Array.from({ length: N * D }, () => rng.normal());
const ys = Int32Array.from({ length: N }, (_, i) => (xs[i * D]! > 0 ? 1 : 0));

/** A device-like layer whose queries fail on the steps `failing` says (0-based call count). */
class FlakyLayer extends Module implements ParamGradLayer {
  frozen = false;
  calls = 0;
  readonly faults = { retries: 0, rowRequeries: 0 };
  readonly w = this.registerParameter('w', new Parameter(new Float32Array([1]), [1]));
  constructor(private readonly failing: (call: number) => 'ok' | 'exhausted' | 'refused') {
    super();
  }
  forward(x: Tensor): Tensor {
    const what = this.failing(this.calls++);
    this.faults.retries += 3;
    if (what !== 'ok')
      throw Object.assign(
        new EvaluationError(`flaky.query: call ${this.calls - 1}: connection refused\nstack`),
        {
          reason: what,
        },
      );
    return x.mul(this.w);
  }
  async estimateParamGrad() {
    return { captured: 1 };
  }
  state(): StateRecord {
    return { calls: this.calls };
  }
  load(s: StateRecord): void {
    this.calls = s.calls as number;
  }
}

function options(layer: FlakyLayer, extra: Partial<TrainerOptions<ToyBatch>> = {}): TrainerOptions<ToyBatch> {
  const net = new Linear(D, 2, new Rng(1));
  const model = new (class extends Module {
    readonly net = this.registerModule('net', net);
    readonly layer = this.registerModule('layer', layer);
  })();
  return {
    model,
    epochs: 2,
    stepsPerEpoch: N / 8,
    order: new Rng(2),
    physical: [layer],
    optimizers: { digital: new Adam(net.parameters(), { lr: 1e-2 }) },
    batches: (_e, order) => toyBatches(xs, ys, D, order),
    step: (b) => ({ loss: crossEntropy(net.forward(layer.forward(fromTypedArray(b.x, [b.size, D]))), b.y) }),
    ...extra,
  };
}

function memoryStore(): CheckpointStore & { saved: StateRecord[] } {
  const saved: StateRecord[] = [];
  return { saved, load: () => saved.at(-1) ?? null, save: (s) => void saved.push(structuredClone(s)) };
}

describe('Trainer fault policy', () => {
  it('skips a step the device failed (no optimizer step), logs one line and counts it', async () => {
    const lines: string[] = [];
    const layer = new FlakyLayer((c) => (c === 2 || c === 11 ? 'exhausted' : 'ok'));
    const o = options(layer, { log: (l) => lines.push(l) });
    const { history } = await new Trainer(o).fit();
    expect(history.map((h) => h.skippedSteps)).toEqual([1, 1]);
    expect(o.optimizers.digital!.stepCount).toBe(16 - 2);
    expect(lines).toEqual([
      'step 3: skipped, the device failed after its retries (flaky.query: call 2: connection refused)',
      'step 12: skipped, the device failed after its retries (flaky.query: call 11: connection refused)',
    ]);
    expect(history[0]!.deviceFaults).toEqual({ retries: 24, rowRequeries: 0 });
    expect(Number.isFinite(history[1]!.trainLoss)).toBe(true);
  });

  it('a clean run has no skippedSteps or deviceFaults fields', async () => {
    const layer = new FlakyLayer(() => 'ok');
    (layer as { faults: object }).faults = { retries: 0 };
    const layer2 = Object.assign(layer, { forward: (x: Tensor) => x.mul(layer.w) });
    const { history } = await new Trainer(options(layer2)).fit();
    expect(history.every((h) => !('skippedSteps' in h) && !('deviceFaults' in h))).toBe(true);
  });

  it('stops after maxConsecutiveSkips failures in a row with a one-line error; the checkpoint resumes', async () => {
    const store = memoryStore();
    const gone = (c: number) => (c >= 5 ? 'exhausted' : 'ok');
    const o = options(new FlakyLayer(gone), { checkpoint: store, checkpointEvery: 2, log: () => {} });
    const err = await new Trainer({ ...o, maxConsecutiveSkips: 2 }).fit().catch((e) => e);
    expect(err).toBeInstanceOf(EvaluationError);
    expect(err.message).not.toMatch(/\n/);
    expect(err.message).toMatch(
      /^Trainer\.fit: the device failed 3 steps in a row \(more than maxConsecutiveSkips 2; last at epoch 1, step 8: flaky\.query: call 7: connection refused\); stopped, the last checkpoint is intact$/,
    );
    // the last checkpoint (step 6, before the failures) loads and the run finishes from there
    const last = store.saved.at(-1)!;
    expect((last.position as { globalStep: number }).globalStep).toBe(6);
    const healthy = options(new FlakyLayer(() => 'ok'), { checkpoint: store, log: () => {} });
    const done = await new Trainer(healthy).fit();
    expect(done.resumedAt).toEqual({ epoch: 0, stepInEpoch: 6 });
    expect(done.history).toHaveLength(2);
  });

  it('stops at once when the device refuses (4xx) or with maxConsecutiveSkips 0', async () => {
    const refused = options(new FlakyLayer((c) => (c === 1 ? 'refused' : 'ok')));
    await expect(new Trainer(refused).fit()).rejects.toThrow(
      /^Trainer\.fit: step 2: the device failed \(flaky\.query: call 1: connection refused\); stopped, the last checkpoint is intact$/,
    );
    const strict = options(new FlakyLayer((c) => (c === 1 ? 'exhausted' : 'ok')), { maxConsecutiveSkips: 0 });
    await expect(new Trainer(strict).fit()).rejects.toBeInstanceOf(EvaluationError);
  });
});
