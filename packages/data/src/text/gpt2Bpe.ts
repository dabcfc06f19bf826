import { FormatError, parseJsonStrict } from '@tenzo/core';
import * as v from 'valibot';
import { checkIds } from './byteTokenizer.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * GPT-2's reversible byte → character table (`bytes_to_unicode` in OpenAI's encoder.py): the
 * printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards in byte order, so
 * every token is a printable string and a space shows as 'Ġ' (U+0120).
 */
export const GPT2_BYTE_TO_CHAR: readonly string[] = (() => {
  const keep = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) out.push(String.fromCharCode(keep(b) ? b : next++));
  return out;
})();
const CHAR_TO_BYTE = new Map(GPT2_BYTE_TO_CHAR.map((c, b) => [c, b]));

/** GPT-2's pre-tokenisation: contractions, letters, digits, other symbols, each with one leading space; whitespace runs. */
export const GPT2_PRETOKENIZE =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/**
 * Options of the GPT-2 byte-level BPE tokenizer: prefix-space handling and tokens added beyond the
 * byte-level vocabulary.
 */
export interface Gpt2BpeOptions {
  /** prepend a space to text that does not start with one (Hugging Face's `add_prefix_space`); default false */
  addPrefixSpace?: boolean;
  /** tokens outside the byte-level vocabulary, decoded as their text (`added_tokens` of tokenizer.json); ids follow the vocabulary's */
  addedTokens?: readonly string[];
  /** names the files in error messages */
  source?: string;
}

const CACHE_LIMIT = 50_000;

/**
 * GPT-2's byte-level BPE (Radford et al. 2019; OpenAI's encoder.py, Hugging Face's ByteLevel +
 * BPE): text is cut by `GPT2_PRETOKENIZE`, each piece's UTF-8 bytes become characters of
 * `GPT2_BYTE_TO_CHAR`, and the adjacent pair of lowest merge rank is merged (every occurrence,
 * left to right) until no pair has a rank; the symbols are then looked up in the vocabulary.
 * Lossless on any string without lone surrogates. Every input is validated (`FormatError`
 * naming `source`): ids unique and dense 0..V−1, all 256 byte characters in the vocabulary, every
 * merge of two vocabulary symbols whose concatenation is a token too, no merge twice. Added
 * tokens are not matched inside text when encoding (OpenAI's encoder.py does not either).
 *
 * ```ts
 * const tok = Gpt2BpeTokenizer.fromStrings(vocabJson, mergesTxt); // or loadGpt2BpeTokenizer(...) in @tenzo/data/node
 * tok.decode(tok.encode('Hello world')) === 'Hello world';
 * ```
 */
