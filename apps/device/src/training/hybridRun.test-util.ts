import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@tenzo/core';
import type { PhysicalDevice } from '@tenzo/devices';
import { HybridMlp, type PhysicalLayer, type PhysicalLayerOptions } from '@tenzo/hybrid';
import { Adam } from '@tenzo/nn';
import { fromTypedArray } from '@tenzo/tensor';
import { classifierStep, type EpochRecord, heldOutMetrics, Trainer } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';

/** 4 classes in 16 dimensions, two seeded Gaussian clusters each (not linearly separable). */
export function clusters(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const centres = new Rng(7);
  const c = Float64Array.from({ length: 8 * 16 }, () => 1.2 * centres.normal());
  const rng = new Rng(seed);
  const x = new Float32Array(n * 16);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(8);
    y[i] = k % 4;
    for (let j = 0; j < 16; j++) x[i * 16 + j] = c[k * 16 + j]! + 0.9 * rng.normal();
  }
  return { x, y };
}

export interface HybridRun {
  history: readonly EpochRecord[];
  /** held-out accuracy after the last epoch */
  accuracy: number;
  layer: PhysicalLayer;
  /** checkpoints written, and where */
  saves: number;
  checkpointPath: string;
  log: string[];
}

/**
 * The fault-run network: 16 → Linear 16 → [device 16 → 16, rank 4, 4 ZO directions] →
 * Linear 4, trained with Adam for `epochs` × 100 steps of 16 on 1,600 points, evaluated on 400,
 * checkpointed to a file every 50 steps. `device` must be 16 → 16 (a RemoteDevice here).
 */
export async function hybridRun(
  device: PhysicalDevice,
  opts: {
    epochs?: number;
    checkpointPath?: string;
    onStep?: (step: number) => void | Promise<void>;
    /** more PhysicalLayer options (e.g. drift) */
    layer?: PhysicalLayerOptions;
  } = {},
): Promise<HybridRun> {
  const train = clusters(1600, 1);
  const test = clusters(400, 2);
  const layer = { rank: 4, zoSamples: 4, sketchSamples: 4, seed: 0, ...opts.layer };
  const spec = { inputs: 16, width: 16, outputs: 4, dropout: 0, deviceSeed: 0, layer, device };
  const net = new HybridMlp(spec, new Rng(0), new Rng(1), new Rng(2));
  const physical = net.physical!;
  const checkpointPath =
    opts.checkpointPath ?? join(mkdtempSync(join(tmpdir(), 'tenzo-fault-run-')), 'checkpoint.safetensors');
  const file = fileCheckpoint(checkpointPath);
  let saves = 0;
  const log: string[] = [];
  const forward = (x: Parameters<typeof net.forward>[0]) => net.forward(x);
  const { history } = await new Trainer({
    model: net,
    epochs: opts.epochs ?? 3,
    stepsPerEpoch: 100,
    order: new Rng(3),
    physical: [physical],
    optimizers: {
      digital: new Adam(
        net.digitalParameters().map(([, p]) => p),
        { lr: 3e-3 },
      ),
      device: new Adam(physical.deviceParameters(), { lr: 1e-2 }),
    },
    batches: function* (_epoch, order) {
      const perm = order.permutation(1600);
      for (let b = 0; b < 1600; b += 16) {
        const idx = perm.subarray(b, b + 16);
        const x = new Float32Array(16 * 16);
        for (const [k, i] of idx.entries()) x.set(train.x.subarray(i * 16, (i + 1) * 16), k * 16);
        yield { x, y: Int32Array.from(idx, (i) => train.y[i]!), size: 16 };
      }
    },
    step: async (b) => classifierStep(await net.forward(fromTypedArray(b.x, [b.size, 16])), b.y),
    evaluate: heldOutMetrics(net, forward, test.x, test.y, 16),
    checkpoint: {
      load: file.load,
      save: (s) => {
        saves++;
        return file.save(s);
      },
    },
    checkpointEvery: 50,
    log: (line) => log.push(line),
    callbacks: [{ onStep: (info) => opts.onStep?.(info.globalStep) }],
  }).fit();
  return {
    history,
    accuracy: history.at(-1)!.metrics.testAccuracy!,
    layer: physical,
    saves,
    checkpointPath,
    log,
  };
}
