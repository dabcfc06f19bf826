import { checkObject } from '@tenzo/core';
import type { CommandSpec, FlagSpecs } from './spec.js';

/**
 * The flags every tenzo app command takes (project rule): `--json <file>` for machine-readable
 * results and `--seed <int>` so every run can be reproduced. Seed 0 is the default, so an
 * unseeded run is still a reproducible one.
 */
export const commonFlags = {
  json: { type: 'string', meta: 'file', help: 'write the results as JSON to this file' },
  seed: { type: 'integer', default: 0, min: 0, help: 'random seed' },
} as const satisfies FlagSpecs;

/**
 * Declares an app command with `commonFlags` added; `const` inference keeps enum choices and
 * defaults literal so `parseArgs` can type the parsed flags.
 */
export function defineCommand<const F extends FlagSpecs>(
  spec: CommandSpec<F>,
): CommandSpec<F & typeof commonFlags> {
  checkObject('defineCommand: spec', spec);
  checkObject('defineCommand: spec.flags', spec.flags);
  return { ...spec, flags: { ...spec.flags, ...commonFlags } };
}
