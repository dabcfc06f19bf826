import { checkInt, checkOneOf, checkString } from '@tenzo/core';
import { BpeTokenizer } from './bpe.js';
import { ByteTokenizer } from './byteTokenizer.js';
import { CharTokenizer } from './charTokenizer.js';
import type { Tokenizer } from './tokenizer.js';

/** The tokenizers {@link tokenizerFor} builds. */
export const TOKENIZER_KINDS = ['char', 'byte', 'bpe'] as const;
/** A tokenizer `tokenizerFor` can build: `'char'`, `'byte'` or `'bpe'`. */
export type TokenizerKind = (typeof TOKENIZER_KINDS)[number];

/**
 * A tokenizer fitted to a training text: 'char' (one id per distinct character of `train`),
 * 'byte' (UTF-8 bytes, 256 ids, nothing fitted) or 'bpe' (byte-pair merges up to `bpeVocab`
 * ids, learnt on the first 200,000 characters of `train`: BPE training is quadratic-ish in the
 * text). Deterministic: the same text gives the same tokenizer.
 *
 * ```ts
 * const tok = tokenizerFor('char', corpus.train);
 * const ids = tok.encode(corpus.validation);
 * ```
 */
export function tokenizerFor(kind: TokenizerKind, train: string, bpeVocab = 384): Tokenizer {
  checkOneOf('tokenizerFor: kind', kind, TOKENIZER_KINDS);
  checkString('tokenizerFor: train', train);
  if (kind === 'byte') return new ByteTokenizer();
  if (kind === 'bpe')
    return BpeTokenizer.train(
      train.slice(0, 200_000),
      checkInt('tokenizerFor: bpeVocab', bpeVocab, { min: 257 }),
    );
  return CharTokenizer.fromText(train);
}
