import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ArgumentError } from '@tenzo/core';
import { ioError } from './readFile.js';

/**
 * One path segment's pattern as a RegExp: `*` any run of characters but `/`, `?` one character,
 * everything else literal.
 */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (const c of segment)
    re += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[\\^$.+()[\]{}|]/g, '\\$&');
  return new RegExp(`^${re}$`, 'u');
}

const isPattern = (segment: string) => segment === '**' || /[*?]/.test(segment);

/**
 * Recursive readdir: every regular file below `dir` (symbolic links followed, each directory
 * visited once), hidden entries (names starting with `.`) skipped, paths sorted.
 */
export function listFiles(fn: string, dir: string): string[] {
  const out: string[] = [];
  walk(fn, dir, new Set(), (path) => out.push(path));
  return out.sort();
}

function walk(fn: string, dir: string, seen: Set<string>, onFile: (path: string) => void): void {
  let real: string;
  let names: string[];
  try {
    real = realpathSync(dir);
    names = readdirSync(dir);
  } catch (err) {
    throw ioError(fn, 'list the directory', dir, err);
  }
  if (seen.has(real)) return;
  seen.add(real);
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch (err) {
      throw ioError(fn, 'stat', path, err);
    }
    if (st.isDirectory()) {
      walk(fn, path, seen, onFile);
    } else if (st.isFile()) onFile(path);
  }
}

/**
 * The regular files matching a glob, sorted: `*` and `?` within a path segment, `**` for any
 * number of directories (zero included). Below the pattern's fixed prefix, hidden entries (names
 * starting with `.`) are skipped, as `listFiles` does. A relative pattern is taken from `cwd`; the paths come
 * back as the pattern spells them (relative patterns give relative paths).
 *
 * ```ts
 * globFiles('corpus/**\/*.txt'); // ['corpus/a.txt', 'corpus/books/b.txt', …]
 * ```
 */
export function globFiles(fn: string, pattern: string, cwd = process.cwd()): string[] {
  if (pattern === '') throw new ArgumentError(`${fn}: glob expected a non-empty pattern, got ''`);
  const parts = pattern.split(/[\\/]/);
  const firstWild = parts.findIndex(isPattern);
  if (firstWild < 0) {
    // no wildcard: the pattern is one path
    const path = resolve(cwd, pattern);
    try {
      return statSync(path).isFile() ? [pattern] : [];
    } catch {
      return [];
    }
  }
  const baseParts = parts.slice(0, firstWild);
  const base = baseParts.join('/') || (pattern.startsWith('/') ? '/' : '.');
  const root = isAbsolute(base) ? base : resolve(cwd, base);
  const rest = parts.slice(firstWild);
  const regexps = rest.map((s) => (s === '**' ? null : segmentRegExp(s)));
  const out: string[] = [];
  walk(fn, root, new Set(), (path) => {
    if (matches(relative(root, path).split(sep), regexps)) out.push(path);
  });
  const rel = !isAbsolute(pattern);
  return out.map((p) => (rel ? relative(cwd, p) : p)).sort();
}

/** Does the path's segments list match the pattern's (null = `**`)? */
function matches(segs: string[], pats: (RegExp | null)[], si = 0, pi = 0): boolean {
  if (pi === pats.length) return si === segs.length;
  const p = pats[pi]!;
  if (p === null) {
    // `**`: zero or more whole segments
    for (let k = si; k <= segs.length; k++) if (matches(segs, pats, k, pi + 1)) return true;
    return false;
  }
  return si < segs.length && p.test(segs[si]!) && matches(segs, pats, si + 1, pi + 1);
}
