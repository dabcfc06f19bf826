import { join } from 'node:path';
import { defineCommand, type FlagValues, formatTable, linePlotSvg } from '@tenzo/cli';
import { DEVICE_FLAG_PREFIXES, threadsFlag } from '@tenzo/devices/node';
import {
  driftArgv,
  driftFlags,
  estimatorArgv,
  estimatorFlags,
  estimatorLabel,
  frontArgv,
  frontFlags,
  frontShape,
  layerFlags,
  rebuildArgv,
  rebuildFlags,
  rebuildLabel,
  withWidth,
} from '@tenzo/hybrid';
import { gridOutcome } from '@tenzo/train';
import { checkpointFlags, writeRunFiles } from '@tenzo/train/node';
import { cellFlags } from '../training/sweepRunner.js';
import { type EpochRecord, mnistCommand, runMnist } from './mnist.js';

/**
 * The README's main job: a hybrid MNIST network trained by the paper's method (rank 10,
 * M_BB = M_SM = 100), next to the all-digital network of the same shape, the "layer removed" and
 * the "device frozen at init" baselines, each run with the same seed, split, augmentation and
 * schedule.
 *
 * Defaults: 784-conv14/14×8-[SLM 32→32]-10 for 20 epochs. Eight 14×14 filters on the image's
 * quadrants give the device 32 inputs, and the device is the only layer that mixes features
 * across the image, so removing it costs accuracy (the reference's 784-256-[256→256]-10, `--front
 * dense --width 256 --epochs 5`, loses under a point without its device). 32×32 = 1,024 phases keep
 * the ZO estimate's relative error at √(1024/100) ≈ 3 — at W = 64 it is 6.4 and the device ends
 * below removal (apps/train/README.md).
 */
export const hybridCommand = defineCommand({
  description:
    'train the hybrid MNIST network (one hidden layer a simulated device) beside the digital network of the same shape, the layer-removed and the frozen-device baselines; print them side by side',
  flags: {
    ...threadsFlag,
    device: {
      type: 'enum',
      choices: ['slm', 'mrr', 'mzi', 'usv', 'monarch', 'matvec', 'lowrank'],
      prefixes: DEVICE_FLAG_PREFIXES,
      default: 'slm',
      help: 'the simulated device that replaces the W→W hidden layer, or a served one: remote:http://host:port (token from $TENZO_DEVICE_TOKEN)',
    },
    epochs: { type: 'integer', default: 20, min: 1, max: 1000, help: 'epochs for every network' },
    width: {
      type: 'integer',
      min: 2,
      max: 4096,
      help: 'with --front dense: hidden width W (default 256; with the conv front an error)',
    },
    rank: layerFlags.rank,
    samples: layerFlags.samples,
    ...frontFlags,
    // the main job's shape: 8 filters, 2·2·8 = 32 device inputs (see the doc comment)
    front: { ...frontFlags.front, default: 'conv' },
    convChannels: { ...frontFlags.convChannels, default: 8 },
    ...estimatorFlags,
    ...rebuildFlags,
    ...driftFlags,
    mode: { ...layerFlags.mode, help: 'how the device gradients are obtained (zo+surrogate is the method)' },
    baselines: {
      type: 'boolean',
      default: true,
      help: 'also train the digital, layer-removed and frozen-device networks (--no-baselines: the hybrid only)',
    },
    out: { type: 'string', default: 'runs/hybrid', meta: 'dir', help: 'folder for reports and plots' },
    ...checkpointFlags,
  },
});

export type HybridFlags = FlagValues<typeof hybridCommand.flags>;

export interface HybridRow {
  network: string;
  testAccuracy: number;
  secondsPerEpoch: number;
  queriesPerStep: number | null;
  surrogateCosine: number | null;
  history: EpochRecord[];
}

