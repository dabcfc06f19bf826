import { join } from 'node:path';
import type { FlagSpecs } from '@tenzo/cli';
import type { TrainerOptions } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';

/** `--resume` and `--checkpoint-every` (lm, and the commands that run `mnist` trainings: hybrid, sweep). */
export const resumeFlags = {
  resume: {
    type: 'boolean',
    help: 'continue the runs from their checkpoints under --out (finished runs are not redone)',
  },
  checkpointEvery: {
    type: 'integer',
    default: 0,
    min: 0,
    help: 'also checkpoint every N steps (0: at the end of each epoch only); --resume continues mid-epoch',
  },
} as const satisfies FlagSpecs;

/** The mnist argv that carries {@link resumeFlags} into a run. */
export function resumeArgv(flags: { resume?: boolean | undefined; checkpointEvery: number }): string[] {
  return [...(flags.resume ? ['--resume'] : []), '--checkpoint-every', String(flags.checkpointEvery)];
}

/** The Trainer's checkpoint options of a single-run command: `<out>/checkpoint.safetensors`. */
export function checkpointing(flags: {
  out: string;
  resume?: boolean | undefined;
  checkpointEvery: number;
}): Pick<TrainerOptions<{ size: number }>, 'checkpoint' | 'resume' | 'checkpointEvery'> {
  return {
    checkpoint: fileCheckpoint(join(flags.out, 'checkpoint.safetensors')),
    resume: flags.resume === true,
    ...(flags.checkpointEvery > 0 ? { checkpointEvery: flags.checkpointEvery } : {}),
  };
}

/**
 * A command's settings as a resumed run must match them: its flags without where the outputs go
 * (`out`, `json`), how runs are checkpointed (`resume`, `checkpointEvery`) and the `ignore`d ones
 * (flags that change nothing computed, e.g. the backend or a thread count).
 */
export function runConfig<F extends object>(
  flags: F,
  ignore: readonly string[] = [],
): Record<string, unknown> {
  const drop = new Set(['out', 'json', 'resume', 'checkpointEvery', ...ignore]);
  return Object.fromEntries(Object.entries(flags).filter(([k]) => !drop.has(k)));
}
