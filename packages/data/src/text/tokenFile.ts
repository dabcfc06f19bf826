import { ArgumentError, checkInt, checkObject, checkOneOf, checkString, FormatError } from '@tenzo/core';
import { readChunks } from '../files/chunks.js';
import { fileSize } from '../files/readFile.js';

/** The item types a raw token file may hold. */
export const TOKEN_DTYPES = ['uint16', 'uint32'] as const;
/** One of {@link TOKEN_DTYPES}: little-endian `uint16` (nanoGPT's `.bin` files) or `uint32`. */
export type TokenDType = (typeof TOKEN_DTYPES)[number];

/**
 * Options of `loadTokenFile`: the item type of the raw token file and, optionally, the vocabulary size
 * every token must be below.
 */
export interface LoadTokenFileOptions {
  /** item type of the file: 'uint16' (nanoGPT's prepare.py, default) or 'uint32' */
  dtype?: TokenDType;
  /** when given, every token must be below it (FormatError naming the first that is not) */
  vocabSize?: number;
}

/**
 * A nanoGPT-style token file: a headerless array of little-endian unsigned integers, as
 * `np.memmap(path, dtype=np.uint16, mode='w+')` writes it in nanoGPT's `data/*\/prepare.py`
 * (`train.bin`, `val.bin`). Read in 4 MiB chunks straight into the result, so a 10⁹-token file
 * needs 4 GB for the Int32Array and nothing more. Tokens go into an Int32Array (what
 * `randomWindows` and the embeddings take); a uint32 token ≥ 2³¹ does not fit and is a
 * `FormatError`.
 *
 * ```ts
 * const train = loadTokenFile('data/openwebtext/train.bin', { vocabSize: 50257 });
 * const batch = randomWindows(train, 8, 1024 + 1, new Rng(0)); // Int32Array [8, 1025]
 * ```
 */
export function loadTokenFile(path: string, opts: LoadTokenFileOptions = {}): Int32Array {
  const fn = 'loadTokenFile';
  checkString(`${fn}: path`, path);
  checkObject(`${fn}: options`, opts);
  const dtype = checkOneOf(`${fn}: dtype`, opts.dtype ?? 'uint16', TOKEN_DTYPES);
  const vocabSize =
    opts.vocabSize === undefined
      ? undefined
      : checkInt(`${fn}: vocabSize`, opts.vocabSize, { positive: true, max: 2 ** 31 });
  const item = dtype === 'uint16' ? 2 : 4;
  const size = fileSize(fn, path);
  if (size === 0) throw new FormatError(`${fn}: ${path}: expected at least one token, got an empty file`);
  if (size % item !== 0)
    throw new FormatError(
      `${fn}: ${path}: file size expected a multiple of ${item} bytes (${dtype} tokens), got ${size} bytes (truncated, or another dtype?)`,
    );
  if (size / item > 2 ** 32 - 1)
    throw new ArgumentError(`${fn}: ${path}: ${size / item} tokens are more than one Int32Array holds`);
  const tokens = new Int32Array(size / item);
  const limit = vocabSize ?? 2 ** 31;
  readChunks(fn, path, size, item, (bytes, offset) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const base = offset / item;
    const count = bytes.length / item;
    for (let k = 0; k < count; k++) {
      const t = item === 2 ? view.getUint16(2 * k, true) : view.getUint32(4 * k, true);
      if (t >= limit)
        throw new FormatError(
          `${fn}: ${path}: token ${base + k} (byte offset ${offset + item * k}) expected below ${
            vocabSize === undefined ? '2^31 (Int32Array)' : `vocabSize ${vocabSize}`
          }, got ${t}`,
        );
      tokens[base + k] = t;
    }
  });
  return tokens;
}
