import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ArgumentError, checkNumber, checkObject, checkString, describeValue, type Seed } from '@tenzo/core';
import { globFiles, listFiles } from '../files/glob.js';
import { loadGpt2BpeTokenizer } from '../text/loadGpt2Bpe.js';
import { loadTokenFile } from '../text/tokenFile.js';
import type { Tokenizer } from '../text/tokenizer.js';
import { TOKENIZER_KINDS, type TokenizerKind, tokenizerFor } from '../text/tokenizerFor.js';
import { loadTextCorpus } from './loadTextCorpus.js';
import { loadNamedCorpus, NAMED_CORPORA } from './namedCorpus.js';
import type { TextCorpus } from './textCorpus.js';

/**
 * A corpus as {@link resolveCorpus} found it: text (a named corpus, a file, a folder or a glob),
 * or token ids (a nanoGPT `.bin` file). `name` labels it in reports: the named corpus's name, or
 * the path as given.
 */
export type ResolvedCorpus =
  | { kind: 'text'; name: string; corpus: TextCorpus }
  | {
      kind: 'tokens';
      name: string;
      /** Int32Array [trainTokens] */
      train: Int32Array;
      /** Int32Array [validationTokens] */
      validation: Int32Array;
      /** the token files read: the one given, then `val.bin` when it was used for validation */
      files: string[];
    };

/** Options of {@link resolveCorpus}. */
export interface ResolveCorpusOptions {
  /** who asks, in error messages (default 'resolveCorpus: spec'; the CLI passes '--corpus') */
  flag?: string;
  /** share of a path corpus held out for validation, in [0, 1) (default 0.1) */
  validationFraction?: number;
  /** seeds the document split of a folder or glob (default 0: the same split whatever the run's seed) */
  seed?: Seed;
  /** a token file's ids must be below it (e.g. a GPT-2 tokenizer's 50257) */
  vocabSize?: number;
}

const EXPECTED = `${NAMED_CORPORA.map((c) => `'${c}'`).join(', ')}, a text file, a folder or glob of text files, or a .bin token file`;

/**
 * A corpus from a name or a path, what `tenzo-train lm --corpus` takes:
 * - 'code' or 'text': {@link loadNamedCorpus} (a folder of that name is `./text`);
 * - a spec with `*` or `?`: a glob of text files, one document each;
 * - a folder: every file below it as text (hidden ones skipped), one document each — unless it
 *   holds a `train.bin`, then that token file as below (nanoGPT's `data/<name>/` folders);
 * - a `.bin` file: nanoGPT's uint16 little-endian token ids (`loadTokenFile`). A `train.bin` with a
 *   `val.bin` beside it takes that as validation; any other is cut, its last `validationFraction`
 *   of tokens held out;
 * - any other file: one text document, cut at the line break nearest 1 − `validationFraction`.
 *
 * Folders and globs split by document through `loadTextCorpus` with `seed`. A missing path, a glob
 * that matches nothing, an empty folder or an empty file is an `ArgumentError` naming `flag`, what
 * was expected and the value; unreadable or malformed files are the loaders' `IoError` /
 * `FormatError`, naming the file.
 *
 * ```ts
 * resolveCorpus('books/*.txt', { flag: '--corpus' }); // { kind: 'text', name: 'books/*.txt', corpus }
 * resolveCorpus('data/shakespeare_char'); // { kind: 'tokens', train, validation, files: [train.bin, val.bin] }
 * ```
 */
export function resolveCorpus(spec: string, opts: ResolveCorpusOptions = {}): ResolvedCorpus {
  checkObject('resolveCorpus: options', opts);
  const flag =
    opts.flag === undefined ? 'resolveCorpus: spec' : checkString('resolveCorpus: flag', opts.flag);
  checkString(flag, spec);
  const validationFraction = checkNumber(
    'resolveCorpus: validationFraction',
    opts.validationFraction ?? 0.1,
    {
      min: 0,
      lt: 1,
    },
  );
  const seed = opts.seed ?? 0;
  const refuse = (what: string) => new ArgumentError(`${flag}: expected ${EXPECTED}, got ${what}`);
  if (spec === '') throw refuse("''");
  if ((NAMED_CORPORA as readonly string[]).includes(spec)) {
    const corpus = loadNamedCorpus(spec as (typeof NAMED_CORPORA)[number]);
    return { kind: 'text', name: corpus.name, corpus };
  }
  const text = (paths: string[]): ResolvedCorpus => ({
    kind: 'text',
    name: spec,
    corpus: loadTextCorpus({ paths, name: spec, validationFraction, seed }),
  });
  if (/[*?]/.test(spec)) {
    const files = globFiles(flag, spec);
    if (files.length === 0) throw refuse(`the glob '${spec}', which matches no file`);
    return text(files);
  }
  if (!existsSync(spec)) throw refuse(`'${spec}', which does not exist`);
  if (statSync(spec).isDirectory()) {
    const train = join(spec, 'train.bin');
    if (existsSync(train)) return tokens(spec, train, validationFraction, opts.vocabSize);
    const files = listFiles(flag, spec);
    if (files.length === 0) throw refuse(`the folder '${spec}', which holds no files`);
    return text(files);
  }
  if (statSync(spec).size === 0) throw refuse(`'${spec}', an empty file`);
  return extname(spec).toLowerCase() === '.bin'
    ? tokens(spec, spec, validationFraction, opts.vocabSize)
    : text([spec]);
}

