import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@tenzo/core';
import { loadSafetensors } from '@tenzo/nn/node';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCheckpoint, readCheckpoint, writeCheckpoint } from './fileCheckpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'tenzo-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileCheckpoint', () => {
  it('stores a state in one safetensors file: arrays as tensors by path, the rest as metadata', async () => {
    const path = join(dir, 'a', 'checkpoint.safetensors');
    const store = fileCheckpoint(path);
    expect(await store.load()).toBeNull();
    await store.save({
      model: { 'fc.weight': new Float32Array([1, 2]) },
      step: 3,
      loss: Number.NaN,
      u: new Uint32Array([7]),
    });
    const back = (await store.load())!;
    expect(back.model).toEqual({ 'fc.weight': new Float32Array([1, 2]) });
    expect(back.step).toBe(3);
    expect(back.loss).toBeNaN();
    expect(back.u).toEqual(new Uint32Array([7]));
    // readable as plain safetensors (e.g. from PyTorch)
    expect(Object.keys(loadSafetensors(path).tensors).sort()).toEqual(['model/fc.weight', 'u']);
    // nothing but the file is left in the folder
    expect(readdirSync(join(dir, 'a'))).toEqual(['checkpoint.safetensors']);
  });

  it('rejects files that are not tenzo checkpoints', () => {
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, 'not a safetensors file at all');
    expect(() => readCheckpoint(bad)).toThrow(FormatError);
    const other = join(dir, 'other.safetensors');
    writeCheckpoint(other, { a: 1 });
    expect(readCheckpoint(other)).toEqual({ a: 1 });
  });
});
