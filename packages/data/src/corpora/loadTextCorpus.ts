import { basename, extname, relative, resolve } from 'node:path';
import { ArgumentError, checkNumber, checkObject, Rng, type Seed } from '@tenzo/core';
import { globFiles, listFiles } from '../files/glob.js';
import { readUtf8 } from '../files/readFile.js';
import type { TextCorpus } from './textCorpus.js';

/** Where the documents come from: exactly one of a list of files, a folder (recursive) or a glob. */
export type TextSource = { paths: string[] } | { dir: string } | { glob: string; cwd?: string };

/**
 * Options of `loadTextCorpus`: where the text comes from (a folder or files), which extensions to keep and
 * the share of documents held out for validation.
 */
export type LoadTextCorpusOptions = TextSource & {
  /** keep only files with these extensions, e.g. ['.txt', '.md'] (case-insensitive; default: all) */
  extensions?: string[];
  /** share of documents that go to validation, in [0, 1) (default 0.1) */
  validationFraction?: number;
  /** seeds the document-level split */
  seed: Seed;
  /** the corpus name in reports (default: the folder, glob or first file) */
  name?: string;
};

/**
 * A text corpus from the user's files: one document per file, read as strict UTF-8 (a file that
 * is not is a `FormatError` naming it and the byte offset), in sorted path order whatever the
 * filesystem's order. The split is by document and seeded: a permutation from `Rng(seed)` sends
 * round(n·validationFraction) documents (at least one when the fraction is positive) to
 * validation. A corpus of a single document is cut inside it instead, at the line break nearest
 * to (1 − validationFraction) of its length (nanoGPT's prepare.py cuts its one file 90/10 the
 * same way); its name is then listed twice in `documents`, once per part. Documents are joined
 * by blank lines, as `splitDocuments` does. Hidden files and folders are skipped.
 *
 * ```ts
 * const corpus = loadTextCorpus({ glob: 'books/**\/*.txt', validationFraction: 0.1, seed: 0 });
 * // { name, train, validation, documents: [{ name: 'books/a.txt', split: 'train' }, …] }
 * ```
 */
export function loadTextCorpus(opts: LoadTextCorpusOptions): TextCorpus {
  const fn = 'loadTextCorpus';
  checkObject(`${fn}: options`, opts);
  const given = (['paths', 'dir', 'glob'] as const).filter(
    (k) => k in opts && opts[k as keyof typeof opts] !== undefined,
  );
  if (given.length !== 1)
    throw new ArgumentError(
      `${fn}: expected exactly one of paths, dir or glob, got ${given.length === 0 ? 'none' : given.join(', ')}`,
    );
  const fraction = checkNumber(`${fn}: validationFraction`, opts.validationFraction ?? 0.1, {
    min: 0,
    lt: 1,
  });
  const rng = new Rng(opts.seed);
  const exts = opts.extensions?.map((e) => {
    if (typeof e !== 'string' || !e.startsWith('.') || e.length < 2)
      throw new ArgumentError(`${fn}: extensions: expected names like '.txt', got ${JSON.stringify(e)}`);
    return e.toLowerCase();
  });
  let files: string[];
  let origin: string;
  if ('paths' in opts && opts.paths !== undefined) {
    if (!Array.isArray(opts.paths) || opts.paths.some((p) => typeof p !== 'string' || p === ''))
      throw new ArgumentError(`${fn}: paths: expected an array of non-empty strings`);
    files = [...new Set(opts.paths)].sort();
    origin = basename(files[0] ?? '');
  } else if ('dir' in opts && opts.dir !== undefined) {
    files = listFiles(fn, opts.dir);
    origin = basename(opts.dir);
  } else {
    const g = opts as { glob: string; cwd?: string };
    files = globFiles(fn, g.glob, g.cwd);
    origin = g.glob;
  }
  if (exts !== undefined) files = files.filter((f) => exts.includes(extname(f).toLowerCase()));
  if (files.length === 0)
    throw new ArgumentError(
      `${fn}: expected at least one file, got none from ${'dir' in opts ? `dir '${opts.dir}'` : 'glob' in opts ? `glob '${opts.glob}'` : 'paths'}${exts ? ` with extensions ${exts.join(', ')}` : ''}`,
    );
  // names: relative to the folder, as the glob spells them, or as given
  const dir = 'dir' in opts && opts.dir !== undefined ? opts.dir : undefined;
  const cwd = 'glob' in opts ? opts.cwd : undefined;
  const docs = files.map((path) => ({
    name: dir === undefined ? path : relative(dir, path),
    text: readUtf8(fn, cwd === undefined ? path : resolve(cwd, path)),
  }));
  const name = opts.name ?? origin;
  if (docs.length === 1) return cutOne(name, docs[0]!, fraction);
  let nVal = Math.round(docs.length * fraction);
  if (fraction > 0) nVal = Math.min(docs.length - 1, Math.max(1, nVal));
  const isVal = new Uint8Array(docs.length);
  const perm = rng.permutation(docs.length);
  for (let k = 0; k < nVal; k++) isVal[perm[k]!] = 1;
  const train: string[] = [];
  const validation: string[] = [];
  const documents = docs.map((d, i) => {
    const split = isVal[i] ? ('validation' as const) : ('train' as const);
    (split === 'train' ? train : validation).push(d.text);
    return { name: d.name, split };
  });
  return { name, train: train.join('\n\n'), validation: validation.join('\n\n'), documents };
}

/** One document: the last `fraction` of it (from a line start) is validation. */
function cutOne(name: string, doc: { name: string; text: string }, fraction: number): TextCorpus {
  const { text } = doc;
  if (fraction === 0)
    return { name, train: text, validation: '', documents: [{ name: doc.name, split: 'train' }] };
  const target = Math.round(text.length * (1 - fraction));
  const before = text.lastIndexOf('\n', target - 1);
  const after = text.indexOf('\n', target);
  // the line start nearest the target; no line break at all: cut at the target itself
  let cut = target;
  const candidates = [before, after].filter((k) => k >= 0).map((k) => k + 1);
  if (candidates.length > 0)
    cut = candidates.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
  if (cut <= 0 || cut >= text.length) cut = target;
  // never split a surrogate pair
  if (cut > 0 && cut < text.length && /[\uDC00-\uDFFF]/.test(text[cut]!)) cut--;
  return {
    name,
    train: text.slice(0, cut),
    validation: text.slice(cut),
    documents: [
      { name: doc.name, split: 'train' },
      { name: doc.name, split: 'validation' },
    ],
  };
}
