import { ArgumentError, checkArray, checkInt, checkObject, checkString } from '@tenzo/core';
import { checkIds } from './byteTokenizer.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * Character-level tokenizer: id 0 is the unknown character (decoded as U+FFFD), ids 1.. are the
 * characters of a training text, most frequent first (ties by code point, so it is deterministic).
 * With `maxVocab`, rare characters map to the unknown id.
 */
export class CharTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly index = new Map<string, number>();

  constructor(readonly chars: readonly string[]) {
    checkArray('CharTokenizer: chars', chars).forEach((c, i) => {
      checkString(`CharTokenizer: chars[${i}]`, c);
      if ([...c].length !== 1)
        throw new ArgumentError(`CharTokenizer: chars[${i}] expected one character, got '${c}'`);
      if (this.index.has(c)) throw new ArgumentError(`CharTokenizer: chars[${i}] '${c}' is repeated`);
      this.index.set(c, i + 1);
    });
    this.vocabSize = chars.length + 1;
  }

  /**
   * A tokenizer over the distinct characters of `text`, most frequent first; with `maxVocab`, the maxVocab
   * − 1 most frequent keep ids and the rest encode as id 0.
   */
  static fromText(text: string, opts: { maxVocab?: number } = {}): CharTokenizer {
    checkString('CharTokenizer.fromText: text', text);
    checkObject('CharTokenizer.fromText: opts', opts);
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    let chars = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].codePointAt(0)! - b[0].codePointAt(0)!)
      .map(([c]) => c);
    if (opts.maxVocab !== undefined) {
      checkInt('CharTokenizer.fromText: maxVocab', opts.maxVocab, { min: 2 });
      chars = chars.slice(0, opts.maxVocab - 1);
    }
    return new CharTokenizer(chars);
  }

  encode(text: string): Int32Array {
    checkString('CharTokenizer.encode: text', text);
    const out: number[] = [];
    for (const c of text) out.push(this.index.get(c) ?? 0);
    return Int32Array.from(out);
  }

  decode(ids: ArrayLike<number>): string {
    checkIds('CharTokenizer.decode', ids, this.vocabSize);
    let s = '';
    for (let i = 0; i < ids.length; i++) s += ids[i] === 0 ? '\uFFFD' : this.chars[ids[i]! - 1]!;
    return s;
  }

  /** The tokenizer as JSON (its characters, in id order), for saving next to a model. */
  toJSON(): { type: 'char'; chars: string[] } {
    return { type: 'char', chars: [...this.chars] };
  }
}
