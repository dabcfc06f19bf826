import { checkString, OutOfRangeError } from '@tenzo/core';
import type { Tokenizer } from './tokenizer.js';

/** Checks that every id is an integer in [0, vocabSize). */
export function checkIds(where: string, ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= vocabSize)
      throw new OutOfRangeError(`${where}: ids[${i}] expected an integer in [0, ${vocabSize}), got ${v}`);
  }
}

/** UTF-8 bytes as tokens (vocabulary 256): lossless for any text, no training. */
export class ByteTokenizer implements Tokenizer {
  readonly vocabSize = 256;

  encode(text: string): Int32Array {
    return Int32Array.from(new TextEncoder().encode(checkString('ByteTokenizer.encode: text', text)));
  }

  decode(ids: ArrayLike<number>): string {
    checkIds('ByteTokenizer.decode', ids, 256);
    return new TextDecoder().decode(Uint8Array.from(ids));
  }
}
