import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnInput, formatTable, type LineSeries, linePlotSvg } from '@tenzo/cli';
import { progressBar } from '@tenzo/cli/node';
import { type Batch, batchCount, batches, type Dataset, type Labels } from '@tenzo/data';
import type { Module } from '@tenzo/nn';
import { type ClassifierEpoch, type FitClassifierOptions, fitClassifier } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';
import { writeRunFiles } from './runFiles.js';

// The composition the classifier commands (mnist, audio) share: @tenzo/train's fitClassifier on a
// dataset with checkpoints under --out, its table and its learning curve.

/**
 * Trains on `train` in batches of `batchSize` (`@tenzo/data`'s batches) with `fitClassifier`,
 * checkpointing in `<out>/checkpoint.safetensors` (resumed with `resume`), progress bars on stderr.
 */
export function trainClassifier(
  o: Omit<FitClassifierOptions<Batch<Labels>>, 'stepsPerEpoch' | 'batches' | 'checkpoint' | 'bar' | 'log'> & {
    train: Dataset;
    batchSize: number;
    /** skip a final batch smaller than batchSize (BatchNorm cannot take one clip) */
    dropLast?: boolean;
    out: string;
  },
) {
  const { train, batchSize, dropLast = false, out, ...rest } = o;
  const path = join(out, 'checkpoint.safetensors');
  if (o.resume && !existsSync(path)) console.error(`no checkpoint at ${path}; starting fresh`);
  return fitClassifier({
    ...rest,
    stepsPerEpoch: batchCount(train.n, batchSize, dropLast),
    batches: (_epoch, rng) => batches(train, { batchSize, rng, dropLast }),
    checkpoint: fileCheckpoint(path),
    bar: (label, total) => progressBar({ label, total, unit: 'steps' }),
    log: (line) => console.error(`${path}: ${line}`),
  });
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
