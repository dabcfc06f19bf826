import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { BpeTokenizer } from './bpe.js';
import { ByteTokenizer } from './byteTokenizer.js';
import { CharTokenizer } from './charTokenizer.js';
import { tokenizerFor } from './tokenizerFor.js';

describe('tokenizerFor', () => {
  const text = 'the cat sat on the mat; the cat ate. '.repeat(20);
  it('char: one id per distinct character and one for unknown ones; byte: 256 ids; bpe: merges up to the vocabulary', () => {
    const c = tokenizerFor('char', text);
    expect(c).toBeInstanceOf(CharTokenizer);
    expect(c.vocabSize).toBe(new Set(text).size + 1);
    expect(c.decode(c.encode('the mat'))).toBe('the mat');
    expect(tokenizerFor('byte', text)).toBeInstanceOf(ByteTokenizer);
    const b = tokenizerFor('bpe', text, 270);
    expect(b).toBeInstanceOf(BpeTokenizer);
    expect(b.vocabSize).toBeLessThanOrEqual(270);
    expect(b.encode('the cat').length).toBeLessThan('the cat'.length);
    expect(b.decode(b.encode(text))).toBe(text);
  });

  it('is deterministic and refuses unknown kinds and small BPE vocabularies', () => {
    expect(Array.from(tokenizerFor('bpe', text, 270).encode(text))).toEqual(
      Array.from(tokenizerFor('bpe', text, 270).encode(text)),
    );
    expect(() => tokenizerFor('word' as never, text)).toThrow(ArgumentError);
    expect(() => tokenizerFor('bpe', text, 100)).toThrow(/bpeVocab/);
  });
});