export class Gpt2BpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly addPrefixSpace: boolean;
  private readonly tokens: string[];
  private readonly ids = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly byteLevel: number;
  private readonly cache = new Map<string, number[]>();

  /** vocab: token → id; merges: pairs in rank order. */
  constructor(
    vocab: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
    merges: readonly (readonly [string, string])[],
    opts: Gpt2BpeOptions = {},
  ) {
    const src = opts.source ?? 'Gpt2BpeTokenizer';
    const entries = vocab instanceof Map ? [...vocab] : Object.entries(vocab as Record<string, number>);
    this.byteLevel = entries.length;
    this.tokens = new Array<string>(entries.length);
    for (const [token, id] of entries) {
      if (!Number.isSafeInteger(id) || id < 0 || id >= entries.length)
        throw new FormatError(
          `${src}: vocab[${JSON.stringify(token)}]: expected an integer id in [0, ${entries.length}) (ids dense), got ${String(id)}`,
        );
      if (this.tokens[id] !== undefined)
        throw new FormatError(
          `${src}: vocab[${JSON.stringify(token)}]: expected a unique id, got ${id}, already ${JSON.stringify(this.tokens[id])}`,
        );
      for (const c of token)
        if (!CHAR_TO_BYTE.has(c))
          throw new FormatError(
            `${src}: vocab[${JSON.stringify(token)}]: expected byte-level characters only, got ${JSON.stringify(c)}`,
          );
      if (token === '') throw new FormatError(`${src}: vocab: expected non-empty tokens, got '' (id ${id})`);
      this.tokens[id] = token;
      this.ids.set(token, id);
    }
    for (let b = 0; b < 256; b++)
      if (!this.ids.has(GPT2_BYTE_TO_CHAR[b]!))
        throw new FormatError(
          `${src}: vocab: expected every byte's character, got none for byte 0x${b.toString(16).padStart(2, '0')} (${JSON.stringify(GPT2_BYTE_TO_CHAR[b])})`,
        );
    merges.forEach(([a, b], rank) => {
      const at = `${src}: merges[${rank}] (${JSON.stringify(a)} ${JSON.stringify(b)})`;
      if (!this.ids.has(a) || !this.ids.has(b))
        throw new FormatError(`${at}: expected two vocabulary tokens`);
      if (!this.ids.has(a + b))
        throw new FormatError(
          `${at}: expected the merged token ${JSON.stringify(a + b)} in the vocabulary, got none`,
        );
      const key = `${a} ${b}`;
      if (this.ranks.has(key))
        throw new FormatError(`${at}: expected each merge once, got it also at rank ${this.ranks.get(key)}`);
      this.ranks.set(key, rank);
    });
    for (const [k, t] of (opts.addedTokens ?? []).entries()) {
      if (typeof t !== 'string' || t === '' || this.ids.has(t))
        throw new FormatError(
          `${src}: addedTokens[${k}]: expected a new non-empty token, got ${JSON.stringify(t)}`,
        );
      this.ids.set(t, this.tokens.length);
      this.tokens.push(t);
    }
    this.vocabSize = this.tokens.length;
    this.addPrefixSpace = opts.addPrefixSpace ?? false;
  }

  /** From the text of GPT-2's `vocab.json` (strict JSON: duplicate keys are errors) and `merges.txt`. */
  static fromStrings(
    vocabJson: string,
    mergesTxt: string,
    opts: Gpt2BpeOptions & { vocabSource?: string; mergesSource?: string } = {},
  ): Gpt2BpeTokenizer {
    const vocabSource = opts.vocabSource ?? 'vocab.json';
    const vocab = v.safeParse(VocabSchema, parseJsonStrict(vocabJson, vocabSource));
    if (!vocab.success) throw new FormatError(`${vocabSource}: ${issue(vocab.issues)}`);
    const merges = parseMerges(mergesTxt, opts.mergesSource ?? 'merges.txt');
    return new Gpt2BpeTokenizer(vocab.output, merges, {
      ...opts,
      source: opts.source ?? `${vocabSource} + ${opts.mergesSource ?? 'merges.txt'}`,
    });
  }

  /**
   * From a Hugging Face `tokenizer.json` whose model is BPE over a ByteLevel pre-tokenizer
   * (GPT-2, RoBERTa, GPT-NeoX …): no normalizer, no dropout, no subword prefix or suffix; added
   * tokens outside the vocabulary must continue its ids.
   */
  static fromJson(tokenizerJson: string, source = 'tokenizer.json'): Gpt2BpeTokenizer {
    const r = v.safeParse(TokenizerJsonSchema, parseJsonStrict(tokenizerJson, source));
    if (!r.success) throw new FormatError(`${source}: ${issue(r.issues)}`);
    const { model, pre_tokenizer: pre, added_tokens: added = [] } = r.output;
    const merges = model.merges.map((m, k): [string, string] =>
      typeof m === 'string' ? mergeLine(m, `${source}: model.merges[${k}]`) : [m[0], m[1]],
    );
    const size = Object.keys(model.vocab).length;
    const extra: string[] = [];
    for (const [k, t] of [...added].sort((a, b) => a.id - b.id).entries()) {
      const known = model.vocab[t.content];
      if (known !== undefined) {
        if (known !== t.id)
          throw new FormatError(
            `${source}: added_tokens[${k}] (${JSON.stringify(t.content)}): expected id ${known} as in model.vocab, got ${t.id}`,
          );
      } else if (t.id !== size + extra.length)
        throw new FormatError(
          `${source}: added_tokens[${k}] (${JSON.stringify(t.content)}): expected id ${size + extra.length} (dense after model.vocab), got ${t.id}`,
        );
      else extra.push(t.content);
    }
    return new Gpt2BpeTokenizer(model.vocab, merges, {
      addPrefixSpace: pre.add_prefix_space ?? false,
      addedTokens: extra,
      source,
    });
  }

  /** The id of a token string (byte-level characters, e.g. 'Ġthe'), or undefined. */
  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** The token string of an id. */
  tokenOf(id: number): string {
    checkIds('Gpt2BpeTokenizer.tokenOf', [id], this.vocabSize);
    return this.tokens[id]!;
  }

  encode(text: string): Int32Array {
    const s = this.addPrefixSpace && !text.startsWith(' ') ? ` ${text}` : text;
    const out: number[] = [];
    const utf8 = new TextEncoder();
    for (const m of s.matchAll(GPT2_PRETOKENIZE)) {
      const piece = m[0];
      let ids = this.cache.get(piece);
      if (ids === undefined) {
        let word = '';
        for (const b of utf8.encode(piece)) word += GPT2_BYTE_TO_CHAR[b];
        ids = this.bpe(word).map((t) => this.ids.get(t)!);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(piece, ids);
      }
      for (const id of ids) out.push(id);
    }
    return Int32Array.from(out);
  }

  decode(ids: ArrayLike<number>): string {
    checkIds('Gpt2BpeTokenizer.decode', ids, this.vocabSize);
    const bytes: number[] = [];
    const utf8 = new TextEncoder();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const t = this.tokens[id]!;
      if (id >= this.byteLevel) bytes.push(...utf8.encode(t));
      else for (const c of t) bytes.push(CHAR_TO_BYTE.get(c)!);
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  /** Merges by rank: the lowest-ranked adjacent pair, all its occurrences, until none is ranked. */
  private bpe(word: string): string[] {
    let syms = Array.from(word);
    while (syms.length > 1) {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < syms.length; i++) {
        const r = this.ranks.get(`${syms[i]} ${syms[i + 1]}`);
        if (r !== undefined && r < best) best = r;
      }
      if (best === Number.POSITIVE_INFINITY) break;
      const next: string[] = [];
      for (let i = 0; i < syms.length; i++) {
        if (i + 1 < syms.length && this.ranks.get(`${syms[i]} ${syms[i + 1]}`) === best) {
          next.push(syms[i]! + syms[i + 1]!);
          i++;
        } else next.push(syms[i]!);
      }
      syms = next;
    }
    return syms;
  }
}

