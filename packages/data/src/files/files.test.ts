import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, IoError } from '@tenzo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChunks } from './chunks.js';
import { csvTable, parseCsv } from './csv.js';
import { globFiles, listFiles } from './glob.js';
import { decodeUtf8, readBytes, utf8ErrorOffset } from './readFile.js';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n';
    expect(parseCsv(text, 't.csv')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
    expect(parseCsv('a,b', 't.csv')).toEqual([['a', 'b']]);
    expect(parseCsv('', 't.csv')).toEqual([]);
  });

  it('rejects unbalanced quotes, stray quotes, text after a quote and ragged records, naming file and line', () => {
    const bad: [string, RegExp][] = [
      ['a,b\n1,"open\n', /t\.csv: line 2, column 3: expected a closing quote/],
      ['a,b\n1,x"y\n', /t\.csv: line 2, column 4: expected no quote inside an unquoted field/],
      [
        'a,b\n1,"x"y\n',
        /t\.csv: line 2, column 6: expected a comma or a line break after a closing quote, got "y"/,
      ],
      ['a,b\n1,2,3\n', /t\.csv: line 2: expected 2 fields as in the first record, got 3/],
      ['a,b\n\n1,2\n', /t\.csv: line 2: expected 2 fields as in the first record, got 1/],
      ['a,b\r1,2\n', /t\.csv: line 1, column 4: expected LF after CR/],
    ];
    for (const [text, msg] of bad) {
      expect(() => parseCsv(text, 't.csv')).toThrow(FormatError);
      expect(() => parseCsv(text, 't.csv')).toThrow(msg);
    }
  });

  it('csvTable finds the columns and the line each record starts on', () => {
    const t = csvTable('x,name,id\n1,"a\nb",2\n3,c,4\n', 't.csv', ['id', 'name']);
    expect(t.columns).toEqual({ id: 2, name: 1 });
    expect(t.records).toEqual([
      { line: 2, fields: ['1', 'a\nb', '2'] },
      { line: 4, fields: ['3', 'c', '4'] },
    ]);
    expect(() => csvTable('x,y\n', 't.csv', ['id'])).toThrow(/t\.csv: header: expected a column 'id'/);
    expect(() => csvTable('id,id\n', 't.csv', ['id'])).toThrow(/expected column 'id' once/);
  });
});

describe('UTF-8', () => {
  it('utf8ErrorOffset agrees with a fatal TextDecoder on random bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        (junk, s) => {
          for (const bytes of [junk, new TextEncoder().encode(s)]) {
            let ok = true;
            try {
              fatal.decode(bytes);
            } catch {
              ok = false;
            }
            expect(utf8ErrorOffset(bytes) < 0).toBe(ok);
          }
        },
      ),
      { numRuns: 500, seed: 1 },
    );
  });

  it('decodeUtf8 names the source and the byte offset', () => {
    expect(() => decodeUtf8(Uint8Array.of(0x61, 0x62, 0xff, 0x63), 'f.txt')).toThrow(
      /f\.txt: expected UTF-8 text, got byte 0xff at byte offset 2/,
    );
    expect(() => decodeUtf8(Uint8Array.of(0x61, 0xed, 0xa0, 0x80), 'f.txt')).toThrow(
      /byte 0xed at byte offset 1/,
    );
    expect(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), 'f.txt')).toBe('a');
  });

  it('readBytes: a missing file is an IoError naming it', () => {
    expect(() => readBytes('fn', '/no/such/file')).toThrow(IoError);
    expect(() => readBytes('fn', '/no/such/file')).toThrow(/fn: cannot read '\/no\/such\/file' \(ENOENT\)/);
  });
});

describe('readChunks', () => {
  it('hands over whole units at the right offsets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chunks-'));
    const file = join(dir, 'f.bin');
    const bytes = Uint8Array.from({ length: 30 }, (_, i) => i);
    writeFileSync(file, bytes);
    const seen: number[] = [];
    readChunks(
      't',
      file,
      30,
      3,
      (b, off) => {
        expect(b.length % 3).toBe(0);
        expect(b[0]).toBe(off);
        seen.push(...b);
      },
      7,
    );
    expect(seen).toEqual([...bytes]);
  });
});

describe('globFiles and listFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'glob-'));
  for (const f of [
    'a.txt',
    'b.md',
    'x1.txt',
    'sub/c.txt',
    'sub/deep/d.txt',
    'sub/deep/e.bin',
    '.hidden/h.txt',
    'sub/.h.txt',
  ]) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), f);
  }

  it('matches *, ?, ** (zero or more folders), sorted, hidden entries skipped', () => {
    expect(globFiles('t', '*.txt', root)).toEqual(['a.txt', 'x1.txt']);
    expect(globFiles('t', 'x?.txt', root)).toEqual(['x1.txt']);
    expect(globFiles('t', '**/*.txt', root)).toEqual(['a.txt', 'sub/c.txt', 'sub/deep/d.txt', 'x1.txt']);
    expect(globFiles('t', 'sub/**/d.*', root)).toEqual(['sub/deep/d.txt']);
    expect(globFiles('t', join(root, 'sub', '*', '*.bin'))).toEqual([join(root, 'sub/deep/e.bin')]);
    expect(globFiles('t', 'a.txt', root)).toEqual(['a.txt']);
    expect(globFiles('t', 'nothing*', root)).toEqual([]);
  });

  it('listFiles walks a folder; a missing one is an IoError', () => {
    expect(listFiles('t', join(root, 'sub'))).toEqual(
      ['c.txt', 'deep/d.txt', 'deep/e.bin'].map((f) => join(root, 'sub', f)),
    );
    expect(() => listFiles('t', join(root, 'missing'))).toThrow(IoError);
  });
});
