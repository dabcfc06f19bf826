import { checkObject } from '@tenzo/core';
import { readUtf8 } from '../files/readFile.js';
import { Gpt2BpeTokenizer } from './gpt2Bpe.js';

/** Where a GPT-2 tokenizer is: `vocab.json` + `merges.txt`, or one Hugging Face `tokenizer.json`. */
export type Gpt2BpeFiles = { vocab: string; merges: string } | { tokenizerJson: string };

/**
 * Reads a GPT-2 byte-level BPE tokenizer from its files (strict UTF-8 and JSON; every check of
 * `Gpt2BpeTokenizer`), naming the file in each error. Unreadable files are `IoError`s.
 *
 * ```ts
 * const tok = loadGpt2BpeTokenizer({ vocab: 'gpt2/vocab.json', merges: 'gpt2/merges.txt' }); // vocabSize 50257
 * ```
 */
export function loadGpt2BpeTokenizer(files: Gpt2BpeFiles): Gpt2BpeTokenizer {
  const fn = 'loadGpt2BpeTokenizer';
  checkObject(`${fn}: files`, files);
  if ('tokenizerJson' in files)
    return Gpt2BpeTokenizer.fromJson(readUtf8(fn, files.tokenizerJson), files.tokenizerJson);
  return Gpt2BpeTokenizer.fromStrings(readUtf8(fn, files.vocab), readUtf8(fn, files.merges), {
    vocabSource: files.vocab,
    mergesSource: files.merges,
  });
}
