import { Rng } from '@tenzo/core';
import { clementsMesh, slmPhaseMatrix } from '@tenzo/devices';
import { PhysicalLayer } from '@tenzo/hybrid';
import { Adam, crossEntropy, Linear, Module } from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './state/codec.js';
import { toyBatches } from './toyBatches.test-util.js';
import { Trainer } from './trainer.js';
import type { CheckpointStore, EpochRecord } from './types.js';

// Trainer + PhysicalLayer: a run interrupted at random steps and resumed from its checkpoints
// (through the codec, as from a file) ends bit-identical to the uninterrupted run.

const N = 48;
const D = 6;

interface Batch {
  x: Float32Array;
  y: Int32Array;
  size: number;
}

function build(
  device: 'slm' | 'mzi',
  simulation: 'projected' | 'materialised',
  extra: { checkpoint?: CheckpointStore; stopAfterSteps?: number } = {},
) {
  const data = new Rng(2);
  const xs = Float32Array.from({ length: N * D }, () => data.normal());
  const ys = Int32Array.from({ length: N }, (_, i) => (xs[i * D]! + xs[i * D + 1]! > 0 ? 1 : 0));
  const rng = new Rng(7);
  const d = 8;
  const dev =
    device === 'slm'
      ? slmPhaseMatrix({ dIn: d, dOut: d, seed: 1 })
      : clementsMesh({ dIn: d, dOut: d, seed: 1 });
  class Net extends Module {
    front = this.registerModule('front', new Linear(D, d, rng));
    layer = this.registerModule(
      'layer',
      new PhysicalLayer(dev, rng, {
        rank: 3,
        zoSamples: 6,
        sketchSamples: 5,
        seed: 4,
        simulation,
        directions: 'rademacher',
      }),
    );
    head = this.registerModule('head', new Linear(d, 2, rng));
    async forward(x: Tensor): Promise<Tensor> {
      return this.head.forward((await this.layer.forward(this.front.forward(x).relu())).relu());
    }
  }
  const net = new Net();
  const trainer = new Trainer<Batch>({
    model: net,
    epochs: 3,
    stepsPerEpoch: 6,
    order: new Rng(3),
    physical: [net.layer],
    optimizers: {
      digital: new Adam([...net.front.parameters(), ...net.head.parameters()], { lr: 1e-2 }),
      device: new Adam(net.layer.deviceParameters(), { lr: 1e-2 }),
    },
    batches: (_e, order) => toyBatches(xs, ys, D, order),
    step: async (b) => ({ loss: crossEntropy(await net.forward(fromTypedArray(b.x, [b.size, D])), b.y) }),
    evaluate: async () => ({
      testLoss: crossEntropy(await net.forward(fromTypedArray(xs, [N, D])), ys).item(),
    }),
    ...(extra.checkpoint ? { checkpoint: extra.checkpoint, checkpointEvery: 1 } : {}),
    ...(extra.stopAfterSteps ? { stopAfterSteps: extra.stopAfterSteps } : {}),
  });
  return { trainer, net };
}

const timeless = (h: readonly EpochRecord[]) => h.map(({ seconds: _s, ...r }) => r);
const params = (m: Module) =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));

describe('Trainer with physical layers: exact resume', () => {
  for (const device of ['slm', 'mzi'] as const)
    for (const simulation of ['projected', 'materialised'] as const)
      it(`${device}, ${simulation}: interrupted at random steps, bit-identical at the end`, async () => {
        const whole = build(device, simulation);
        const reference = await whole.trainer.fit();
        expect(reference.history[0]!.deviceQueries!.zo).toBeGreaterThan(0);
        let saved: ReturnType<typeof encodeState> | null = null;
        const store: CheckpointStore = {
          load: () => (saved === null ? null : decodeState(saved)),
          save: (s) => {
            saved = encodeState(s);
          },
        };
        const rng = new Rng(device === 'slm' ? 1 : 2);
        for (let runs = 0; ; runs++) {
          const { trainer, net } = build(device, simulation, {
            checkpoint: store,
            stopAfterSteps: 1 + rng.int(4),
          });
          const r = await trainer.fit();
          if (r.interrupted) continue;
          expect(runs).toBeGreaterThan(3);
          expect(timeless(r.history)).toEqual(timeless(reference.history));
          expect(params(net)).toEqual(params(whole.net));
          expect(net.layer.queries).toEqual(whole.net.layer.queries);
          break;
        }
      }, 60_000);
});
