import { closeSync, openSync, readSync } from 'node:fs';
import { ioError } from './readFile.js';

/**
 * Reads `path` front to back in chunks of at most `chunkBytes` (rounded down to whole `unit`s),
 * calling `onChunk(bytes, offset)` with a reused buffer, so a large file is never held twice.
 * `size` is the file's size as stat'ed; a file that shrinks meanwhile is an `IoError`.
 */
export function readChunks(
  fn: string,
  path: string,
  size: number,
  unit: number,
  onChunk: (bytes: Uint8Array, offset: number) => void,
  chunkBytes = 1 << 22,
): void {
  const step = Math.max(unit, chunkBytes - (chunkBytes % unit));
  const buf = new Uint8Array(Math.min(step, Math.max(size, 1)));
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw ioError(fn, 'open', path, err);
  }
  try {
    for (let offset = 0; offset < size; ) {
      const want = Math.min(buf.length, size - offset);
      let got = 0;
      while (got < want) {
        let k: number;
        try {
          k = readSync(fd, buf, got, want - got, offset + got);
        } catch (err) {
          throw ioError(fn, 'read', path, err);
        }
        if (k === 0)
          throw ioError(fn, 'read', path, new Error(`file ended at byte ${offset + got} of ${size}`));
        got += k;
      }
      onChunk(buf.subarray(0, want), offset);
      offset += want;
    }
  } finally {
    closeSync(fd);
  }
}
