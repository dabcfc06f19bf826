import type { FlagSpecs } from '@tenzo/cli';

/** `--resume` and `--checkpoint-every` for commands that run `mnist` trainings (hybrid, sweep). */
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
