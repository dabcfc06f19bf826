import type { Rng, StateRecord } from '@tenzo/core';
import type { LRSchedule, Module, Optimizer } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';

/** Anything the trainer iterates over: a mini-batch of `size` examples. */
export interface SizedBatch {
  readonly size: number;
}

/** What one training step computed: the scalar loss (the trainer calls backward) and its score. */
export interface StepOutput {
  /** the batch's mean loss, a scalar tensor */
  readonly loss: Tensor;
  /** examples predicted correctly (omit when accuracy means nothing for the task) */
  readonly correct?: number;
}

/**
 * A layer whose parameters get their gradient from extra queries after the ordinary backward
 * pass — `@tenzo/hybrid`'s `PhysicalLayer` (ZO ω-gradient). Structural, so `@tenzo/train` does
 * not depend on the device packages.
 */
export interface ParamGradLayer {
  /** a frozen layer gets no gradient step */
  readonly frozen: boolean;
  /**
   * Estimates the layer's parameter gradient from the queries of the last backward; resolves with the
   * share of ‖ȲᵀX‖² its probes carried.
   */
  estimateParamGrad(): Promise<{ readonly captured: number }>;
  /** input vectors sent to the device so far: numeric counters by purpose (e.g. `QueryCounts`) */
  readonly queries?: object;
  /** cosine of the surrogate's x̄ to the exact one at the last backward, when tracked */
  readonly lastSurrogateCosine?: number | null;
  /** fault and drift counters (e.g. `PhysicalLayer.faults`): their growth goes into `deviceFaults` */
  readonly faults?: object;
  /** warnings since the last call (e.g. drift detected): the trainer logs them */
  takeWarnings?(): string[];
  /** layers with a checkpoint contract have it saved with the run */
  state?(): StateRecord;
  /** Restores what `state()` returned when a run resumes. */
  load?(state: StateRecord): void;
}

/** Where checkpoints go: a file (`fileCheckpoint` from `@tenzo/train/node`), or memory in tests. */
export interface CheckpointStore {
  /** the last saved state, or null when there is none */
  load(): StateRecord | null | Promise<StateRecord | null>;
  /** Stores `state` as the latest checkpoint (atomically, for a file). */
  save(state: StateRecord): void | Promise<void>;
}

/** One finished epoch. */
export interface EpochRecord {
  /** 1-based */
  readonly epoch: number;
  /** mean loss over the epoch's training batches (running, in training mode) */
  readonly trainLoss: number;
  /** share of correct training predictions, null when steps report no `correct` */
  readonly trainAccuracy: number | null;
  /** each optimizer's learning rate at the epoch's last step */
  readonly lr: Readonly<Record<string, number>>;
  /** wall time of the epoch, across interruptions (not part of the bit-identical record) */
  readonly seconds: number;
  /** what `evaluate` returned after the epoch (e.g. testLoss, testAccuracy) */
  readonly metrics: Readonly<Record<string, number>>;
  /** with physical layers: device input vectors spent this epoch, by purpose, and per step */
  readonly deviceQueries?: Readonly<Record<string, number>> & { readonly perStep: number };
  /** mean surrogate cosine over the steps that tracked it */
  readonly surrogateCosine?: number;
  /** mean share of ‖ȲᵀX‖² the ZO probes carried (reported by the layers) */
  readonly captured?: number;
  /** steps skipped because a device failed after its retries (present when > 0) */
  readonly skippedSteps?: number;
  /**
   * growth of the physical layers' fault counters this epoch (rows re-queried, queries re-sent,
   * client retries, timeouts, rejected answers, drift checks and rebuilds); present when any grew
   */
  readonly deviceFaults?: Readonly<Record<string, number>>;
}

/** Where the trainer is, passed to callbacks. */
export interface StepInfo {
  /** 0-based epoch and step within it; global step counts from the run's start */
  readonly epoch: number;
  readonly stepInEpoch: number;
  readonly globalStep: number;
  readonly stepsPerEpoch: number;
  readonly epochs: number;
  /** this step's loss and the epoch's running mean loss and accuracy so far */
  readonly loss: number;
  readonly runningLoss: number;
  readonly runningAccuracy: number | null;
}

/**
 * Hooks into `fit`. A callback that keeps state across epochs (early stopping's best score)
 * implements `state`/`load`, and the trainer checkpoints it with the run.
 */
