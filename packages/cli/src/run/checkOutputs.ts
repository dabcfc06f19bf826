import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ArgumentError, checkObject, describeValue } from '@tenzo/core';

/**
 * Checks a command's output paths before any work starts, so a long run never ends by losing its
 * results: `out` must be a folder (created if missing) the process may write into, `json` a file
 * path (not a folder) whose folder can be created and written. Throws ArgumentError naming the
 * flag, the expectation and the path.
 */
export function checkOutputs(flags: { readonly out?: unknown; readonly json?: unknown }): void {
  checkObject('checkOutputs: flags', flags);
  if (flags.out !== undefined) {
    if (typeof flags.out !== 'string' || flags.out === '')
      throw new ArgumentError(`--out: expected a folder path, got ${describeValue(flags.out)}`);
    writableFolder('--out', flags.out);
  }
  if (flags.json !== undefined) {
    if (typeof flags.json !== 'string' || flags.json === '')
      throw new ArgumentError(`--json: expected a file path, got ${describeValue(flags.json)}`);
    const st = statOrNull(flags.json);
    if (st?.isDirectory())
      throw new ArgumentError(`--json: expected a file path, got the folder ${resolve(flags.json)}`);
    writableFolder('--json', dirname(resolve(flags.json)));
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function writableFolder(flag: string, dir: string): void {
  const st = statOrNull(dir);
  if (st !== null && !st.isDirectory())
    throw new ArgumentError(`${flag}: expected a folder, got the existing file ${resolve(dir)}`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw new ArgumentError(
      `${flag}: cannot write into ${resolve(dir)} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
    );
  }
}
