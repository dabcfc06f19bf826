import { checkInt, checkNumbers, checkRng, OutOfRangeError, type Rng } from '@tenzo/core';

/**
 * `count` random contiguous windows of `length` tokens from a token stream, row-major
 * `[count, length]`: the training batches of a language model (inputs are a window's first T
 * tokens, targets the same window shifted by 1..n).
 */
export function randomWindows(
  tokens: ArrayLike<number>,
  count: number,
  length: number,
  rng: Rng,
): Int32Array {
  checkNumbers('randomWindows: tokens', tokens);
  checkRng('randomWindows: rng', rng);
  checkInt('randomWindows: count', count, { positive: true });
  checkInt('randomWindows: length', length, { positive: true });
  if (tokens.length < length)
    throw new OutOfRangeError(
      `randomWindows: tokens expected at least ${length} entries, got ${tokens.length}`,
    );
  if (count * length > 2 ** 31 - 1)
    throw new OutOfRangeError(
      `randomWindows: count·length = ${count * length} tokens, more than one Int32Array holds`,
    );
  const out = new Int32Array(count * length);
  for (let r = 0; r < count; r++) {
    const start = rng.int(tokens.length - length + 1);
    for (let j = 0; j < length; j++) out[r * length + j] = tokens[start + j]!;
  }
  return out;
}
