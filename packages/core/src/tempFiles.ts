import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkNumber, checkObject, checkString } from './checks.js';
import { describeValue } from './describe.js';
import { ArgumentError, IoError } from './errors.js';

/**
 * The temporary files of `writeFileAtomic`: `.<target>.<pid>-<8 hex>.tenzo-tmp`, next to the
 * target. The name says which program left it (tenzo), for which file, and which process wrote it,
 * so that a later write can tell an abandoned temp (its writer was killed: `kill -9`, power loss)
 * from one being written right now.
 */

const SUFFIX = '.tenzo-tmp';
const TEMP_NAME = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.tenzo-tmp$/;
// Beyond this a target's name goes into the temp name as a hash, so the temp stays under NAME_MAX (255).
const MAX_TAG_BYTES = 200;

/** Temps older than this are abandoned even if their pid is alive (pids are reused, e.g. pid 1 in containers). */
export const STALE_TEMP_AGE_MS = 60 * 60 * 1000;

/** How a target's base name appears in its temps' names. */
function targetTag(base: string): string {
  if (Buffer.byteLength(base) <= MAX_TAG_BYTES) return base;
  return createHash('sha256').update(base).digest('hex').slice(0, 32);
}

/** A fresh temp path for `path`, in its directory, written by process `pid`. */
export function tempPathFor(dir: string, base: string, pid = process.pid): string {
  return join(dir, `.${targetTag(base)}.${pid}-${randomBytes(4).toString('hex')}${SUFFIX}`);
}

/** True unless `process.kill(pid, 0)` says no such process (EPERM: it exists, owned by another user). */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * Options of `removeStaleTemps`: which target's temporary files to consider, the age (ms, by mtime) past
 * which a temp whose writer is alive still counts as stale, and the clock.
 */
export interface RemoveStaleTempsOptions {
  /** only the temps of this target (a base name in `dir`, or a path whose base name is used); default: all */
  target?: string;
  /** a temp whose writer is still alive is stale once this old (ms, by mtime; Infinity: never); default 1 hour */
  maxAgeMs?: number;
  /** the clock, for tests (ms since the epoch); default Date.now() */
  now?: number;
}

/**
 * Deletes the abandoned temporary files of `writeFileAtomic` in `dir` and returns their paths.
 * A temp is abandoned when the process named in it is gone (`process.kill(pid, 0)` fails with
 * ESRCH) or when it is older than `maxAgeMs`. Touches nothing else: only regular files whose
 * names match `.<target>.<pid>-<8 hex>.tenzo-tmp` (not directories, not links), and never a temp
 * of this process. A directory that does not exist has nothing to clean (returns []).
 *
 * Pids are this machine's: on a directory shared between machines, a temp that another
 * machine is writing at this moment can look abandoned; keep writers of one directory on one host.
 *
 * Throws `IoError` if the directory cannot be read or a stale temp cannot be deleted.
 */
export function removeStaleTemps(dir: string, opts: RemoveStaleTempsOptions = {}): string[] {
  if (typeof dir !== 'string' || dir === '') {
    throw new ArgumentError(`removeStaleTemps: dir: expected a non-empty path, got ${describeValue(dir)}`);
  }
  checkObject('removeStaleTemps: opts', opts);
  if (opts.target !== undefined) checkString('removeStaleTemps: target', opts.target);
  const age = opts.maxAgeMs ?? STALE_TEMP_AGE_MS;
  const maxAgeMs =
    age === Number.POSITIVE_INFINITY ? age : checkNumber('removeStaleTemps: maxAgeMs', age, { min: 0 });
  const now = opts.now === undefined ? Date.now() : checkNumber('removeStaleTemps: now', opts.now);
  const tag = opts.target === undefined ? undefined : targetTag(basename(opts.target));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return [];
    throw new IoError(`removeStaleTemps: cannot list '${dir}' (${(err as Error).message})`, { cause: err });
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || (tag !== undefined && m[1] !== tag)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid) continue;
    const path = join(dir, name);
    let stale = !pidAlive(pid);
    try {
      const st = lstatSync(path);
      if (!st.isFile()) continue;
      stale ||= now - st.mtimeMs > maxAgeMs;
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') continue; // another cleaner or the writer got there first
      throw new IoError(`removeStaleTemps: cannot stat '${path}' (${(err as Error).message})`, {
        cause: err,
      });
    }
    if (!stale) continue;
    try {
      rmSync(path, { force: true });
    } catch (err) {
      throw new IoError(`removeStaleTemps: cannot delete '${path}' (${(err as Error).message})`, {
        cause: err,
      });
    }
    removed.push(path);
  }
  return removed;
}
