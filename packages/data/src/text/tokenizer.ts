/** Text ↔ token ids. Ids lie in [0, vocabSize). */
export interface Tokenizer {
  readonly vocabSize: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
}
