import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli as bundle } from '@tenzo/tooling/bundle-cli';
import type { CliProcess } from './killResume.js';

/** `tenzo-train` bundled from the sources for tests that run it as a process (see @tenzo/tooling). */
export function bundleCli(): Promise<CliProcess> {
  return bundle(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
}
