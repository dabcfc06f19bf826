import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import fc from 'fast-check';

/** A generated file: how it was made from a valid one, and its bytes. */
export interface FileMutation {
  kind: 'intact' | 'empty' | 'truncated' | 'flipped' | 'header' | 'hugeSize' | 'appended' | 'random';
  bytes: Uint8Array;
}

/** Where a file declares a size or count, for the `hugeSize` mutation. */
export interface SizeField {
  offset: number;
  width: 2 | 4 | 8;
  littleEndian?: boolean;
}

const HUGE = [2 ** 16 - 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, 2 ** 63, 2 ** 64 - 1];

function writeUint(out: Uint8Array, f: SizeField, v: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (f.offset + f.width > out.length) return;
  if (f.width === 2) view.setUint16(f.offset, Math.min(v, 0xffff), f.littleEndian ?? true);
  else if (f.width === 4) view.setUint32(f.offset, Math.min(v, 0xffffffff), f.littleEndian ?? true);
  else
    view.setBigUint64(
      f.offset,
      BigInt(Math.min(v, 2 ** 64 - 1)) & 0xffffffffffffffffn,
      f.littleEndian ?? true,
    );
}

/**
 * Files made from a valid one the way a disk, a download or an attacker breaks them: left intact,
 * emptied, truncated anywhere, bytes overwritten, the header (first 64 bytes) randomised, a huge
 * count or size written into a declared size field (or any aligned word of the header), junk
 * appended, or replaced by random bytes. Each loader must give a typed error or a correct result.
 */
export function mutatedBytes(
  valid: Uint8Array,
  sizeFields: readonly SizeField[] = [],
): fc.Arbitrary<FileMutation> {
  const n = valid.length;
  const copy = () => Uint8Array.from(valid);
  const fields: SizeField[] =
    sizeFields.length > 0
      ? [...sizeFields]
      : Array.from({ length: Math.max(1, Math.min(16, Math.floor(n / 4))) }, (_, k) => ({
          offset: 4 * k,
          width: 4,
        }));
  return fc.oneof(
    fc.constant<FileMutation>({ kind: 'intact', bytes: copy() }),
    fc.constant<FileMutation>({ kind: 'empty', bytes: new Uint8Array(0) }),
    fc
      .integer({ min: 0, max: Math.max(0, n - 1) })
      .map<FileMutation>((k) => ({ kind: 'truncated', bytes: valid.slice(0, k) })),
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: Math.max(0, n - 1) }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map<FileMutation>((edits) => {
        const out = copy();
        for (const [at, b] of edits) if (at < n) out[at] = b;
        return { kind: 'flipped', bytes: out };
      }),
    fc.uint8Array({ minLength: 1, maxLength: Math.max(1, Math.min(64, n)) }).map<FileMutation>((head) => {
      const out = copy();
      out.set(head.subarray(0, Math.min(head.length, n)));
      return { kind: 'header', bytes: out };
    }),
    fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...HUGE)).map<FileMutation>(([f, v]) => {
      const out = copy();
      writeUint(out, f, v);
      return { kind: 'hugeSize', bytes: out };
    }),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map<FileMutation>((tail) => {
      const out = new Uint8Array(n + tail.length);
      out.set(valid);
      out.set(tail, n);
      return { kind: 'appended', bytes: out };
    }),
    fc.uint8Array({ maxLength: 256 }).map<FileMutation>((bytes) => ({ kind: 'random', bytes })),
  );
}

/** Text files broken as text: the byte mutations plus edits of lines and numbers. */
export function mutatedText(
  valid: string,
  sizeFields: readonly SizeField[] = [],
): fc.Arbitrary<FileMutation> {
  const bytes = new TextEncoder().encode(valid);
  const lines = valid.split('\n');
  const enc = (s: string) => new TextEncoder().encode(s);
  return fc.oneof(
    { weight: 3, arbitrary: mutatedBytes(bytes, sizeFields) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 0, max: Math.max(0, lines.length - 1) }),
          fc.constantFrom(
            '',
            ',',
            '"',
            '""',
            ' ',
            '-1',
            'NaN',
            '1e999',
            '0x10',
            '\r',
            '\u0000',
            '\uFEFF',
            '{}',
            '[',
            'null',
          ),
          fc.constantFrom('replace', 'insert', 'delete', 'duplicate'),
        )
        .map<FileMutation>(([at, junkText, how]) => {
          const out = [...lines];
          if (how === 'replace') out[at] = junkText;
          else if (how === 'insert') out.splice(at, 0, junkText);
          else if (how === 'delete') out.splice(at, 1);
          else out.splice(at, 0, out[at] ?? '');
          return { kind: 'flipped', bytes: enc(out.join('\n')) };
        }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.nat(),
          fc.constantFrom('-1', '1e308', '99999999999', '1.5', 'NaN', '', '"x"', 'null', '-0', '1e-320'),
        )
        .map<FileMutation>(([k, num]) => {
          const spots = [...valid.matchAll(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi)];
          if (spots.length === 0) return { kind: 'flipped', bytes: enc(valid) };
          const m = spots[k % spots.length]!;
          const s = valid.slice(0, m.index) + num + valid.slice(m.index! + m[0].length);
          return { kind: 'hugeSize', bytes: enc(s) };
        }),
    },
  );
}

/** A temporary folder for generated files; `remove()` deletes it (call it in `afterAll`). */
export class TempFiles {
  readonly root: string;
  private next = 0;

  constructor(prefix = 'tenzo-fuzz-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
  }

  /** A fresh empty sub-folder. */
  dir(): string {
    const d = join(this.root, `c${this.next++}`);
    mkdirSync(d, { recursive: true });
    return d;
  }

  /** Writes `content` to `dir/name` (folders created) and returns the path. */
  write(dir: string, name: string, content: Uint8Array | string): string {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  /**
   * A generated path argument made safe to write to: a non-empty relative string is put under a
   * fresh folder here (a junk name like '3' is never written into the working directory); other
   * values, '' and absolute paths are passed through unchanged.
   */
  under(path: unknown): unknown {
    return typeof path === 'string' && path !== '' && !isAbsolute(path) ? join(this.dir(), path) : path;
  }

  /** Deletes the temporary folder and everything written under it. */
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
