import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli as bundle } from '@tenzo/tooling/bundle-cli';

/** `tenzo-worker` bundled from the sources for tests that run it as processes (see @tenzo/tooling). */
export async function bundleCli(): Promise<string> {
  return (await bundle(join(dirname(fileURLToPath(import.meta.url)), '..', '..'))).script;
}