// valibot's record takes an array as an object of index keys; a vocabulary is never one
const VocabSchema = v.pipe(
  v.custom<object>(
    (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
    'expected an object of token → id',
  ),
  v.record(v.string(), v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
);

const TokenizerJsonSchema = v.looseObject({
  normalizer: v.nullish(v.null('expected null (normalizers are not supported)')),
  pre_tokenizer: v.looseObject({
    type: v.literal('ByteLevel', 'expected a ByteLevel pre-tokenizer'),
    add_prefix_space: v.optional(v.boolean()),
    use_regex: v.optional(v.literal(true, 'expected true (the GPT-2 regex)')),
  }),
  added_tokens: v.optional(
    v.array(v.looseObject({ id: v.pipe(v.number(), v.safeInteger(), v.minValue(0)), content: v.string() })),
  ),
  model: v.looseObject({
    type: v.literal('BPE', 'expected a BPE model'),
    vocab: VocabSchema,
    merges: v.array(v.union([v.string(), v.strictTuple([v.string(), v.string()])])),
    dropout: v.nullish(v.null('expected null (BPE dropout makes encoding random)')),
    continuing_subword_prefix: v.nullish(v.literal('', "expected null or ''")),
    end_of_word_suffix: v.nullish(v.literal('', "expected null or ''")),
    byte_fallback: v.optional(v.literal(false, 'expected false')),
  }),
});

function issue(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  const path = first?.path?.map((p) => String(p.key)).join('.') ?? '';
  return `${path === '' ? '(top)' : path}: ${first?.message ?? 'invalid'}`;
}

function mergeLine(line: string, at: string): [string, string] {
  const parts = line.split(' ');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '')
    throw new FormatError(`${at}: expected two symbols separated by one space, got ${JSON.stringify(line)}`);
  return [parts[0]!, parts[1]!];
}

/** merges.txt: an optional `#version` line, then one merge per line; a final line break is allowed. */
export function parseMerges(text: string, source = 'merges.txt'): [string, string][] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const first = lines[0]?.startsWith('#version') ? 1 : 0;
  return lines.slice(first).map((line, k) => mergeLine(line, `${source}: line ${k + first + 1}`));
}
