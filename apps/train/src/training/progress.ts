import { progressBar } from '@tenzo/cli/node';
import type { EpochRecord, TrainerCallback } from '@tenzo/train';

/**
 * A progress bar per epoch for `Trainer` runs: running loss and accuracy while training, then
 * the epoch's train loss and `test(record)` (e.g. held-out accuracy) when it ends.
 */
export function epochProgress(stepsPerEpoch: number, test: (record: EpochRecord) => string): TrainerCallback {
  let bar: ReturnType<typeof progressBar> | null = null;
  return {
    onEpochStart({ epoch, epochs, stepInEpoch }) {
      bar = progressBar({ label: `epoch ${epoch + 1}/${epochs}`, total: stepsPerEpoch, unit: 'steps' });
      if (stepInEpoch > 0) bar.tick(stepInEpoch);
    },
    onStep(info) {
      bar?.tick(1, {
        loss: info.runningLoss.toFixed(4),
        ...(info.runningAccuracy !== null ? { acc: `${(100 * info.runningAccuracy).toFixed(1)}%` } : {}),
      });
    },
    onEpochEnd(record) {
      bar?.done({ loss: record.trainLoss.toFixed(4), test: test(record) });
    },
  };
}
