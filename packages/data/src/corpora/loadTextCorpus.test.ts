import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError, IoError, OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { loadTextCorpus } from './loadTextCorpus.js';

const root = mkdtempSync(join(tmpdir(), 'corpus-'));
const files: Record<string, string> = {
  'b.txt': 'bee\n',
  'a.txt': 'ay — ünïcode ✓\n',
  'notes.md': '# notes\n',
  'sub/c.txt': 'sea\n',
  'sub/deep/d.txt': 'dee\n',
  'sub/e.TXT': 'ee\n',
  '.git/x.txt': 'hidden\n',
};
for (const [f, text] of Object.entries(files)) {
  mkdirSync(join(root, f, '..'), { recursive: true });
  writeFileSync(join(root, f), text);
}

describe('loadTextCorpus', () => {
  it('a folder: sorted relative names, extensions filter, hidden folders skipped, all text kept', () => {
    const c = loadTextCorpus({ dir: root, extensions: ['.txt'], validationFraction: 0.4, seed: 1 });
    expect(c.documents.map((d) => d.name)).toEqual([
      'a.txt',
      'b.txt',
      'sub/c.txt',
      'sub/deep/d.txt',
      'sub/e.TXT',
    ]);
    expect(c.documents.filter((d) => d.split === 'validation')).toHaveLength(2);
    const all = `${c.train}\n\n${c.validation}`;
    for (const f of ['a.txt', 'b.txt', 'sub/c.txt', 'sub/deep/d.txt', 'sub/e.TXT'])
      expect(all).toContain(files[f]);
    expect(all).not.toContain('hidden');
  });

  it('the split is seeded and deterministic, by document', () => {
    const split = (seed: number) =>
      loadTextCorpus({ dir: root, validationFraction: 0.5, seed })
        .documents.map((d) => d.split)
        .join();
    expect(split(3)).toBe(split(3));
    const seen = new Set(Array.from({ length: 8 }, (_, s) => split(s)));
    expect(seen.size).toBeGreaterThan(1);
    const none = loadTextCorpus({ dir: root, validationFraction: 0, seed: 0 });
    expect(none.validation).toBe('');
    const tiny = loadTextCorpus({ dir: root, validationFraction: 0.01, seed: 0 }); // at least one
    expect(tiny.documents.filter((d) => d.split === 'validation')).toHaveLength(1);
  });

  it('a glob or a list of paths; one document is cut at a line break near 1 − fraction', () => {
    const g = loadTextCorpus({ glob: '**/*.txt', cwd: root, seed: 0 });
    expect(g.documents.map((d) => d.name)).toEqual(['a.txt', 'b.txt', 'sub/c.txt', 'sub/deep/d.txt']);
    const p = loadTextCorpus({
      paths: [join(root, 'sub/c.txt'), join(root, 'b.txt')],
      validationFraction: 0.5,
      seed: 0,
    });
    expect(p.documents.map((d) => d.name)).toEqual([join(root, 'b.txt'), join(root, 'sub/c.txt')]);
    const one = join(root, 'one.text');
    writeFileSync(one, Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n'));
    const c = loadTextCorpus({ paths: [one], validationFraction: 0.2, seed: 0 });
    expect(c.validation).toBe('line 8\nline 9');
    expect(c.train + c.validation).toBe(Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n'));
    expect(c.documents).toEqual([
      { name: one, split: 'train' },
      { name: one, split: 'validation' },
    ]);
  });

  it('bad UTF-8 names the file and offset; missing files and empty matches are typed errors', () => {
    const bad = mkdtempSync(join(tmpdir(), 'corpus-bad-'));
    writeFileSync(join(bad, 'ok.txt'), 'fine');
    writeFileSync(join(bad, 'bin.txt'), Uint8Array.of(0x68, 0x69, 0xc3, 0x28));
    expect(() => loadTextCorpus({ dir: bad, seed: 0 })).toThrow(FormatError);
    expect(() => loadTextCorpus({ dir: bad, seed: 0 })).toThrow(
      /bin\.txt: expected UTF-8 text, got byte 0xc3 at byte offset 2/,
    );
    expect(() => loadTextCorpus({ paths: [join(bad, 'nope.txt')], seed: 0 })).toThrow(IoError);
    expect(() => loadTextCorpus({ dir: join(bad, 'nope'), seed: 0 })).toThrow(IoError);
    expect(() => loadTextCorpus({ glob: '*.none', cwd: bad, seed: 0 })).toThrow(ArgumentError);
    expect(() => loadTextCorpus({ dir: bad, extensions: ['md'], seed: 0 })).toThrow(/extensions/);
    expect(() => loadTextCorpus({ dir: bad, validationFraction: 1, seed: 0 })).toThrow(/validationFraction/);
    expect(() => loadTextCorpus({ dir: bad, glob: '*', seed: 0 } as never)).toThrow(
      /exactly one of paths, dir or glob, got dir, glob/,
    );
    expect(() => loadTextCorpus({ dir: bad, seed: -1 })).toThrow(OutOfRangeError);
  });
});
