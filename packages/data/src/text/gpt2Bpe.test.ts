import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, IoError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPT2_BYTE_TO_CHAR, GPT2_PRETOKENIZE, Gpt2BpeTokenizer } from './gpt2Bpe.js';
import { loadGpt2BpeTokenizer } from './loadGpt2Bpe.js';

// A small vocabulary in GPT-2's format: id b is byte b's character, then four merges.
const MERGES: [string, string][] = [
  ['h', 'e'], // 256 'he'
  ['Ġ', 't'], // 257 'Ġt'
  ['Ġt', 'he'], // 258 'Ġthe'
  ['t', 'he'], // 259 'the'
];
const VOCAB: Record<string, number> = Object.fromEntries([
  ...GPT2_BYTE_TO_CHAR.map((c, b) => [c, b] as const),
  ...MERGES.map(([a, b], i) => [a + b, 256 + i] as const),
  ['<|endoftext|>', 260] as const,
]);
const vocabJson = JSON.stringify(VOCAB);
const mergesTxt = `#version: 0.2\n${MERGES.map((m) => m.join(' ')).join('\n')}\n`;

describe('GPT-2 byte-level BPE', () => {
  const tok = Gpt2BpeTokenizer.fromStrings(vocabJson, mergesTxt);

  it('the byte table is a bijection onto printable characters, space → Ġ', () => {
    expect(new Set(GPT2_BYTE_TO_CHAR).size).toBe(256);
    expect(GPT2_BYTE_TO_CHAR[32]).toBe('Ġ');
    expect(GPT2_BYTE_TO_CHAR[10]).toBe('Ċ');
    expect(GPT2_BYTE_TO_CHAR[65]).toBe('A');
    expect(GPT2_BYTE_TO_CHAR[0]).toBe('Ā');
  });

  it('pre-tokenises as GPT-2 does', () => {
    const pieces = (s: string) => [...s.matchAll(GPT2_PRETOKENIZE)].map((m) => m[0]);
    expect(pieces("it's  the 42nd!!\n\n ok")).toEqual([
      'it',
      "'s",
      ' ',
      ' the',
      ' 42',
      'nd',
      '!!',
      '\n\n',
      ' ok',
    ]);
  });

  it('exact ids on hand-checked merges', () => {
    expect(tok.vocabSize).toBe(261);
    // 'the' → t,he → the; ' the' → Ġ,t,he → Ġt,he → Ġthe; ' theme' → Ġthe,m,e
    expect([...tok.encode('the the theme')]).toEqual([259, 258, 258, 109, 101]);
    // no merge applies: the UTF-8 bytes themselves
    expect([...tok.encode("it's é")]).toEqual([105, 116, 39, 115, 32, 0xc3, 0xa9]);
    expect(tok.idOf('Ġthe')).toBe(258);
    expect(tok.tokenOf(258)).toBe('Ġthe');
    expect(tok.decode([260, 258])).toBe('<|endoftext|> the');
  });

  it('round-trips any string without lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        (a, b) => {
          for (const s of [a, b, `${a} the ${b}`]) expect(tok.decode(tok.encode(s))).toBe(s);
        },
      ),
      { numRuns: 300, seed: 24 },
    );
  });

  it('tokenizer.json (merges as strings or pairs) gives the same ids; added tokens continue the ids', () => {
    const { '<|endoftext|>': _, ...base } = VOCAB;
    const hf = (merges: unknown, extra: object = {}) =>
      JSON.stringify({
        version: '1.0',
        added_tokens: [{ id: 260, content: '<|endoftext|>', special: true }],
        normalizer: null,
        pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
        decoder: { type: 'ByteLevel' },
        model: { type: 'BPE', dropout: null, unk_token: null, vocab: base, merges, ...extra },
      });
    for (const merges of [MERGES.map((m) => m.join(' ')), MERGES]) {
      const t = Gpt2BpeTokenizer.fromJson(hf(merges));
      expect(t.vocabSize).toBe(261);
      expect([...t.encode('the the theme')]).toEqual([259, 258, 258, 109, 101]);
      expect(t.decode([260])).toBe('<|endoftext|>');
    }
    expect(() => Gpt2BpeTokenizer.fromJson(hf(MERGES, { type: 'WordPiece' }))).toThrow(
      /tokenizer\.json: model\.type: expected a BPE model/,
    );
    expect(() => Gpt2BpeTokenizer.fromJson(hf(MERGES, { dropout: 0.1 }))).toThrow(/model\.dropout/);
    const prefixed = JSON.parse(hf(MERGES));
    prefixed.pre_tokenizer.add_prefix_space = true;
    expect([...Gpt2BpeTokenizer.fromJson(JSON.stringify(prefixed)).encode('the')]).toEqual([258]);
    prefixed.normalizer = { type: 'NFC' };
    expect(() => Gpt2BpeTokenizer.fromJson(JSON.stringify(prefixed))).toThrow(/normalizer: expected null/);
    prefixed.normalizer = null;
    prefixed.added_tokens = [{ id: 300, content: '<pad>' }];
    expect(() => Gpt2BpeTokenizer.fromJson(JSON.stringify(prefixed))).toThrow(
      /expected id 260 \(dense after model\.vocab\), got 300/,
    );
  });

  it('validates vocab.json and merges.txt', () => {
    const bad: [string, string, RegExp][] = [
      [vocabJson.replace('{', '{"Ġthe": 7,'), mergesTxt, /vocab\.json: duplicate key/],
      [
        vocabJson,
        `${mergesTxt}a b c\n`,
        /merges\.txt: line 6: expected two symbols separated by one space, got "a b c"/,
      ],
      [vocabJson, `${mergesTxt}\nh e\n`, /line 6: expected two symbols/],
      [
        vocabJson,
        `${mergesTxt}h e\n`,
        /merges\[4\] \("h" "e"\): expected each merge once, got it also at rank 0/,
      ],
      [
        vocabJson,
        `${mergesTxt}e h\n`,
        /merges\[4\] \("e" "h"\): expected the merged token "eh" in the vocabulary/,
      ],
      [vocabJson, `${mergesTxt}x Ġzz\n`, /expected two vocabulary tokens/],
      [
        JSON.stringify({ ...VOCAB, Ġthe: 300 }),
        mergesTxt,
        /vocab\["Ġthe"\]: expected an integer id in \[0, 261\)/,
      ],
      [JSON.stringify({ ...VOCAB, Ġthe: 257 }), mergesTxt, /expected a unique id, got 257/],
      [JSON.stringify({ ...VOCAB, Ġthe: 2.5 }), mergesTxt, /vocab\.json: Ġthe: /],
      [
        JSON.stringify({ ...VOCAB, 'a b': 261 }),
        mergesTxt,
        /vocab\["a b"\]: expected byte-level characters only, got " "/,
      ],
      [
        JSON.stringify(
          Object.fromEntries(
            Object.entries(VOCAB)
              .filter(([t]) => t !== 'Ā')
              .map(([t], i) => [t, i]),
          ),
        ),
        mergesTxt,
        /expected every byte's character, got none for byte 0x00/,
      ],
      ['[1, 2]', mergesTxt, /vocab\.json: \(top\): /],
    ];
    for (const [v, m, msg] of bad) {
      expect(() => Gpt2BpeTokenizer.fromStrings(v, m)).toThrow(FormatError);
      expect(() => Gpt2BpeTokenizer.fromStrings(v, m)).toThrow(msg);
    }
  });

  it('loadGpt2BpeTokenizer reads the files and names them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt2-'));
    writeFileSync(join(dir, 'vocab.json'), vocabJson);
    writeFileSync(join(dir, 'merges.txt'), mergesTxt);
    const t = loadGpt2BpeTokenizer({ vocab: join(dir, 'vocab.json'), merges: join(dir, 'merges.txt') });
    expect([...t.encode(' the')]).toEqual([258]);
    writeFileSync(join(dir, 'bad.json'), vocabJson.replace('{', '{"h": 104,'));
    expect(() =>
      loadGpt2BpeTokenizer({ vocab: join(dir, 'bad.json'), merges: join(dir, 'merges.txt') }),
    ).toThrow(new RegExp(`${join(dir, 'bad.json')}: duplicate key`));
    writeFileSync(join(dir, 'latin1.txt'), Uint8Array.of(0x68, 0x20, 0xe9, 0x0a));
    expect(() =>
      loadGpt2BpeTokenizer({ vocab: join(dir, 'vocab.json'), merges: join(dir, 'latin1.txt') }),
    ).toThrow(/latin1\.txt: expected UTF-8 text, got byte 0xe9 at byte offset 2/);
    expect(() => loadGpt2BpeTokenizer({ tokenizerJson: join(dir, 'none.json') })).toThrow(IoError);
  });
});
