import { ArgumentError, checkNumbers } from '@tenzo/core';

/** Token ids: an array of integers in [0, vocabSize) (vocabSize omitted: any integer >= 0). */
export function checkTokenIds(
  name: string,
  ids: unknown,
  vocabSize?: number,
  minLength = 0,
): ArrayLike<number> {
  const a = checkNumbers(name, ids, { minLength });
  const hi = vocabSize ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isInteger(a[i]) || a[i]! < 0 || a[i]! >= hi) {
      const range = vocabSize === undefined ? 'an integer >= 0' : `an integer in [0, ${vocabSize})`;
      throw new ArgumentError(`${name}[${i}]: expected a token id (${range}), got ${a[i]}`);
    }
  }
  return a;
}
