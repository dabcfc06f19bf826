import { ArgumentError, checkArray, checkInt, checkString, describeValue } from '@tenzo/core';
import { checkIds } from './byteTokenizer.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * Byte-level byte-pair encoding (Sennrich et al. 2016; GPT-2's byte variant without the regex
 * pre-split): ids 0..255 are bytes, id 256 + i is merges[i] = [left, right]. Training repeatedly
 * merges the most frequent adjacent pair (ties: smallest pair, so training is deterministic);
 * encoding applies the merges in training order.
 */
export class BpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly rank = new Map<number, number>();
  private readonly pieces: Uint8Array[] = [];

  constructor(readonly merges: readonly (readonly [number, number])[]) {
    for (let b = 0; b < 256; b++) this.pieces.push(Uint8Array.of(b));
    checkArray('BpeTokenizer: merges', merges).forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new ArgumentError(
          `BpeTokenizer: merges[${i}] expected a pair of ids, got ${describeValue(pair)}`,
        );
      const [a, b] = pair;
      const id = 256 + i;
      if (!(a < id && b < id && a >= 0 && b >= 0 && Number.isInteger(a) && Number.isInteger(b)))
        throw new ArgumentError(`BpeTokenizer: merges[${i}] expected ids below ${id}, got [${a}, ${b}]`);
      this.rank.set(a * 65536 + b, i);
      const pa = this.pieces[a]!;
      const pb = this.pieces[b]!;
      const p = new Uint8Array(pa.length + pb.length);
      p.set(pa);
      p.set(pb, pa.length);
      this.pieces.push(p);
    });
    this.vocabSize = 256 + merges.length;
  }

  /** Learns vocabSize − 256 merges from `text`. */
  static train(text: string, vocabSize: number): BpeTokenizer {
    checkString('BpeTokenizer.train: text', text);
    checkInt('BpeTokenizer.train: vocabSize', vocabSize, { min: 256, max: 65536 });
    let seq = Array.from(new TextEncoder().encode(text));
    const merges: [number, number][] = [];
    for (let id = 256; id < vocabSize; id++) {
      const counts = new Map<number, number>();
      for (let i = 0; i + 1 < seq.length; i++) {
        const key = seq[i]! * 65536 + seq[i + 1]!;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      let best = -1;
      let bestCount = 1; // a pair seen once compresses nothing
      for (const [k, c] of counts)
        if (c > bestCount || (c === bestCount && best >= 0 && k < best)) [best, bestCount] = [k, c];
      if (best < 0) break;
      merges.push([Math.floor(best / 65536), best % 65536]);
      seq = mergePair(seq, Math.floor(best / 65536), best % 65536, id);
    }
    return new BpeTokenizer(merges);
  }

  encode(text: string): Int32Array {
    checkString('BpeTokenizer.encode: text', text);
    let seq = Array.from(new TextEncoder().encode(text));
    for (;;) {
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < seq.length; i++) {
        const r = this.rank.get(seq[i]! * 65536 + seq[i + 1]!);
        if (r !== undefined && r < bestRank) bestRank = r;
      }
      if (bestRank === Number.POSITIVE_INFINITY) return Int32Array.from(seq);
      const [a, b] = this.merges[bestRank]!;
      seq = mergePair(seq, a, b, 256 + bestRank);
    }
  }

  decode(ids: ArrayLike<number>): string {
    checkIds('BpeTokenizer.decode', ids, this.vocabSize);
    const parts: number[] = [];
    for (let i = 0; i < ids.length; i++) parts.push(...this.pieces[ids[i]!]!);
    return new TextDecoder().decode(Uint8Array.from(parts));
  }

  /** The tokenizer as JSON (its merges, in order), for saving next to a model. */
  toJSON(): { type: 'bpe'; merges: [number, number][] } {
    return { type: 'bpe', merges: this.merges.map(([a, b]) => [a, b]) };
  }
}

function mergePair(seq: number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(seq[i]!);
  }
  return out;
}
