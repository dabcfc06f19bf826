import { existsSync } from 'node:fs';
import { type ColumnInput, formatTable, type LineSeries, linePlotSvg } from '@tenzo/cli';
import { progressBar } from '@tenzo/cli/node';
import type { Rng, StateRecord } from '@tenzo/core';
import { type Batch, batchCount, batches, type Dataset, type Labels } from '@tenzo/data';
import type { PhysicalLayer, QueryCounts } from '@tenzo/hybrid';
import {
  Adam,
  type AdamOptions,
  cosineLR,
  type LRSchedule,
  type Module,
  type Optimizer,
  withWarmup,
} from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import { classifierStep, type EpochRecord, epochProgress, Trainer } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';
import { writeRunFiles } from './runFiles.js';

// The composition the classifier commands (mnist, audio) share: optimizers, the Trainer run with
// its checkpoints and progress bars, the per-epoch record, its table and its learning curve.

/**
 * The digital optimizer on a linear warm-up then cosine schedule, and, when `physical` trains
 * (not frozen), Adam on its ω and output gain with a cosine schedule (the reference's lr 1e-2).
 */
export function classifierOptimizers(o: {
  digital: Optimizer;
  lr: number;
  warmup: number;
  totalSteps: number;
  physical: PhysicalLayer | null;
  device: AdamOptions & { lr: number };
}): { optimizers: Record<string, Optimizer>; schedules: Record<string, LRSchedule> } {
  const schedule = cosineLR({ lr: o.lr, totalSteps: Math.max(1, o.totalSteps - o.warmup) });
  const optimizers: Record<string, Optimizer> = { digital: o.digital };
  const schedules: Record<string, LRSchedule> = { digital: withWarmup(schedule, o.warmup) };
  if (o.physical && !o.physical.frozen) {
    const params = o.physical.deviceParameters();
    const names = params.map((_, i) => (i === 0 ? 'device.omega' : 'device.gain'));
    optimizers.device = new Adam(params, o.device, names);
    schedules.device = cosineLR({ lr: o.device.lr, totalSteps: o.totalSteps });
  }
  return { optimizers, schedules };
}

/** The per-epoch record of the classifier commands' reports. */
export interface ClassifierEpoch {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** the digital optimizer's learning rate at the epoch's end */
  lr: number;
  seconds: number;
  /** device input vectors spent this epoch, by purpose, and per step (hybrid runs) */
  deviceQueries?: QueryCounts & { perStep: number };
  /** steps skipped because the device failed after its retries (only when some were) */
  skippedSteps?: number;
  /** the device's faults this epoch: retries, timeouts, rejected answers, rows re-queried… (only when some) */
  deviceFaults?: Record<string, number>;
}

export function classifierEpoch(r: EpochRecord): ClassifierEpoch {
  const record: ClassifierEpoch = {
    epoch: r.epoch,
    trainLoss: r.trainLoss,
    trainAccuracy: r.trainAccuracy!,
    testLoss: r.metrics.testLoss!,
    testAccuracy: r.metrics.testAccuracy!,
    lr: r.lr.digital!,
    seconds: r.seconds,
  };
  if (r.deviceQueries !== undefined)
    record.deviceQueries = r.deviceQueries as unknown as NonNullable<ClassifierEpoch['deviceQueries']>;
  if (r.skippedSteps !== undefined) record.skippedSteps = r.skippedSteps;
  if (r.deviceFaults !== undefined) record.deviceFaults = { ...r.deviceFaults };
  return record;
}

export interface ClassifierRunOptions {
  readonly model: Module;
  readonly optimizers: Record<string, Optimizer>;
  readonly schedules: Record<string, LRSchedule>;
  readonly epochs: number;
  readonly train: Dataset;
  readonly batchSize: number;
  /** skip a final batch smaller than batchSize (BatchNorm cannot take one clip) */
  readonly dropLast?: boolean;
  /** the data-order generator */
  readonly order: Rng;
  /** logits of one training batch (augmentation, normalisation and the forward pass) */
  readonly logits: (batch: Batch<Labels>) => Promise<Tensor>;
  readonly labelSmoothing: number;
  readonly physical: PhysicalLayer | null;
  /** held-out metrics after each epoch (`heldOutMetrics` of @tenzo/train) */
  readonly evaluate: () => Promise<Record<string, number>>;
  readonly countEvaluationQueries?: boolean;
  readonly rngs: Record<string, Rng>;
  readonly checkpointPath: string;
  readonly resume: boolean;
  /** 0: at the end of each epoch only */
  readonly checkpointEvery: number;
  readonly config: StateRecord;
  readonly stopAfterEpochs?: number | undefined;
}

