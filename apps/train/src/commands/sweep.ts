import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, type FlagValues, parseCommand } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import { convFrontWidth } from '@tenzo/hybrid';
import { estimatorArgv, estimatorFlags, rebuildArgv, rebuildFlags } from '../training/estimatorFlags.js';
import { convFront, frontArgv, frontFlags } from '../training/frontFlags.js';
import { resumeFlags } from '../training/resumeFlags.js';
import {
  flagDefaults,
  gridCells,
  parseSweepDevices,
  runCells,
  SWEEP_SELECTION,
  type SweepCell,
  type SweepResult,
  writeSweepOutputs,
} from '../training/sweepRunner.js';
import { threadsFlag } from '../training/threads.js';
import { type MnistFlags, mnistCommand, runMnist } from './mnist.js';

export { type SweepCell, type SweepResult, summarize } from '../training/sweepRunner.js';

export const sweepCommand = defineCommand({
  description:
    "the paper's table on MNIST: accuracy vs rank and samples per device, the ablations, frozen/removed baselines and the digital reference, over seeds (resumable)",
  flags: {
    ...threadsFlag,
    devices: {
      type: 'string',
      default: 'slm,mrr,mzi',
      help: 'comma-separated devices (slm, mrr, mzi, matvec, lowrank)',
    },
    ranks: { type: 'range', default: [1, 5, 10, 50], min: 1, help: 'surrogate ranks r' },
    samples: { type: 'range', default: [10, 100, 1000], min: 1, help: 'M_BB = M_SM values' },
    seeds: { type: 'range', default: [1, 2, 3], min: 0, help: 'seeds, e.g. 1..3' },
    epochs: { type: 'integer', default: 3, min: 1, help: 'epochs per run' },
    width: { type: 'integer', default: 256, min: 2, help: 'hidden width W (784-W-[device W→W]-10)' },
    ...frontFlags,
    ...estimatorFlags,
    ...rebuildFlags,
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
    ...resumeFlags,
  },
});

type SweepFlags = FlagValues<typeof sweepCommand.flags>;

/** The cells of a sweep, in the order they run (cheap baselines first). */
export function sweepCells(
  flags: Pick<
    SweepFlags,
    | 'devices'
    | 'ranks'
    | 'samples'
    | 'seeds'
    | 'width'
    | 'ablations'
    | 'batchRank'
    | 'sketchSamples'
    | 'sketchEstimator'
    | 'backwardProbes'
    | 'backwardEstimator'
    | 'directions'
    | 'simulation'
    | 'surrogateCosine'
    | 'rebuildEvery'
    | keyof typeof frontFlags
  >,
): SweepCell[] {
  const devices = parseSweepDevices(flags.devices);
  const conv = convFront(flags, 28, 28);
  const width = conv ? convFrontWidth(conv) : flags.width;
  // the network's shape: the dense front's width, or the conv front (which fixes W itself)
  const w = conv ? frontArgv(flags) : ['--width', String(flags.width)];
  // every device run estimates the same way (the paper's unless the estimator flags say otherwise),
  // and rebuilds its surrogate as --rebuild-every says
  const estimator = [...estimatorArgv(flags), ...rebuildArgv(flags)];
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
      ...(conv ? w : ['--hidden', `${flags.width},${flags.width}`]),
      '--seed',
      String(seed),
    ],
    removed: (seed) => ['--device', 'identity', ...w, '--seed', String(seed)],
    device: (device, seed) => ['--device', device, ...w, ...estimator, '--seed', String(seed)],
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function runSweep(flags: SweepFlags): Promise<SweepResult[]> {
  const results = await runCells({
    command: 'sweep',
    config: flags,
    out: flags.out,
    selection: SWEEP_SELECTION,
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
      const argv = [
        ...cell.argv,
        '--epochs',
        String(flags.epochs),
        '--threads',
        String(flags.threads),
        // a cell interrupted mid-run continues from its own checkpoint
        '--resume',
        '--checkpoint-every',
        String(flags.checkpointEvery),
        '--out',
        dir,
      ];
      const parsed = parseCommand(argv, { name: 'tenzo-train' }, 'mnist', mnistCommand);
      if ('kind' in parsed) throw new ArgumentError(`sweep: cell ${cell.key} asked for help`);
      const history = await runMnist(parsed.flags as MnistFlags);
      const last = history[history.length - 1]!;
      return {
        testAccuracy: last.testAccuracy,
        secondsPerEpoch: mean(history.map((h) => h.seconds)),
        queriesPerStep: last.deviceQueries?.perStep ?? null,
        surrogateCosine: last.surrogateCosine ?? null,
      };
    },
  });
  writeSweepOutputs({
    command: 'sweep',
    config: flags,
    out: flags.out,
    results,
    devices: parseSweepDevices(flags.devices),
    ranks: flags.ranks,
    samples: flags.samples,
    title: (device) => `MNIST, ${device} layer: test accuracy vs surrogate rank`,
    cosine: true,
    references: ['digital'],
    json: flags.json,
  });
  return results;
}
