import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@tenzo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputs } from './checkOutputs.js';

const dir = mkdtempSync(join(tmpdir(), 'tenzo-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkOutputs', () => {
  it('creates a missing --out folder and the folder of --json', () => {
    checkOutputs({ out: join(dir, 'a', 'b'), json: join(dir, 'c', 'r.json') });
    expect(() => checkOutputs({ out: join(dir, 'a', 'b') })).not.toThrow();
  });
  it('refuses an existing file as --out and a folder as --json, before any work', () => {
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'folder'));
    expect(() => checkOutputs({ out: join(dir, 'file') })).toThrow(ArgumentError);
    expect(() => checkOutputs({ out: join(dir, 'file') })).toThrow(
      /--out: expected a folder, got the existing file/,
    );
    expect(() => checkOutputs({ json: join(dir, 'folder') })).toThrow(
      /--json: expected a file path, got the folder/,
    );
    expect(() => checkOutputs({ json: join(dir, 'file', 'r.json') })).toThrow(/--json: expected a folder/);
    expect(() => checkOutputs({ out: '' })).toThrow(/--out: expected a folder path/);
  });
});