/**
 * Trains a classifier with the Trainer as the mnist and audio commands do: checkpoints in
 * `checkpointPath` (resumed with `resume`), a progress bar per epoch; returns its epochs.
 */
export async function trainClassifier(o: ClassifierRunOptions): Promise<EpochRecord[]> {
  const stepsPerEpoch = batchCount(o.train.n, o.batchSize, o.dropLast ?? false);
  const path = o.checkpointPath;
  if (o.resume && !existsSync(path)) console.error(`no checkpoint at ${path}; starting fresh`);
  const { history } = await new Trainer<Batch<Labels>>({
    model: o.model,
    optimizers: o.optimizers,
    schedules: o.schedules,
    epochs: o.epochs,
    stepsPerEpoch,
    order: o.order,
    batches: (_epoch, rng) =>
      batches(o.train, { batchSize: o.batchSize, rng, dropLast: o.dropLast ?? false }),
    step: async (batch) => classifierStep(await o.logits(batch), batch.y, o.labelSmoothing),
    physical: o.physical ? [o.physical] : [],
    ...(o.countEvaluationQueries === false ? { countEvaluationQueries: false } : {}),
    evaluate: o.evaluate,
    rngs: o.rngs,
    checkpoint: fileCheckpoint(path),
    resume: o.resume,
    callbacks: [
      epochProgress({
        bar: (label, total) => progressBar({ label, total, unit: 'steps' }),
        summary: (r) => ({ test: `${(100 * r.metrics.testAccuracy!).toFixed(2)}%` }),
      }),
      {
        onResume: (at) =>
          console.error(`resuming from ${path} at epoch ${at.epoch + 1}, step ${at.stepInEpoch}`),
      },
    ],
    ...(o.checkpointEvery > 0 ? { checkpointEvery: o.checkpointEvery } : {}),
    config: o.config,
    ...(o.stopAfterEpochs !== undefined ? { stopAfterEpochs: o.stopAfterEpochs } : {}),
  }).fit();
  return [...history];
}

/** The final table: loss and accuracy per epoch (and device queries per step with `queries`). */
export function epochTable(history: readonly ClassifierEpoch[], queries: boolean): string {
  const columns: ColumnInput[] = [
    'epoch',
    { key: 'train loss', number: { fixed: 4 } },
    { key: 'train acc', number: { percent: true, fixed: 2 } },
    { key: 'test loss', number: { fixed: 4 } },
    { key: 'test acc', number: { percent: true, fixed: 2 } },
    { key: 'seconds', number: { fixed: 1 } },
    ...(queries ? [{ key: 'queries/step', number: { fixed: 0 } }] : []),
  ];
  const rows = history.map((h) => ({
    epoch: h.epoch,
    'train loss': h.trainLoss,
    'train acc': h.trainAccuracy,
    'test loss': h.testLoss,
    'test acc': h.testAccuracy,
    seconds: h.seconds,
    ...(queries ? { 'queries/step': h.deviceQueries?.perStep ?? 0 } : {}),
  }));
  return formatTable(rows, columns);
}

/**
 * A classifier run's files under `flags.out`: report.json, learning-curve.svg (train and test
 * accuracy per epoch, with `extra` series such as a target) and model.safetensors.
 */
export function writeClassifierFiles(
  flags: { out: string; json?: string | undefined },
  o: {
    report: object;
    model: Module;
    history: readonly ClassifierEpoch[];
    title: string;
    names: { train: string; test: string };
    extra?: LineSeries[];
  },
): void {
  const epochs = o.history.map((h) => h.epoch);
  const svg = linePlotSvg({
    title: o.title,
    xLabel: 'epoch',
    yLabel: 'accuracy',
    series: [
      { name: o.names.train, x: epochs, y: o.history.map((h) => h.trainAccuracy), markers: true },
      { name: o.names.test, x: epochs, y: o.history.map((h) => h.testAccuracy), markers: true },
      ...(o.extra ?? []),
    ],
  });
  const plot = { name: 'learning-curve.svg', svg };
  writeRunFiles({ ...flags, report: o.report, plot, model: { state: o.model.stateDict() } });
}
