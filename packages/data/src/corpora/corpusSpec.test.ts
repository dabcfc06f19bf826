import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError, OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { GPT2_BYTE_TO_CHAR } from '../text/gpt2Bpe.js';
import { tokenizerFor } from '../text/tokenizerFor.js';
import { loadCorpusTokens, resolveCorpus } from './corpusSpec.js';
import { loadNamedCorpus } from './namedCorpus.js';

const root = mkdtempSync(join(tmpdir(), 'corpus-spec-'));
const at = (...p: string[]) => join(root, ...p);
const docs: Record<string, string> = {
  'books/a.txt': 'alpha beta gamma\ndelta\n',
  'books/b.txt': 'the quick brown fox\n',
  'books/sub/c.txt': 'jumps over\nthe lazy dog\n',
  'books/notes.md': '# not a txt\n',
  'one.txt': 'line one\nline two\nline three\nline four\nline five\n',
  'empty.txt': '',
};
for (const [f, text] of Object.entries(docs)) {
  mkdirSync(join(root, f, '..'), { recursive: true });
  writeFileSync(at(f), text);
}
mkdirSync(at('void'));
/** nanoGPT's layout: np.array(ids, dtype=np.uint16).tofile(path), headerless little-endian. */
function writeBin(path: string, ids: number[]): string {
  const b = Buffer.alloc(2 * ids.length);
  for (const [i, t] of ids.entries()) b.writeUInt16LE(t, 2 * i);
  writeFileSync(path, b);
  return path;
}
const ids = Array.from({ length: 20 }, (_, i) => (i * 37) % 300); // up to 296: more than one byte
writeBin(at('tokens.bin'), ids);
mkdirSync(at('nano'));
writeBin(at('nano', 'train.bin'), [1, 2, 3, 4, 5, 6]);
writeBin(at('nano', 'val.bin'), [7, 8]);

describe('resolveCorpus', () => {
  it("'code' and 'text' are the named corpora, unchanged", () => {
    const r = resolveCorpus('text');
    expect(r).toEqual({ kind: 'text', name: 'brown', corpus: loadNamedCorpus('text') });
  });

  it('a folder: every file below it, one document each, labelled with the path as given', () => {
    const r = resolveCorpus(at('books'), { validationFraction: 0.25 });
    if (r.kind !== 'text') throw new Error('expected text');
    expect(r.name).toBe(at('books'));
    expect(r.corpus.documents.map((d) => d.name).sort()).toEqual(
      ['books/a.txt', 'books/b.txt', 'books/notes.md', 'books/sub/c.txt'].map((f) => at(f)),
    );
    expect(r.corpus.documents.filter((d) => d.split === 'validation')).toHaveLength(1);
    // the split is seeded (default 0), so the same call gives the same corpus
    expect(resolveCorpus(at('books'), { validationFraction: 0.25 })).toEqual(r);
  });

  it('a glob: only the files it matches', () => {
    const r = resolveCorpus(at('books', '**', '*.txt'));
    if (r.kind !== 'text') throw new Error('expected text');
    const all = `${r.corpus.train}\n\n${r.corpus.validation}`;
    for (const f of ['books/a.txt', 'books/b.txt', 'books/sub/c.txt']) expect(all).toContain(docs[f]);
    expect(all).not.toContain('not a txt');
  });

  it('one text file is cut at a line break near 90 %', () => {
    const r = resolveCorpus(at('one.txt'));
    if (r.kind !== 'text') throw new Error('expected text');
    expect(r.corpus.train).toBe('line one\nline two\nline three\nline four\n');
    expect(r.corpus.validation).toBe('line five\n');
  });

  it('a .bin token file: uint16 little-endian ids, the last 10 % held out', () => {
    const r = resolveCorpus(at('tokens.bin'));
    if (r.kind !== 'tokens') throw new Error('expected tokens');
    expect([...r.train]).toEqual(ids.slice(0, 18));
    expect([...r.validation]).toEqual(ids.slice(18));
    expect(r.files).toEqual([at('tokens.bin')]);
  });

  it("nanoGPT's train.bin takes val.bin beside it, given as the file or its folder", () => {
    for (const spec of [at('nano', 'train.bin'), at('nano')]) {
      const r = resolveCorpus(spec);
      if (r.kind !== 'tokens') throw new Error('expected tokens');
      expect([...r.train]).toEqual([1, 2, 3, 4, 5, 6]);
      expect([...r.validation]).toEqual([7, 8]);
      expect(r.files).toEqual([at('nano', 'train.bin'), at('nano', 'val.bin')]);
      expect(r.name).toBe(spec);
    }
  });

  it('a missing path, an empty glob, folder or file: ArgumentError naming the flag, the expectation and the value', () => {
    const expected =
      "--corpus: expected 'text', 'code', a text file, a folder or glob of text files, or a .bin token file, got";
    const cases: [string, string][] = [
      [at('nope.txt'), `'${at('nope.txt')}', which does not exist`],
      [at('books', '*.csv'), `the glob '${at('books', '*.csv')}', which matches no file`],
      [at('void'), `the folder '${at('void')}', which holds no files`],
      [at('empty.txt'), `'${at('empty.txt')}', an empty file`],
    ];
    for (const [spec, got] of cases) {
      expect(() => resolveCorpus(spec, { flag: '--corpus' })).toThrow(ArgumentError);
      expect(() => resolveCorpus(spec, { flag: '--corpus' })).toThrow(`${expected} ${got}`);
    }
    expect(() => resolveCorpus('', { flag: '--corpus' })).toThrow(`${expected} ''`);
    expect(() => resolveCorpus(at('one.txt'), { validationFraction: 1 })).toThrow(OutOfRangeError);
  });

  it('a token file with an odd size or an id ≥ vocabSize is a FormatError naming it', () => {
    writeFileSync(at('odd.bin'), Uint8Array.of(1, 0, 2));
    expect(() => resolveCorpus(at('odd.bin'))).toThrow(FormatError);
    expect(() => resolveCorpus(at('tokens.bin'), { vocabSize: 256 })).toThrow(
      /tokens\.bin: token 7 .* got 259/,
    );
  });
});

