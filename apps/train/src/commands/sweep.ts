import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, type FlagValues } from '@tenzo/cli';
import { remoteDeviceFlag, threadsFlag } from '@tenzo/devices/node';
import {
  driftArgv,
  driftFlags,
  estimatorArgv,
  estimatorFlags,
  frontArgv,
  frontFlags,
  frontShape,
  rebuildArgv,
  rebuildFlags,
  withWidth,
} from '@tenzo/hybrid';
import { type GridCell, type GridResult, gridCells, gridOutcome } from '@tenzo/train';
import { checkpointFlags, writeSweepOutputs } from '@tenzo/train/node';
import { cellFlags, flagDefaults, runCells, sweepDevices } from '../training/sweepRunner.js';
import { mnistCommand, runMnist } from './mnist.js';

export const sweepCommand = defineCommand({
  description:
    "the paper's table on MNIST: accuracy vs rank and samples per device, the ablations, frozen/removed baselines and the digital reference, over seeds (resumable)",
  flags: {
    ...threadsFlag,
    devices: {
      type: 'string',
      default: 'slm,mrr,mzi',
      help: 'comma-separated devices (slm, mrr, mzi, matvec, lowrank; remote: the one of --device)',
    },
    ...remoteDeviceFlag,
    ranks: { type: 'range', default: [1, 5, 10, 50], min: 1, help: 'surrogate ranks r' },
    samples: { type: 'range', default: [10, 100, 1000], min: 1, help: 'M_BB = M_SM values' },
    seeds: { type: 'range', default: [1, 2, 3], min: 0, help: 'seeds, e.g. 1..3' },
    epochs: { type: 'integer', default: 3, min: 1, help: 'epochs per run' },
    width: {
      type: 'integer',
      min: 2,
      help: 'with --front dense: hidden width W (784-W-[device W→W]-10; default 256)',
    },
    ...frontFlags,
    ...estimatorFlags,
    ...rebuildFlags,
    ...driftFlags,
    ablations: {
      type: 'boolean',
      default: true,
      help: 'also run zo-only, surrogate-only and exact at rank 10, M = 100',
    },
    out: {
      type: 'string',
      default: 'runs/sweep',
      meta: 'dir',
      help: 'folder for results.json, the table and the plot',
    },
    ...checkpointFlags,
  },
});

type SweepFlags = FlagValues<typeof sweepCommand.flags>;

/** The cells of a sweep, in the order they run (cheap baselines first). */
export function sweepCells(flags: SweepFlags): GridCell[] {
  const { devices, deviceFlag } = sweepDevices(flags);
  const { conv, width } = frontShape(flags, 28, 28);
  // the network's shape: the dense front's width, or the conv front (which fixes W itself)
  const w = conv ? frontArgv(flags) : ['--width', String(width)];
  // every device run estimates the same way (the paper's unless the estimator flags say otherwise),
  // rebuilds its surrogate as --rebuild-every says and watches drift as --drift-every says
  const estimator = [...estimatorArgv(flags), ...rebuildArgv(flags), ...driftArgv(flags)];
  const seedArgv = (seed: number) => ['--seed', String(seed)];
  return gridCells({
    devices,
    ranks: flags.ranks,
    samples: flags.samples,
    seeds: flags.seeds,
    ablations: flags.ablations,
    // baselines and ablations at the paper's headline setting: rank 10 (or W if smaller), M = 100
    headlineRank: Math.min(10, width),
    digital: (seed) => [
      '--device',
      'none',
      ...(conv ? w : ['--hidden', `${width},${width}`]),
      ...seedArgv(seed),
    ],
    removed: (seed) => ['--device', 'identity', ...w, ...seedArgv(seed)],
    device: (device, seed) => ['--device', deviceFlag(device), ...w, ...estimator, ...seedArgv(seed)],
  });
}

export async function runSweep(sweepFlags: SweepFlags): Promise<GridResult[]> {
  const flags = withWidth(sweepFlags);
  const results = await runCells({
    name: 'sweep',
    config: flags,
    out: flags.out,
    defaults: flagDefaults(sweepCommand.flags),
    cells: sweepCells(flags),
    // results written before the cosine was recorded: read it back from the run's own report
    backfill: (r, dir) => {
      if (r.surrogateCosine !== undefined) return;
      const report = join(dir, 'report.json');
      if (!existsSync(report)) return;
      const epochs = JSON.parse(readFileSync(report, 'utf8')).epochs as { surrogateCosine?: number }[];
      r.surrogateCosine = epochs[epochs.length - 1]?.surrogateCosine ?? null;
    },
    run: async (cell, dir) => {
      const common = ['--epochs', String(flags.epochs), '--threads', String(flags.threads)];
      // a cell interrupted mid-run continues from its own checkpoint
      const resume = ['--resume', '--checkpoint-every', String(flags.checkpointEvery), '--out', dir];
      const history = await runMnist(cellFlags([...cell.argv, ...common, ...resume], 'mnist', mnistCommand));
      return gridOutcome(history, true);
    },
  });
  writeSweepOutputs({
    command: 'sweep',
    config: flags,
    out: flags.out,
    results,
    devices: sweepDevices(flags).devices,
    ranks: flags.ranks,
    samples: flags.samples,
    title: (device) => `MNIST, ${device} layer: test accuracy vs surrogate rank`,
    cosine: true,
    references: ['digital'],
    json: flags.json,
  });
  return results;
}
