import { defineCommand, type FlagValues } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import type { KeywordFeatures } from '@tenzo/data';
import { remoteDeviceFlag, threadsFlag } from '@tenzo/devices/node';
import { driftArgv, driftFlags } from '@tenzo/hybrid';
import { type GridCell, type GridResult, gridCells, gridOutcome } from '@tenzo/train';
import { writeSweepOutputs } from '@tenzo/train/node';
import { cellFlags, flagDefaults, runCells, sweepDevices } from '../training/sweepRunner.js';
import { AUDIO_DATA, audioCommand, loadAudioData, runAudio } from './audio.js';

export const audioSweepCommand = defineCommand({
  description:
    "the paper's table on spoken keywords: accuracy vs rank and samples per device, the ablations, frozen/removed baselines and the digital reference, over seeds (resumable)",
  flags: {
    ...threadsFlag,
    devices: {
      type: 'string',
      default: 'slm,mrr',
      help: 'comma-separated devices (slm, mrr, mzi, matvec, lowrank; remote: the one of --device)',
    },
    ...remoteDeviceFlag,
    ranks: { type: 'range', default: [1, 5, 10, 50], min: 1, help: 'surrogate ranks r (each ≤ --embedding)' },
    samples: { type: 'range', default: [10, 100], min: 1, help: 'M_BB = M_SM values' },
    seeds: { type: 'range', default: [1, 2, 3], min: 0, help: 'seeds, e.g. 1..3' },
    ablations: {
      type: 'boolean',
      default: true,
      help: 'also run zo-only, surrogate-only and exact at rank 10, M = 100',
    },
    // passed through to every `audio` run
    data: { type: 'enum', choices: AUDIO_DATA, default: 'keywords', help: 'audio --data' },
    dataSeed: { type: 'integer', default: 0, min: 0, help: 'audio --data-seed (one cached dataset)' },
    features: { type: 'enum', choices: ['logmel', 'mfcc'], default: 'mfcc', help: 'audio --features' },
    channels: { type: 'integer', default: 16, min: 1, max: 1024, help: 'audio --channels (TDNN width C)' },
    embedding: {
      type: 'integer',
      default: 64,
      min: 2,
      max: 1024,
      help: 'audio --embedding d (the device is d→d; must be ≥ every rank)',
    },
    epochs: { type: 'integer', default: 5, min: 1, help: 'audio --epochs per run' },
    batchSize: { type: 'integer', default: 32, min: 2, max: 4096, help: 'audio --batch-size' },
    ...driftFlags,
    out: {
      type: 'string',
      default: 'runs/audio-sweep',
      meta: 'dir',
      help: 'folder for results.json, the table and the plots',
    },
  },
});

export type AudioSweepFlags = FlagValues<typeof audioSweepCommand.flags>;

export interface AudioSweepOptions {
  /** use these clips instead of loading `--data` (loaded once and shared by every run otherwise) */
  data?: KeywordFeatures;
}

/** The `audio` flags of the network and data, shared by every cell. */
function networkArgv(flags: AudioSweepFlags): string[] {
  return [
    '--data',
    flags.data,
    '--data-seed',
    String(flags.dataSeed),
    '--features',
    flags.features,
    '--channels',
    String(flags.channels),
    '--embedding',
    String(flags.embedding),
    '--batch-size',
    String(flags.batchSize),
  ];
}

/** The cells of an audio sweep, in the order they run (cheap baselines first). */
export function audioSweepCells(flags: AudioSweepFlags): GridCell[] {
  const { devices, deviceFlag } = sweepDevices(flags);
  for (const r of flags.ranks) {
    if (r > flags.embedding) {
      throw new ArgumentError(
        `--ranks: expected every rank ≤ --embedding ${flags.embedding} (the device is ${flags.embedding}×${flags.embedding}), got ${r}`,
      );
    }
  }
  const net = networkArgv(flags);
  const seedArgv = (seed: number) => ['--seed', String(seed)];
  return gridCells({
    devices,
    ranks: flags.ranks,
    samples: flags.samples,
    seeds: flags.seeds,
    ablations: flags.ablations,
    headlineRank: Math.min(10, flags.embedding),
    digital: (seed) => ['--device', 'none', ...net, ...seedArgv(seed)],
    removed: (seed) => ['--device', 'identity', ...net, ...seedArgv(seed)],
    device: (device, seed) => [
      '--device',
      deviceFlag(device),
      ...net,
      ...driftArgv(flags),
      ...seedArgv(seed),
    ],
  });
}

/**
 * Runs every cell of `audioSweepCells` not yet in `<out>/results.json` with `tenzo-train audio`,
 * then writes table.md and accuracy-vs-rank-<device>.svg (dashed: digital and removed).
 */
export async function runAudioSweep(
  flags: AudioSweepFlags,
  opts: AudioSweepOptions = {},
): Promise<GridResult[]> {
  const cells = audioSweepCells(flags);
  let data = opts.data;
  const results = await runCells({
    name: 'audio-sweep',
    config: flags,
    out: flags.out,
    defaults: flagDefaults(audioSweepCommand.flags),
    cells,
    run: async (cell, dir) => {
      const argv = [
        ...cell.argv,
        '--epochs',
        String(flags.epochs),
        '--threads',
        String(flags.threads),
        '--out',
        dir,
      ];
      const cellArgs = cellFlags(argv, 'audio', audioCommand);
      // the clips are the same for every cell: load (or generate) them once
      data ??= await loadAudioData(flags);
      return gridOutcome(await runAudio(cellArgs, { data }), false);
    },
  });
  writeSweepOutputs({
    command: 'audio-sweep',
    config: flags,
    out: flags.out,
    results,
    devices: sweepDevices(flags).devices,
    ranks: flags.ranks,
    samples: flags.samples,
    title: (device) => `keywords (unseen voices), ${device} projection: test accuracy vs surrogate rank`,
    cosine: false,
    references: ['digital', 'removed'],
    json: flags.json,
  });
  return results;
}