// GPT-2's format with the 256 byte tokens and two merges
const vocab = Object.fromEntries([
  ...GPT2_BYTE_TO_CHAR.map((c, b) => [c, b] as const),
  ['he', 256] as const,
  ['Ġt', 257] as const,
]);
mkdirSync(at('gpt2'));
writeFileSync(at('gpt2', 'vocab.json'), JSON.stringify(vocab));
writeFileSync(at('gpt2', 'merges.txt'), '#version: 0.2\nh e\nĠ t\n');

describe('loadCorpusTokens', () => {
  it('a named corpus: the tokenizer fitted on its training text, as before; no fingerprint', () => {
    const c = loadCorpusTokens('code', { tokenizer: 'char' });
    const corpus = loadNamedCorpus('code');
    const tok = tokenizerFor('char', corpus.train);
    expect(c.train).toEqual(tok.encode(corpus.train));
    expect(c.validation).toEqual(tok.encode(corpus.validation));
    expect(c).toMatchObject({ name: 'typescript-lib', vocabSize: tok.vocabSize, tokenizerName: 'char' });
    expect(c.fingerprint).toBeUndefined();
  });

  it('a text folder with byte, bpe or char tokens; the fingerprint follows the content', () => {
    const byte = loadCorpusTokens(at('books'), { tokenizer: 'byte' });
    expect(byte).toMatchObject({ vocabSize: 256, tokenizerName: 'byte', documents: 4 });
    expect(byte.tokenizerJson).toEqual({ type: 'byte' });
    expect(byte.decode(byte.train) + byte.decode(byte.validation)).toContain('alpha beta gamma');
    const bpe = loadCorpusTokens(at('books'), { tokenizer: 'bpe', bpeVocab: 260 });
    expect(bpe.vocabSize).toBe(260);
    const char = loadCorpusTokens(at('books'));
    expect(char.tokenizerName).toBe('char');
    expect(char.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(loadCorpusTokens(at('books')).fingerprint).toBe(char.fingerprint);
    writeFileSync(at('books', 'b.txt'), 'the quick brown cat\n');
    expect(loadCorpusTokens(at('books')).fingerprint).not.toBe(char.fingerprint);
    writeFileSync(at('books', 'b.txt'), docs['books/b.txt']!);
  });

  it('a token file: ids as they are, vocabSize 1 + the largest, decoded as <id>', () => {
    const c = loadCorpusTokens(at('tokens.bin'));
    expect(c).toMatchObject({ vocabSize: 297, tokenizer: null, tokenizerName: 'ids', documents: 1 });
    expect(c.tokenizerJson).toEqual({ type: 'ids', vocabSize: 297 });
    expect(c.decode([3, 296])).toBe('<3><296>');
    expect(() =>
      loadCorpusTokens(at('tokens.bin'), { tokenizer: 'bpe', tokenizerFlag: '--tokenizer' }),
    ).toThrow(
      `--tokenizer: loadCorpusTokens: spec '${at('tokens.bin')}' holds token ids already; expected none or 'gpt2:<dir>' to decode them, got 'bpe'`,
    );
  });

  it('gpt2:<dir> encodes text and checks and decodes a token file', () => {
    const g = `gpt2:${at('gpt2')}` as const;
    const text = loadCorpusTokens(at('one.txt'), { tokenizer: g });
    expect(text).toMatchObject({ vocabSize: 258, tokenizerName: 'gpt2' });
    expect(text.tokenizerJson).toEqual({ type: 'gpt2', source: at('gpt2') });
    expect(text.decode(text.train)).toBe('line one\nline two\nline three\nline four\n');
    const bin = loadCorpusTokens(at('nano'), { tokenizer: g });
    expect(bin.vocabSize).toBe(258);
    expect(bin.decode([104, 256, 33])).toBe('hhe!');
    // ids ≥ 258 do not fit GPT-2's vocabulary here
    expect(() => loadCorpusTokens(at('tokens.bin'), { tokenizer: g })).toThrow(FormatError);
    expect(() =>
      loadCorpusTokens(at('one.txt'), { tokenizer: `gpt2:${at('void')}`, tokenizerFlag: '--tokenizer' }),
    ).toThrow(
      `--tokenizer: expected 'gpt2:<folder with vocab.json and merges.txt, or tokenizer.json>', got 'gpt2:${at('void')}' (neither found)`,
    );
    expect(() => loadCorpusTokens(at('one.txt'), { tokenizer: 'words' as never })).toThrow(
      "loadCorpusTokens: tokenizer: expected one of 'char', 'byte', 'bpe' or 'gpt2:<dir>', got \"words\"",
    );
  });
});
