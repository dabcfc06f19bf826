import { join } from 'node:path';
import { type ColumnInput, formatTable, type LineSeries, linePlotSvg } from '@tenzo/cli';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { checkArray, checkObject, checkString } from '@tenzo/core';
import type { Module } from '@tenzo/nn';
import { saveSafetensors } from '@tenzo/nn/node';
import type { Tensor } from '@tenzo/tensor';
import type { ClassifierEpoch } from '../classifier/fitClassifier.js';

/** What {@link writeRunFiles} writes. */
export interface RunFilesOptions {
  /** the run's folder */
  out: string;
  /** also write the report here (a command's `--json`) */
  json?: string | undefined;
  /** the report, written as JSON */
  report: object;
  /** the run's plot: its file name under `out` and its SVG text */
  plot: { name: string; svg: string };
  /** the model's state dict, saved as safetensors in PyTorch layout with `metadata` in the header */
  model?: { state: Record<string, Tensor>; metadata?: Record<string, string> };
  /** files written earlier, named first in the "wrote …" line */
  before?: string[];
}

/**
 * Writes a run's files under `out` — report.json, the plot (`plot.name`), model.safetensors — and
 * the report again to `json`; prints "wrote a, b, …" on stdout with `before` first. Returns the
 * paths written, in that order.
 */
export function writeRunFiles(o: RunFilesOptions): string[] {
  checkObject('writeRunFiles: options', o);
  checkString('writeRunFiles: out', o.out);
  checkObject('writeRunFiles: plot', o.plot);
  checkString('writeRunFiles: plot.name', o.plot.name);
  checkString('writeRunFiles: plot.svg', o.plot.svg);
  const files = [join(o.out, 'report.json'), join(o.out, o.plot.name)];
  writeReport(files[0]!, o.report);
  writeSvg(files[1]!, o.plot.svg);
  if (o.model) {
    files.push(join(o.out, 'model.safetensors'));
    saveSafetensors(files[2]!, o.model.state, { format: 'pt', ...o.model.metadata });
  }
  if (o.json) {
    writeReport(o.json, o.report);
    files.push(o.json);
  }
  console.log(`wrote ${[...(o.before ?? []), ...files].join(', ')}`);
  return files;
}

/**
 * A classifier run's final table (`@tenzo/cli`'s formatTable): loss and accuracy per epoch, the
 * epoch's seconds, and with `queries` the device queries per step (0 for an epoch without any).
 */
export function epochTable(history: readonly ClassifierEpoch[], queries: boolean): string {
  checkArray('epochTable: history', history);
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

/** What {@link writeClassifierFiles} writes besides the folder. */
export interface ClassifierFilesOptions {
  report: object;
  model: Module;
  /** the run's epochs (one point per epoch on the curve) */
  history: readonly ClassifierEpoch[];
  /** the plot's title */
  title: string;
  /** the legend names of the train and test accuracy curves */
  names: { train: string; test: string };
  /** further series, such as a dashed target line */
  extra?: LineSeries[];
}

/**
 * A classifier run's files ({@link writeRunFiles}) under `flags.out` (and the report to
 * `flags.json`): report.json, learning-curve.svg — train and test accuracy per epoch, with the
 * `extra` series — and model.safetensors.
 */
export function writeClassifierFiles(
  flags: { out: string; json?: string | undefined },
  o: ClassifierFilesOptions,
): string[] {
  checkObject('writeClassifierFiles: flags', flags);
  checkObject('writeClassifierFiles: options', o);
  checkArray('writeClassifierFiles: history', o.history);
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
  return writeRunFiles({ ...flags, report: o.report, plot, model: { state: o.model.stateDict() } });
}
