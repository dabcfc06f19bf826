import { Rng } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BpeTokenizer } from './bpe.js';
import { ByteTokenizer } from './byteTokenizer.js';
import { CharTokenizer } from './charTokenizer.js';
import { randomWindows } from './windows.js';

describe('ByteTokenizer', () => {
  it('round-trips any string', () => {
    const tok = new ByteTokenizer();
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => tok.decode(tok.encode(s)) === s));
    expect(Array.from(tok.encode('Aé'))).toEqual([65, 0xc3, 0xa9]);
    expect(() => tok.decode([256])).toThrowError(
      'ByteTokenizer.decode: ids[0] expected an integer in [0, 256), got 256',
    );
  });
});

describe('CharTokenizer', () => {
  it('orders characters by frequency, maps unknown ones to 0 and round-trips known text', () => {
    const tok = CharTokenizer.fromText('aaabbc');
    expect(tok.chars).toEqual(['a', 'b', 'c']);
    expect(tok.vocabSize).toBe(4);
    expect(Array.from(tok.encode('cab!'))).toEqual([3, 1, 2, 0]);
    expect(tok.decode(tok.encode('abcab'))).toBe('abcab');
    expect(CharTokenizer.fromText('aaabbc', { maxVocab: 3 }).encode('c')[0]).toBe(0);
    expect(new CharTokenizer(tok.toJSON().chars).encode('cab')).toEqual(tok.encode('cab'));
    expect(() => new CharTokenizer(['a', 'a'])).toThrowError("CharTokenizer: chars[1] 'a' is repeated");
  });
});

describe('BpeTokenizer', () => {
  it('learns merges that compress, round-trips any string, and is deterministic', () => {
    const text = 'the cat sat on the mat; the cat ate the rat. '.repeat(20);
    const tok = BpeTokenizer.train(text, 280);
    expect(tok.vocabSize).toBeGreaterThan(256);
    expect(tok.encode(text).length).toBeLessThan(text.length / 3);
    expect(BpeTokenizer.train(text, 280).merges).toEqual(tok.merges);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => tok.decode(tok.encode(s)) === s));
    expect(new BpeTokenizer(tok.toJSON().merges).encode('the cat')).toEqual(tok.encode('the cat'));
    expect(() => new BpeTokenizer([[300, 1]])).toThrowError(
      'BpeTokenizer: merges[0] expected ids below 256, got [300, 1]',
    );
  });
});

describe('randomWindows', () => {
  it('cuts contiguous windows reproducibly', () => {
    const tokens = Int32Array.from({ length: 50 }, (_, i) => i);
    const w = randomWindows(tokens, 4, 5, new Rng(1));
    for (let r = 0; r < 4; r++) for (let j = 1; j < 5; j++) expect(w[r * 5 + j]).toBe(w[r * 5]! + j);
    expect(randomWindows(tokens, 4, 5, new Rng(1))).toEqual(w);
    expect(() => randomWindows(tokens, 1, 51, new Rng(0))).toThrowError(
      'randomWindows: tokens expected at least 51 entries, got 50',
    );
  });
});
