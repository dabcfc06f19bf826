import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describeValue } from './describe.js';
import { ArgumentError, IoError } from './errors.js';
import { removeStaleTemps, tempPathFor } from './tempFiles.js';

// What platforms answer when a directory cannot be opened or fsync'ed (Windows: EISDIR/EPERM;
// some filesystems: EINVAL/ENOTSUP). The rename has happened; only its durability is unconfirmed.
const DIR_SYNC_REFUSED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EACCES']);

/**
 * Writes a file atomically and durably: the bytes go to a temporary file next to the target
 * (`.<name>.<pid>-<hex>.tenzo-tmp`), are fsync'ed, the temp is renamed over the target, and the
 * directory is fsync'ed (best effort) so the rename itself survives power loss. A crash or
 * `kill -9` leaves the old file or the new one, never half of either; the temp such a crash leaves
 * behind is deleted by the next write of the same target (`removeStaleTemps`, one readdir).
 * Parent directories are created.
 *
 * Throws `ArgumentError` for a path or data of the wrong kind and `IoError` (the system error as
 * `cause`) when the filesystem refuses; the temp is removed then. (A failed directory fsync other
 * than a platform's refusal is an `IoError` too: the target is replaced, its durability unknown.)
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  if (typeof path !== 'string' || path === '') {
    throw new ArgumentError(`writeFileAtomic: path: expected a non-empty string, got ${describeValue(path)}`);
  }
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new ArgumentError(
      `writeFileAtomic: data: expected a string or a Uint8Array, got ${describeValue(data)}`,
    );
  }
  const dir = dirname(path);
  const base = basename(path);
  io(path, 'create the directory of', () => mkdirSync(dir, { recursive: true }));
  try {
    removeStaleTemps(dir, { target: base });
  } catch {
    // Housekeeping only: a temp that cannot be deleted must not stop the write.
  }
  const tmp = tempPathFor(dir, base);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = io(path, 'create a temporary file for', () => openSync(tmp, 'wx'));
    const file = fd;
    io(path, 'write', () => {
      for (let off = 0; off < bytes.length; ) off += writeSync(file, bytes, off, bytes.length - off);
    });
    io(path, 'fsync', () => fsyncSync(file));
    fd = undefined;
    io(path, 'close', () => closeSync(file));
    io(path, 'rename a temporary file onto', () => renameSync(tmp, path));
  } catch (err) {
    // Cleanup must not hide the error that got us here.
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
    } catch {}
    throw err;
  }
  syncDirectory(dir, path);
}

/** `writeFileAtomic` for a JSON document (pretty-printed, trailing newline). */
export function writeJsonAtomic(path: string, value: unknown): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (cause) {
    // a cycle or a bigint
    throw new ArgumentError(
      `writeJsonAtomic: value: expected JSON data, got ${describeValue(value)} (${(cause as Error).message})`,
    );
  }
  // undefined, a function or a symbol: JSON.stringify writes nothing, and "undefined" is no JSON file
  if (text === undefined)
    throw new ArgumentError(`writeJsonAtomic: value: expected JSON data, got ${describeValue(value)}`);
  writeFileAtomic(path, `${text}\n`);
}

/** fsync of the directory so the rename is on disk; skipped where the platform refuses it. */
function syncDirectory(dir: string, path: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    if (DIR_SYNC_REFUSED.has((err as NodeJS.ErrnoException).code ?? '')) return;
    throw wrap(err, path, 'open the directory of');
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!DIR_SYNC_REFUSED.has((err as NodeJS.ErrnoException).code ?? ''))
      throw wrap(err, path, 'fsync the directory of');
  } finally {
    closeSync(fd);
  }
}

function wrap(err: unknown, path: string, what: string): IoError {
  return new IoError(`writeFileAtomic: cannot ${what} '${path}' (${(err as Error).message})`, { cause: err });
}

/** Runs one filesystem step, turning a system error into an IoError that names the step and the path. */
function io<T>(path: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw wrap(err, path, what);
  }
}
