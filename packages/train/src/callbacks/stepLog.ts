import { ArgumentError, checkObject, describeValue } from '@tenzo/core';
import type { StepInfo, TrainerCallback } from '../types.js';
import { type ProgressSink, resumeSink } from './epochProgress.js';

/**
 * Options of `stepLog`: the record kept for each step, a progress sink ticked every step and the fields it
 * shows.
 */
export interface StepLogOptions<T> {
  /** the record of one step (JSON-serialisable: it is checkpointed as JSON) */
  readonly entry: (info: StepInfo) => T;
  /** ticked every step (and to the resumed step when a run resumes inside an epoch) */
  readonly progress?: ProgressSink;
  /** the fields the progress bar shows after a step */
  readonly fields?: (entry: T) => Record<string, string>;
}

/** A `Trainer` callback that keeps one record per step; read `entries` after `fit`. */
export interface StepLog<T> extends TrainerCallback {
  readonly entries: readonly T[];
}

/**
 * A per-step log of a run (loss, learning rate, any figure the step computed): `entry(info)`
 * after every step, in order. The entries are the callback's checkpointed state, so a resumed
 * run's log is the uninterrupted run's.
 *
 * ```ts
 * const log = stepLog({ entry: ({ globalStep, loss }) => ({ step: globalStep, loss, lr: opt.lr }) });
 * await new Trainer({ ..., callbacks: [log] }).fit();
 * log.entries; // [{ step: 1, loss, lr }, …]
 * ```
 */
export function stepLog<T>(opts: StepLogOptions<T>): StepLog<T> {
  checkObject('stepLog: options', opts);
  if (typeof opts.entry !== 'function')
    throw new ArgumentError(`stepLog: entry expected a function, got ${describeValue(opts.entry)}`);
  let entries: T[] = [];
  return {
    get entries() {
      return entries;
    },
    onEpochStart({ stepInEpoch }) {
      if (stepInEpoch > 0 && opts.progress) resumeSink(opts.progress, stepInEpoch);
    },
    onStep(info) {
      const e = opts.entry(info);
      entries.push(e);
      opts.progress?.tick(1, opts.fields?.(e));
    },
    state: () => ({ entries: JSON.stringify(entries) }),
    load(st) {
      entries = JSON.parse(st.entries as string) as T[];
    },
  };
}
