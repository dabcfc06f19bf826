import { readFileSync, statSync } from 'node:fs';
import { checkString, FormatError, IoError } from '@tenzo/core';

/** The filesystem error as an `IoError` naming the function, what it tried and the path. */
export function ioError(fn: string, what: string, path: string, err: unknown): IoError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return new IoError(`${fn}: cannot ${what} '${path}' (${code ?? (err as Error).message})`, { cause: err });
}

/** `readFileSync` with failures as `IoError`s naming `fn` and the path. */
export function readBytes(fn: string, path: string): Uint8Array {
  checkString(`${fn}: path`, path); // a number would be read as a file descriptor
  try {
    return readFileSync(path);
  } catch (err) {
    throw ioError(fn, 'read', path, err);
  }
}

/** A regular file's size in bytes; `IoError` if it is missing or not a file. */
export function fileSize(fn: string, path: string): number {
  checkString(`${fn}: path`, path);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    throw ioError(fn, 'stat', path, err);
  }
  if (!st.isFile())
    throw new IoError(`${fn}: expected a regular file at '${path}', got a directory or device`);
  return st.size;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Offset of the first byte that is not part of a well-formed UTF-8 sequence (overlong forms,
 * surrogates and code points above U+10FFFF are ill-formed, as for a fatal TextDecoder), or −1.
 */
export function utf8ErrorOffset(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/** Strict UTF-8 (a leading byte-order mark is dropped); `FormatError` naming `source` and the byte offset. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return decoder.decode(bytes);
  } catch (err) {
    const at = utf8ErrorOffset(bytes);
    const b = bytes[at];
    throw new FormatError(
      `${source}: expected UTF-8 text, got ${b === undefined ? 'a malformed sequence' : `byte 0x${b.toString(16).padStart(2, '0')}`} at byte offset ${at}`,
      { cause: err },
    );
  }
}

/** A file read as strict UTF-8 (`IoError` if unreadable, `FormatError` naming it if not UTF-8). */
export function readUtf8(fn: string, path: string): string {
  return decodeUtf8(readBytes(fn, path), `${fn}: ${path}`);
}
