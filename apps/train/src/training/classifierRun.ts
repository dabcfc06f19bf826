import { existsSync } from 'node:fs';
import type { Rng, StateRecord } from '@tenzo/core';
import { type Batch, batchCount, batches, type Dataset, type Labels } from '@tenzo/data';
import type { PhysicalLayer, QueryCounts } from '@tenzo/hybrid';
import { crossEntropy, type LRSchedule, type Module, type Optimizer } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import { type EpochRecord, type StepOutput, Trainer, type TrainerOptions } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';
import { evaluate, type Forward } from './evaluate.js';
import { epochProgress } from './progress.js';

// What the classifier commands (mnist, audio) hand the Trainer besides their model and data.

/** A step's loss (cross-entropy, label smoothing) and its count of correct predictions. */
export function classifierOutput(
  logits: Tensor,
  labels: ArrayLike<number>,
  labelSmoothing: number,
): StepOutput {
  const pred = logits.argmax(1).data;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
  return { loss: crossEntropy(logits, labels as Int32Array, { labelSmoothing }), correct };
}

/** Held-out loss and accuracy after each epoch, as `testLoss` and `testAccuracy`. */
export function heldOut(
  model: Module,
  forward: Forward,
  x: Float32Array,
  labels: ArrayLike<number>,
  d: number,
  chunk?: number,
): () => Promise<Record<string, number>> {
  return async () => {
    const e = await evaluate(model, forward, x, labels, d, chunk);
    return { testLoss: e.loss, testAccuracy: e.accuracy };
  };
}

/**
 * Checkpoints in `path` (resumed with `resume`), a progress bar per epoch and a line when a run
 * resumes: the Trainer options every classifier command shares.
 */
export function fileRun(
  path: string,
  resume: boolean,
  stepsPerEpoch: number,
): Pick<TrainerOptions<{ size: number }>, 'checkpoint' | 'resume' | 'callbacks'> {
  if (resume && !existsSync(path)) console.error(`no checkpoint at ${path}; starting fresh`);
  return {
    checkpoint: fileCheckpoint(path),
    resume,
    callbacks: [
      epochProgress(stepsPerEpoch, (r) => `${(100 * r.metrics.testAccuracy!).toFixed(2)}%`),
      {
        onResume: (at) =>
          console.error(`resuming from ${path} at epoch ${at.epoch + 1}, step ${at.stepInEpoch}`),
      },
    ],
  };
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

/** Trains a classifier with the Trainer as the mnist and audio commands do; returns its epochs. */
export async function trainClassifier(o: ClassifierRunOptions): Promise<EpochRecord[]> {
  const stepsPerEpoch = batchCount(o.train.n, o.batchSize, o.dropLast ?? false);
  const { history } = await new Trainer<Batch<Labels>>({
    model: o.model,
    optimizers: o.optimizers,
    schedules: o.schedules,
    epochs: o.epochs,
    stepsPerEpoch,
    order: o.order,
    batches: (_epoch, rng) =>
      batches(o.train, { batchSize: o.batchSize, rng, dropLast: o.dropLast ?? false }),
    step: async (batch) => classifierOutput(await o.logits(batch), batch.y, o.labelSmoothing),
    physical: o.physical ? [o.physical] : [],
    ...(o.countEvaluationQueries === false ? { countEvaluationQueries: false } : {}),
    evaluate: o.evaluate,
    rngs: o.rngs,
    ...fileRun(o.checkpointPath, o.resume, stepsPerEpoch),
    ...(o.checkpointEvery > 0 ? { checkpointEvery: o.checkpointEvery } : {}),
    config: o.config,
    ...(o.stopAfterEpochs !== undefined ? { stopAfterEpochs: o.stopAfterEpochs } : {}),
  }).fit();
  return [...history];
}
