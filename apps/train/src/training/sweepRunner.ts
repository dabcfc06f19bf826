import { join } from 'node:path';
import { type CommandSpec, type FlagValues, kebabCase, parseCommand } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import { checkRemoteFlag } from '@tenzo/devices/node';
import { DEVICE_KINDS } from '@tenzo/hybrid';
import type { GridResult } from '@tenzo/train';
import { type RunGridOptions, readSweepFile, runGrid } from '@tenzo/train/node';

/**
 * The app side of the paper-table sweeps (`sweep` on MNIST, `audio-sweep` on keywords) over
 * `@tenzo/train`'s grid: the --devices list, a resumable results.json rewritten after every run
 * (`runSweep`), table.md and one accuracy-vs-rank plot per device.
 */

/**
 * `--devices a,b`: the simulated devices (not none/identity, which are the digital and removed
 * cells) and 'remote', the served device of `--device remote:<url>` (checked here, and refused
 * with the ablations: their exact modes need a simulator). `deviceFlag(d)` is a cell's --device.
 */
export function sweepDevices(flags: { devices: string; device?: string | undefined; ablations: boolean }): {
  devices: string[];
  deviceFlag: (device: string) => string;
} {
  const devices = flags.devices.split(',').map((d) => d.trim());
  for (const d of devices) {
    if (
      (!(DEVICE_KINDS as readonly string[]).includes(d) && d !== 'remote') ||
      d === 'none' ||
      d === 'identity'
    )
      throw new ArgumentError(
        `--devices: expected a list of slm, mrr, mzi, matvec, lowrank, remote, got '${d}'`,
      );
  }
  const url = checkRemoteFlag(flags.device, devices.includes('remote'), '--devices');
  if (url !== undefined && flags.ablations)
    throw new ArgumentError(
      '--ablations: the exact, surrogate-only and zo-only cells need a simulator, not the remote device; add --no-ablations',
    );
  return { devices, deviceFlag: (d) => (d === 'remote' ? url! : d) };
}

/** The flags that pick a sweep's cells and outputs (and where its device is served), not what each cell computes. */
export const SWEEP_SELECTION = [
  'devices',
  'ranks',
  'samples',
  'seeds',
  'ablations',
  'out',
  'json',
  'seed',
  'device',
  // how runs are checkpointed, not what they compute
  'resume',
  'checkpointEvery',
] as const;

/** `{ flag: default }` of a command's flag specs (for runSweep's `defaults`). */
export function flagDefaults(specs: Record<string, object>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(specs).map(([k, spec]) => [k, 'default' in spec ? spec.default : undefined]),
  );
}

/** A cell's command line parsed as `command`'s flags (a cell never asks for help). */
export function cellFlags<C extends CommandSpec>(
  argv: string[],
  name: string,
  command: C,
): FlagValues<C['flags']> {
  const parsed = parseCommand(argv, { name: 'tenzo-train' }, name, command);
  if ('kind' in parsed) throw new ArgumentError(`${name}: a sweep cell asked for help`);
  return parsed.flags;
}

/**
 * Runs the cells not yet in `<out>/results.json` (`runGrid` from @tenzo/train/node), each in its
 * own folder where its training checkpoints, so an interrupted sweep resumes where it stopped,
 * inside the cell it stopped in; every setting outside SWEEP_SELECTION must match the file's.
 * Returns the results of `cells`, old and new, in the order they were recorded.
 */
export async function runCells(
  opts: Pick<RunGridOptions, 'name' | 'config' | 'out' | 'cells' | 'run' | 'backfill' | 'defaults'>,
): Promise<GridResult[]> {
  const path = join(opts.out, 'results.json');
  const done = readSweepFile<GridResult>(path).results.length;
  console.error(`${opts.name}: ${opts.cells.length} runs, ${done} already in ${path}`);
  return runGrid({
    ...opts,
    selection: SWEEP_SELECTION,
    settingName: (key) => `--${kebabCase(key)}`,
    onCell: (cell, i, total) => console.error(`\n[${i + 1}/${total}] ${cell.key}`),
  });
}
