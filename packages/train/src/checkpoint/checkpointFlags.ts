import { join } from 'node:path';
import { checkArray, checkInt, checkObject, checkString } from '@tenzo/core';
import type { SizedBatch, TrainerOptions } from '../types.js';
import { fileCheckpoint } from './fileCheckpoint.js';

/**
 * `--resume` and `--checkpoint-every` as `@tenzo/cli` flag specs (plain data): a command that
 * trains with the Trainer spreads them into its flags and hands the parsed values to
 * {@link checkpointOptions}.
 */
export const checkpointFlags = {
  resume: {
    type: 'boolean',
    help: 'continue from the checkpoints under --out (finished runs are not redone)',
  },
  checkpointEvery: {
    type: 'integer',
    default: 0,
    min: 0,
    help: 'also checkpoint every N steps (0: at the end of each epoch only); --resume continues mid-epoch',
  },
} as const;

/**
 * The Trainer's checkpoint options of a run whose files go under `out`: checkpoints in
 * `<out>/checkpoint.safetensors`, resumed from with `resume`, every `checkpointEvery` steps as
 * well as per epoch (0: per epoch only).
 */
export function checkpointOptions(flags: {
  out: string;
  resume?: boolean | undefined;
  checkpointEvery: number;
}): Pick<TrainerOptions<SizedBatch>, 'checkpoint' | 'resume' | 'checkpointEvery'> {
  checkObject('checkpointOptions: flags', flags);
  const every = checkInt('checkpointOptions: checkpointEvery', flags.checkpointEvery, { min: 0 });
  return {
    checkpoint: fileCheckpoint(
      join(checkString('checkpointOptions: out', flags.out), 'checkpoint.safetensors'),
    ),
    resume: flags.resume === true,
    ...(every > 0 ? { checkpointEvery: every } : {}),
  };
}

/**
 * A command's settings as a resumed run must match them (the Trainer's `config`, a sweep's
 * results.json): its flags, in their order, without where the outputs go (`out`, `json`), how
 * runs are checkpointed (`resume`, `checkpointEvery`) and the `ignore`d ones (flags that change
 * nothing computed, e.g. a backend or a thread count).
 */
export function runConfig<F extends object>(
  flags: F,
  ignore: readonly string[] = [],
): Record<string, unknown> {
  checkObject('runConfig: flags', flags);
  checkArray('runConfig: ignore', ignore);
  const drop = new Set(['out', 'json', 'resume', 'checkpointEvery', ...ignore]);
  return Object.fromEntries(Object.entries(flags).filter(([k]) => !drop.has(k)));
}
