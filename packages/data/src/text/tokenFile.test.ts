import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError, IoError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { loadTokenFile } from './tokenFile.js';
import { randomWindows } from './windows.js';

const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
/** As nanoGPT's prepare.py writes it: np.array(ids, dtype=np.uint16).tofile(path), little-endian. */
function write(name: string, ids: number[], dtype: 'uint16' | 'uint32' = 'uint16'): string {
  const path = join(dir, name);
  const b = Buffer.alloc(ids.length * (dtype === 'uint16' ? 2 : 4));
  ids.forEach((t, i) => {
    if (dtype === 'uint16') b.writeUInt16LE(t, 2 * i);
    else b.writeUInt32LE(t, 4 * i);
  });
  writeFileSync(path, b);
  return path;
}

describe('loadTokenFile', () => {
  it('reads uint16 and uint32 little-endian tokens into an Int32Array', () => {
    const ids = [0, 1, 50256, 65535, 258, 7];
    expect([...loadTokenFile(write('train.bin', ids))]).toEqual(ids);
    const big = [0, 70000, 2 ** 31 - 1];
    expect([...loadTokenFile(write('big.bin', big, 'uint32'), { dtype: 'uint32' })]).toEqual(big);
  });

  it('feeds randomWindows', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const tokens = loadTokenFile(write('w.bin', ids), { vocabSize: 100 });
    const w = randomWindows(tokens, 4, 9, new Rng(0));
    for (let r = 0; r < 4; r++) for (let j = 1; j < 9; j++) expect(w[r * 9 + j]).toBe(w[r * 9]! + j);
  });

  it('rejects odd sizes, tokens ≥ vocabSize, empty and missing files, bad options', () => {
    const odd = join(dir, 'odd.bin');
    writeFileSync(odd, Uint8Array.of(1, 0, 2));
    expect(() => loadTokenFile(odd)).toThrow(FormatError);
    expect(() => loadTokenFile(odd)).toThrow(
      /odd\.bin: file size expected a multiple of 2 bytes \(uint16 tokens\), got 3 bytes/,
    );
    expect(() => loadTokenFile(write('six.bin', [1, 2, 3]), { dtype: 'uint32' })).toThrow(
      /multiple of 4 bytes/,
    );
    expect(() => loadTokenFile(write('v.bin', [1, 2, 300, 4]), { vocabSize: 256 })).toThrow(
      /v\.bin: token 2 \(byte offset 4\) expected below vocabSize 256, got 300/,
    );
    expect(() => loadTokenFile(write('neg.bin', [2 ** 31], 'uint32'), { dtype: 'uint32' })).toThrow(
      /expected below 2\^31/,
    );
    expect(() => loadTokenFile(write('empty.bin', []))).toThrow(
      /expected at least one token, got an empty file/,
    );
    expect(() => loadTokenFile(join(dir, 'missing.bin'))).toThrow(IoError);
    expect(() => loadTokenFile(dir)).toThrow(IoError);
    expect(() => loadTokenFile(odd, { dtype: 'int8' as 'uint16' })).toThrow(ArgumentError);
    expect(() => loadTokenFile(odd, { vocabSize: 0 })).toThrow(/vocabSize/);
  });
});