/** A token file, with its `val.bin` (when it is a `train.bin`) or its tail as validation. */
function tokens(name: string, path: string, fraction: number, vocabSize?: number): ResolvedCorpus {
  const opts = vocabSize === undefined ? {} : { vocabSize };
  const ids = loadTokenFile(path, opts);
  const val = join(dirname(path), 'val.bin');
  if (basename(path) === 'train.bin' && existsSync(val))
    return { kind: 'tokens', name, train: ids, validation: loadTokenFile(val, opts), files: [path, val] };
  const n = ids.length;
  const nVal = fraction > 0 && n > 1 ? Math.min(n - 1, Math.max(1, Math.round(n * fraction))) : 0;
  return {
    kind: 'tokens',
    name,
    train: ids.subarray(0, n - nVal),
    validation: ids.subarray(n - nVal),
    files: [path],
  };
}

/**
 * A tokenizer for {@link loadCorpusTokens}: a `tokenizerFor` kind, or `gpt2:<folder>` — GPT-2's
 * byte-level BPE from `vocab.json` + `merges.txt` in the folder, else its `tokenizer.json` (or
 * `gpt2:<file>` naming a `tokenizer.json`).
 */
export type CorpusTokenizer = TokenizerKind | `gpt2:${string}`;

/** Options of {@link loadCorpusTokens}: those of {@link resolveCorpus}, and the tokenizer. */
export interface LoadCorpusTokensOptions extends Omit<ResolveCorpusOptions, 'vocabSize'> {
  /**
   * the tokenizer of a text corpus (default 'char'). A token file holds ids already: left out, they
   * are taken as they are; `gpt2:<dir>` checks them against and decodes them with GPT-2's
   * vocabulary; a kind fitted to text ('char', 'byte', 'bpe') is an ArgumentError.
   */
  tokenizer?: CorpusTokenizer;
  /** with tokenizer 'bpe': the vocabulary size (default 384) */
  bpeVocab?: number;
  /** who passes the tokenizer, in error messages (default 'loadCorpusTokens: tokenizer'; the CLI's '--tokenizer') */
  tokenizerFlag?: string;
}

/** A corpus as token ids, ready for `randomWindows`. */
export interface CorpusTokens {
  /** the label for reports: the named corpus's name, or the path as given */
  name: string;
  /** Int32Array [trainTokens], ids in [0, vocabSize) */
  train: Int32Array;
  /** Int32Array [validationTokens], ids in [0, vocabSize) */
  validation: Int32Array;
  vocabSize: number;
  /** documents (text) or files (tokens) it came from */
  documents: number;
  /** the tokenizer, or null for a token file's ids taken as they are */
  tokenizer: Tokenizer | null;
  /** 'char', 'byte', 'bpe', 'gpt2', or 'ids' (a token file's ids as they are) */
  tokenizerName: string;
  /** a JSON-able description of the tokenizer, to save beside a model */
  tokenizerJson: unknown;
  /** ids → text; with no tokenizer each id as `<id>`, so decoded parts concatenate */
  decode(ids: ArrayLike<number>): string;
  /**
   * for a path corpus: a hash of the token ids (FNV-1a, 8 hex digits), so a run's saved settings
   * tell two versions of the files apart; undefined for the named corpora
   */
  fingerprint?: string;
}

/**
 * {@link resolveCorpus}, then token ids: text through `tokenizerFor(tokenizer, train, bpeVocab)`
 * (fitted on the training text, as before) or GPT-2's BPE; a token file's ids as they are
 * (`vocabSize` = 1 + the largest id) or checked against GPT-2's vocabulary. Throws
 * ArgumentError for a fitted tokenizer with a token file or a `gpt2:` path without the files.
 *
 * ```ts
 * const c = loadCorpusTokens('notes/**\/*.md', { flag: '--corpus', tokenizer: 'byte' });
 * // { name: 'notes/**\/*.md', train: Int32Array, validation, vocabSize: 256, tokenizerName: 'byte', … }
 * ```
 */
