import { ArgumentError, checkInt, checkNumber, checkObject } from '@tenzo/core';
import { numberField } from '../state/adapters.js';
import type { EpochRecord, TrainerCallback } from '../types.js';

/**
 * Options of `earlyStopping`: the metric watched, whether smaller or larger is better, the epochs without
 * improvement tolerated and the least change that counts as one.
 */
export interface EarlyStoppingOptions {
  /** a key of the epoch's `metrics` (from `evaluate`), or 'trainLoss' */
  readonly metric: string;
  /** 'min' for losses (default), 'max' for accuracies */
  readonly mode?: 'min' | 'max';
  /** epochs without improvement before stopping (default 3) */
  readonly patience?: number;
  /** smallest change that counts as an improvement (default 0) */
  readonly minDelta?: number;
}

/**
 * Stops training when `metric` has not improved for `patience` epochs. Its best value and wait
 * are checkpointed with the run, so a resumed run stops where the uninterrupted one would.
 */
export function earlyStopping(opts: EarlyStoppingOptions): TrainerCallback & { readonly best: number } {
  const fn = 'earlyStopping';
  checkObject(`${fn}: options`, opts);
  if (typeof opts.metric !== 'string' || opts.metric === '')
    throw new ArgumentError(`${fn}: metric expected a metric name, got ${String(opts.metric)}`);
  const mode = opts.mode ?? 'min';
  if (mode !== 'min' && mode !== 'max')
    throw new ArgumentError(`${fn}: mode expected 'min' or 'max', got ${String(mode)}`);
  const patience = checkInt(`${fn}: patience`, opts.patience ?? 3, { positive: true });
  const minDelta = checkNumber(`${fn}: minDelta`, opts.minDelta ?? 0, { min: 0 });
  let best = mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let wait = 0;
  const metricOf = (r: EpochRecord): number => {
    const v = opts.metric === 'trainLoss' ? r.trainLoss : r.metrics[opts.metric];
    if (typeof v !== 'number')
      throw new ArgumentError(
        `${fn}: metric '${opts.metric}' is not in the epoch's metrics (${['trainLoss', ...Object.keys(r.metrics)].join(', ')})`,
      );
    return v;
  };
  return {
    get best() {
      return best;
    },
    onEpochEnd(record) {
      const v = metricOf(record);
      const better = mode === 'min' ? v < best - minDelta : v > best + minDelta;
      if (better) {
        best = v;
        wait = 0;
        return;
      }
      wait++;
      return wait >= patience ? 'stop' : undefined;
    },
    state: () => ({ best, wait }),
    load(state) {
      best = numberField(`${fn}.load`, state, 'best');
      wait = numberField(`${fn}.load`, state, 'wait');
    },
  };
}
