import { ArgumentError, checkObject, describeValue, type Rng, type StateRecord } from '@tenzo/core';
import type { LRSchedule, Module, Optimizer } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import { epochProgress, type ProgressSink } from '../callbacks/epochProgress.js';
import { Trainer } from '../trainer.js';
import type { CheckpointStore, EpochRecord, ParamGradLayer } from '../types.js';
import { classifierStep } from './classifierStep.js';

/** One epoch of a classifier run as a report lists it (see {@link classifierEpoch}). */
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
  deviceQueries?: Record<string, number> & { perStep: number };
  /** steps skipped because the device failed after its retries (only when some were) */
  skippedSteps?: number;
  /** the device's faults this epoch: retries, timeouts, rejected answers, rows re-queried… (only when some) */
  deviceFaults?: Record<string, number>;
}

/**
 * A Trainer epoch of a classifier run (`evaluate` returned testLoss and testAccuracy, the digital
 * optimizer is named 'digital') as a flat record: the held-out figures beside the training ones,
 * the device's queries and faults when there were any.
 */
export function classifierEpoch(r: EpochRecord): ClassifierEpoch {
  checkObject('classifierEpoch: record', r);
  const record: ClassifierEpoch = {
    epoch: r.epoch,
    trainLoss: r.trainLoss,
    trainAccuracy: r.trainAccuracy!,
    testLoss: r.metrics.testLoss!,
    testAccuracy: r.metrics.testAccuracy!,
    lr: r.lr.digital!,
    seconds: r.seconds,
  };
  if (r.deviceQueries !== undefined) record.deviceQueries = { ...r.deviceQueries };
  if (r.skippedSteps !== undefined) record.skippedSteps = r.skippedSteps;
  if (r.deviceFaults !== undefined) record.deviceFaults = { ...r.deviceFaults };
  return record;
}

/**
 * Options of `fitClassifier`: the model, optimizers and schedules, epochs and their batches, how logits
 * and labels are read, the physical layers, evaluation, the RNGs and checkpointing/resume, the run's
 * config, a progress bar and logging.
 */
export interface FitClassifierOptions<B extends { readonly size: number; readonly y: ArrayLike<number> }> {
  readonly model: Module;
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  readonly schedules: Readonly<Record<string, LRSchedule>>;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** the data-order generator */
  readonly order: Rng;
  /** one epoch of labelled batches in the order drawn from `rng` (e.g. `@tenzo/data`'s `batches`) */
  readonly batches: (epoch: number, rng: Rng) => Iterable<B>;
  /** logits [B, C] of one training batch (augmentation, normalisation and the forward pass) */
  readonly logits: (batch: B) => Tensor | Promise<Tensor>;
  readonly labelSmoothing: number;
  readonly physical: readonly ParamGradLayer[];
  /** held-out metrics after each epoch, with testLoss and testAccuracy (`heldOutMetrics`) */
  readonly evaluate: () => Promise<Record<string, number>>;
  /** whether the epochs' device queries include the evaluation's (default true) */
  readonly countEvaluationQueries?: boolean;
  /** other generators the run draws from (dropout, augmentation) */
  readonly rngs: Readonly<Record<string, Rng>>;
  readonly checkpoint: CheckpointStore;
  readonly resume: boolean;
  /** also checkpoint every this many steps (0: at the end of each epoch only) */
  readonly checkpointEvery: number;
  readonly config: StateRecord;
  /** a progress bar per epoch (`@tenzo/cli/node`'s `progressBar`) */
  readonly bar: (label: string, total: number) => ProgressSink;
  /** told where a resumed run continues ('resuming at epoch e, step s') */
  readonly log?: (line: string) => void;
  /** test hook: stop after this many epochs, as if interrupted (the checkpoint stays) */
  readonly stopAfterEpochs?: number | undefined;
}

/**
 * Trains a classifier with the `Trainer`: cross-entropy with label smoothing and running accuracy
 * per step (`classifierStep`), the physical layers' ZO steps, held-out metrics per epoch, a
 * progress bar per epoch with the held-out accuracy at its end, checkpoints in `checkpoint`
 * (resumed with `resume`, bit-identically). Returns the Trainer's epoch records
 * (`classifierEpoch` flattens them for a report).
 */
export async function fitClassifier<B extends { readonly size: number; readonly y: ArrayLike<number> }>(
  o: FitClassifierOptions<B>,
): Promise<EpochRecord[]> {
  checkObject('fitClassifier: options', o);
  for (const k of ['batches', 'logits', 'evaluate', 'bar'] as const)
    if (typeof o[k] !== 'function')
      throw new ArgumentError(`fitClassifier: ${k} expected a function, got ${describeValue(o[k])}`);
  const { history } = await new Trainer<B>({
    model: o.model,
    optimizers: o.optimizers,
    schedules: o.schedules,
    epochs: o.epochs,
    stepsPerEpoch: o.stepsPerEpoch,
    order: o.order,
    batches: o.batches,
    step: async (batch) => classifierStep(await o.logits(batch), batch.y, o.labelSmoothing),
    physical: o.physical,
    ...(o.countEvaluationQueries === false ? { countEvaluationQueries: false } : {}),
    evaluate: o.evaluate,
    rngs: o.rngs,
    checkpoint: o.checkpoint,
    resume: o.resume,
    callbacks: [
      epochProgress({
        bar: o.bar,
        summary: (r) => ({ test: `${(100 * r.metrics.testAccuracy!).toFixed(2)}%` }),
      }),
      { onResume: (at) => o.log?.(`resuming at epoch ${at.epoch + 1}, step ${at.stepInEpoch}`) },
    ],
    ...(o.checkpointEvery > 0 ? { checkpointEvery: o.checkpointEvery } : {}),
    config: o.config,
    ...(o.stopAfterEpochs !== undefined ? { stopAfterEpochs: o.stopAfterEpochs } : {}),
  }).fit();
  return [...history];
}