export interface TrainerCallback {
  /** a run resumes from a checkpoint taken at this position (before its first epoch starts) */
  onResume?(at: { epoch: number; stepInEpoch: number }): void;
  /** the epoch starts (also when a run resumes inside it: `stepInEpoch` > 0) */
  onEpochStart?(info: { epoch: number; epochs: number; stepInEpoch: number; stepsPerEpoch: number }): void;
  /** after every step (awaited: e.g. a validation pass every k steps) */
  onStep?(info: StepInfo): void | Promise<void>;
  /** return 'stop' to end training after this epoch (early stopping) */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing continues
  onEpochEnd?(record: EpochRecord, history: readonly EpochRecord[]): void | 'stop';
  /** the callback's own state, checkpointed with the run (e.g. early stopping's best so far) */
  state?(): StateRecord;
  /** Restores what `state()` returned when a run resumes. */
  load?(state: StateRecord): void;
}

/**
 * Options of a {@link Trainer}: the model, optimizers and schedules, epochs, steps per epoch, order and
 * batches, the step itself and a hook after the backward, physical layers, evaluation, RNGs, checkpointing
 * and resume, callbacks, the skip limit, logging and early stops.
 */
export interface TrainerOptions<B extends SizedBatch> {
  /** the network; its parameters and buffers are checkpointed, its train/eval mode is set */
  readonly model: Module;
  /** optimizers by name (e.g. digital, device), stepped in this order */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** learning rate per optimizer from its step count, set before every step */
  readonly schedules?: Readonly<Record<string, LRSchedule>>;
  /** epochs to train (a resumed run continues to this count) */
  readonly epochs: number;
  /** batches per epoch (for progress and per-step figures) */
  readonly stepsPerEpoch: number;
  /**
   * The data-order generator: `batches` draws the epoch's order from it at the start of each
   * epoch. Checkpointed by its state at the start of the epoch, so a resumed run redraws the same
   * order and skips the batches already done.
   */
  readonly order: Rng;
  /** one epoch of batches in the order drawn from `rng` */
  readonly batches: (epoch: number, rng: Rng) => Iterable<B>;
  /** forward and loss of one batch (the model is in training mode; the trainer calls backward) */
  readonly step: (batch: B) => StepOutput | Promise<StepOutput>;
  /** after backward, before the physical layers' estimates and the optimizers (e.g. clipGradNorm) */
  readonly afterBackward?: () => void;
  /** physical layers: after backward, every unfrozen one estimates its parameter gradient */
  readonly physical?: readonly ParamGradLayer[];
  /** after every epoch, in eval mode: metrics for the record (e.g. held-out loss and accuracy) */
  readonly evaluate?: (epoch: number) => Record<string, number> | Promise<Record<string, number>>;
  /**
   * whether an epoch's `deviceQueries` include the evaluation's forward passes (default true) or
   * count the training steps only
   */
  readonly countEvaluationQueries?: boolean;
  /** other generators the run draws from (dropout, augmentation): restored in place on resume */
  readonly rngs?: Readonly<Record<string, Rng>>;
  /** where checkpoints go; none: no checkpoints, no resume */
  readonly checkpoint?: CheckpointStore;
  /** also checkpoint every this many steps (default: at the end of every epoch only) */
  readonly checkpointEvery?: number;
  /** resume from the store's checkpoint if it has one (default true when a store is given) */
  readonly resume?: boolean;
  /** the run's settings: a checkpoint made with other settings is refused on resume */
  readonly config?: StateRecord;
  readonly callbacks?: readonly TrainerCallback[];
  /**
   * A step whose device failed after every retry (an `EvaluationError` from the step, its
   * backward or a layer's estimate; not a refusal or an abort) is skipped: its gradients are
   * discarded, no optimizer steps, one line is logged and the epoch record counts it. After this
   * many skips in a row (default 3; 0: none allowed) the run stops with an `EvaluationError`,
   * the last checkpoint as it was.
   */
  readonly maxConsecutiveSkips?: number;
  /** where skipped steps and the layers' warnings are reported, one line each (default console.warn) */
  readonly log?: (line: string) => void;
  /** test hook: stop (as if killed) after this many steps of this call, checkpoint kept */
  readonly stopAfterSteps?: number;
  /** test hook: stop (as if killed) after this many whole epochs of this call, checkpoint kept */
  readonly stopAfterEpochs?: number;
}

/** What `fit` returns. */
export interface FitResult {
  readonly history: readonly EpochRecord[];
  /** epochs done when this call started (0 for a fresh run) and steps into the next */
  readonly resumedAt: { readonly epoch: number; readonly stepInEpoch: number } | null;
  /** true when a callback stopped training early */
  readonly stoppedEarly: boolean;
  /** true when `stopAfterSteps` ended the call before the last epoch */
  readonly interrupted: boolean;
}
