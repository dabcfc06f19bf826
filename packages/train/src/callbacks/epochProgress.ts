import type { EpochRecord, TrainerCallback } from '../types.js';

/** What `epochProgress` draws on: a progress bar (`@tenzo/cli/node`'s `progressBar` fits). */
export interface ProgressSink {
  /** Advances by `steps` and shows `fields` next to the bar. */
  tick(steps: number, fields?: Record<string, string>): void;
  /**
   * Advances by `steps` done before a resumed run started (in the bar, not in its rate; `@tenzo/cli`'s
   * ProgressBar has it). Sinks without it get `tick`.
   */
  resume?(steps: number): void;
  /** Finishes the bar, showing `fields` on its final line. */
  done(fields?: Record<string, string>): void;
}

/** Shows `steps` a resumed run has already done: `resume` where the sink has it, else `tick`. */
export function resumeSink(sink: ProgressSink, steps: number): void {
  if (typeof sink.resume === 'function') sink.resume(steps);
  else sink.tick(steps);
}

/**
 * Options of `epochProgress`: the factory of one progress bar per epoch and the fields shown when an epoch
 * ends.
 */
export interface EpochProgressOptions {
  /** a new bar per epoch: `label` is "epoch e/E", `total` the epoch's steps */
  readonly bar: (label: string, total: number) => ProgressSink;
  /** the fields shown when an epoch ends besides its train loss (e.g. held-out accuracy) */
  readonly summary?: (record: EpochRecord) => Record<string, string>;
}

/**
 * A progress bar per epoch for `Trainer` runs: the running loss and accuracy while training, the
 * epoch's train loss and `summary(record)` when it ends. A resumed run's bar starts at the step
 * it resumes from. Holds no state of its own, so it needs no place in the checkpoint.
 */
export function epochProgress(opts: EpochProgressOptions): TrainerCallback {
  let bar: ProgressSink | null = null;
  return {
    onEpochStart({ epoch, epochs, stepInEpoch, stepsPerEpoch }) {
      bar = opts.bar(`epoch ${epoch + 1}/${epochs}`, stepsPerEpoch);
      if (stepInEpoch > 0) resumeSink(bar, stepInEpoch);
    },
    onStep(info) {
      bar?.tick(1, {
        loss: info.runningLoss.toFixed(4),
        ...(info.runningAccuracy !== null ? { acc: `${(100 * info.runningAccuracy).toFixed(1)}%` } : {}),
      });
    },
    onEpochEnd(record) {
      bar?.done({ loss: record.trainLoss.toFixed(4), ...opts.summary?.(record) });
    },
  };
}