export function loadCorpusTokens(spec: string, opts: LoadCorpusTokensOptions = {}): CorpusTokens {
  checkObject('loadCorpusTokens: options', opts);
  const { tokenizer: kind, bpeVocab, tokenizerFlag, ...resolveOpts } = opts;
  const flag =
    opts.flag === undefined ? 'loadCorpusTokens: spec' : checkString('loadCorpusTokens: flag', opts.flag);
  const tokFlag =
    tokenizerFlag === undefined
      ? 'loadCorpusTokens: tokenizer'
      : checkString('loadCorpusTokens: tokenizerFlag', tokenizerFlag);
  const gpt2 = typeof kind === 'string' && kind.startsWith('gpt2:') ? loadGpt2(tokFlag, kind) : undefined;
  if (kind !== undefined && gpt2 === undefined && !(TOKENIZER_KINDS as readonly string[]).includes(kind))
    throw new ArgumentError(
      `${tokFlag}: expected one of ${TOKENIZER_KINDS.map((k) => `'${k}'`).join(', ')} or 'gpt2:<dir>', got ${describeValue(kind)}`,
    );
  const resolved = resolveCorpus(spec, {
    ...resolveOpts,
    flag,
    ...(gpt2 ? { vocabSize: gpt2.vocabSize } : {}),
  });
  const named = (NAMED_CORPORA as readonly string[]).includes(spec);
  let out: Omit<CorpusTokens, 'fingerprint'>;
  if (resolved.kind === 'tokens') {
    if (kind !== undefined && gpt2 === undefined)
      throw new ArgumentError(
        `${tokFlag}: ${flag} '${spec}' holds token ids already; expected none or 'gpt2:<dir>' to decode them, got '${kind}'`,
      );
    const { train, validation, files } = resolved;
    const vocabSize = gpt2?.vocabSize ?? Math.max(maxOf(train), maxOf(validation)) + 1;
    out = {
      name: resolved.name,
      train,
      validation,
      vocabSize,
      documents: files.length,
      tokenizer: gpt2 ?? null,
      tokenizerName: gpt2 ? 'gpt2' : 'ids',
      tokenizerJson: gpt2 ? { type: 'gpt2', source: kind!.slice(5) } : { type: 'ids', vocabSize },
      decode: gpt2 ? (ids) => gpt2.decode(ids) : (ids) => Array.from(ids, (t) => `<${t}>`).join(''),
    };
  } else {
    const { corpus } = resolved;
    const tok = gpt2 ?? tokenizerFor((kind ?? 'char') as TokenizerKind, corpus.train, bpeVocab);
    const json = gpt2
      ? { type: 'gpt2', source: kind!.slice(5) }
      : 'toJSON' in tok
        ? (tok as { toJSON(): unknown }).toJSON()
        : { type: 'byte' };
    out = {
      name: resolved.name,
      train: tok.encode(corpus.train),
      validation: tok.encode(corpus.validation),
      vocabSize: tok.vocabSize,
      documents: corpus.documents.length,
      tokenizer: tok,
      tokenizerName: gpt2 ? 'gpt2' : (kind ?? 'char'),
      tokenizerJson: json,
      decode: (ids) => tok.decode(ids),
    };
  }
  return named ? out : { ...out, fingerprint: fnv1a([out.train, out.validation]) };
}

/** GPT-2's tokenizer from `gpt2:<dir>` (vocab.json + merges.txt, else tokenizer.json) or `gpt2:<tokenizer.json>`. */
function loadGpt2(flag: string, kind: string): Tokenizer {
  const path = kind.slice('gpt2:'.length);
  const [vocab, merges, json] = ['vocab.json', 'merges.txt', 'tokenizer.json'].map((f) => join(path, f));
  if (existsSync(path) && statSync(path).isFile()) return loadGpt2BpeTokenizer({ tokenizerJson: path });
  if (existsSync(vocab!) && existsSync(merges!))
    return loadGpt2BpeTokenizer({ vocab: vocab!, merges: merges! });
  if (existsSync(json!)) return loadGpt2BpeTokenizer({ tokenizerJson: json! });
  throw new ArgumentError(
    `${flag}: expected 'gpt2:<folder with vocab.json and merges.txt, or tokenizer.json>', got '${kind}' (neither found)`,
  );
}

function maxOf(ids: Int32Array): number {
  let m = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i]! > m) m = ids[i]!;
  return m;
}

/** FNV-1a (32 bits) over the arrays' lengths and ids, as 8 hex digits. */
function fnv1a(parts: Int32Array[]): string {
  let h = 0x811c9dc5;
  const mix = (x: number) => {
    for (let s = 0; s < 32; s += 8) h = Math.imul(h ^ ((x >>> s) & 0xff), 0x01000193);
  };
  for (const p of parts) {
    mix(p.length);
    for (let i = 0; i < p.length; i++) mix(p[i]!);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
