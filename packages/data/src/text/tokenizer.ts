/** Text ↔ token ids. Ids lie in [0, vocabSize). */
export interface Tokenizer {
  readonly vocabSize: number;
  /** The token ids of `text`, each in [0, vocabSize). */
  encode(text: string): Int32Array;
  /** The text of token ids (the inverse of `encode` on what it produced). */
  decode(ids: ArrayLike<number>): string;
}