/** The `tenzo-train mnist` argument lists of the networks: digital, removed, frozen, hybrid. */
export function hybridRuns(flags: HybridFlags): { network: string; argv: string[] }[] {
  const { conv, width } = frontShape(flags, 28, 28);
  const w = String(width);
  const shape = conv ? frontArgv(flags) : [...frontArgv(flags), '--width', w];
  const cnn = flags.front === 'cnn';
  const front = conv ? `conv${conv.kernel}/${conv.stride}×${conv.channels}` : cnn ? `cnn16,32-${w}` : w;
  const common = [
    '--epochs',
    String(flags.epochs),
    '--seed',
    String(flags.seed),
    '--threads',
    String(flags.threads),
    // the runs checkpoint as --resume and --checkpoint-every say
    ...(flags.resume ? ['--resume'] : []),
    '--checkpoint-every',
    String(flags.checkpointEvery),
  ];
  const deviceArgv = ['--device', flags.device, ...shape, '--rank', String(flags.rank), ...driftArgv(flags)];
  const runs = [
    {
      name: 'hybrid',
      network: `${flags.device}, ${flags.mode} (r = ${flags.rank}, M = ${flags.samples}${estimatorLabel(flags)}${rebuildLabel(flags)})`,
      argv: [
        ...deviceArgv,
        '--samples',
        String(flags.samples),
        '--mode',
        flags.mode,
        ...estimatorArgv(flags),
        ...rebuildArgv(flags),
      ],
    },
  ];
  if (flags.baselines) {
    runs.unshift(
      {
        name: 'digital',
        network: `digital 784-${front}-${w}-10`,
        argv: ['--device', 'none', ...(conv || cnn ? shape : ['--hidden', `${w},${w}`])],
      },
      { name: 'removed', network: `layer removed 784-${front}-10`, argv: ['--device', 'identity', ...shape] },
      { name: 'frozen', network: `${flags.device} frozen at init`, argv: [...deviceArgv, '--freeze-device'] },
    );
  }
  return runs.map((r) => ({
    network: r.network,
    argv: [...r.argv, ...common, '--out', join(flags.out, r.name)],
  }));
}

export async function runHybrid(hybridFlags: HybridFlags): Promise<HybridRow[]> {
  const flags = withWidth(hybridFlags);
  const rows: HybridRow[] = [];
  for (const run of hybridRuns(flags)) {
    console.error(`\n== ${run.network}`);
    const history = await runMnist(cellFlags(run.argv, 'mnist', mnistCommand));
    const { surrogateCosine, ...outcome } = gridOutcome(history, true);
    rows.push({ network: run.network, ...outcome, surrogateCosine: surrogateCosine ?? null, history });
  }
  console.log(
    `\nMNIST, ${flags.epochs} epochs, seed ${flags.seed}: test accuracy on the 2,000 held-out digits`,
  );
  console.log(
    formatTable(
      rows.map((r) => ({
        network: r.network,
        'test acc': r.testAccuracy,
        's / epoch': r.secondsPerEpoch,
        'queries / step': r.queriesPerStep === null ? '–' : Math.round(r.queriesPerStep),
        'cos(x̄)': r.surrogateCosine === null ? '–' : r.surrogateCosine.toFixed(2),
      })),
      [
        'network',
        { key: 'test acc', number: { percent: true, fixed: 2 } },
        { key: 's / epoch', number: { fixed: 1 } },
        'queries / step',
        'cos(x̄)',
      ],
    ),
  );
  const report = { command: 'hybrid', seed: flags.seed, config: flags, results: rows };
  writeRunFiles({
    out: flags.out,
    json: flags.json,
    report,
    plot: {
      name: 'test-accuracy.svg',
      svg: linePlotSvg({
        title: `MNIST: hybrid (${flags.device}) vs digital, seed ${flags.seed}`,
        xLabel: 'epoch',
        yLabel: 'test accuracy',
        series: rows.map((r, i) => ({
          name: r.network,
          x: r.history.map((h) => h.epoch),
          y: r.history.map((h) => h.testAccuracy),
          markers: true,
          dashed: flags.baselines && i < 3,
        })),
      }),
    },
  });
  return rows;
}
