import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { ArgumentError, IoError, type TenzoError } from './errors.js';
import { tempPathFor } from './tempFiles.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'tenzo-atomic-'));

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

// A writer killed between write and rename: it streams bytes into a tenzo temp of the target
// (the name the parent hands it, made for the child's pid), says "half", and waits to be killed.
const KILLED_WRITER = `
const fs = require('node:fs');
let line = '';
process.stdin.on('data', (d) => {
  line += d;
  if (!line.includes('\\n')) return;
  const fd = fs.openSync(line.trim(), 'wx');
  const chunk = Buffer.alloc(64 * 1024, 7);
  for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
  process.stdout.write('half\\n');
  setInterval(() => fs.writeSync(fd, chunk), 1000);
});
`;

describe('writeFileAtomic', () => {
  it('replaces the target and leaves no temporary files', () => {
    const dir = freshDir();
    const path = join(dir, 'sub', 'report.json');
    writeJsonAtomic(path, { a: 1 });
    writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['report.json']);
  });

  it('writes large buffers and views completely', () => {
    const dir = freshDir();
    const big = randomBytes(6_400_000, 1);
    writeFileAtomic(join(dir, 'big.bin'), big);
    expect(Buffer.compare(readFileSync(join(dir, 'big.bin')), big)).toBe(0);
    const view = big.subarray(1000, 5000);
    writeFileAtomic(join(dir, 'view.bin'), view);
    expect(Buffer.compare(readFileSync(join(dir, 'view.bin')), view)).toBe(0);
    writeFileAtomic(join(dir, 'empty'), '');
    expect(statSync(join(dir, 'empty')).size).toBe(0);
  });

  it('after a writer is killed with SIGKILL mid-write: the old file is intact and the next write removes the temp', async () => {
    const dir = freshDir();
    const target = join(dir, 'model.safetensors');
    const old = randomBytes(100_000, 2);
    writeFileAtomic(target, old);

    const child = spawn(process.execPath, ['-e', KILLED_WRITER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error('no child pid');
    const tmp = tempPathFor(dir, basename(target), pid);
    child.stdin.write(`${tmp}\n`);
    await once(child.stdout, 'data');
    child.kill('SIGKILL');
    await once(child, 'exit');

    expect(statSync(tmp).size).toBeGreaterThanOrEqual(50 * 64 * 1024); // the abandoned half-written temp
    expect(Buffer.compare(readFileSync(target), old)).toBe(0);

    const next = randomBytes(6_400_000, 3);
    writeFileAtomic(target, next);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    expect(Buffer.compare(readFileSync(target), next)).toBe(0);
  });

  it('cleans only its own target’s stale temps', () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    const other = tempPathFor(dir, 'other.json', dead);
    writeFileSync(tempPathFor(dir, 'report.json', dead), 'partial');
    writeFileSync(other, 'partial');
    writeFileSync(join(dir, 'notes.txt'), 'keep');
    writeFileAtomic(join(dir, 'report.json'), '{}');
    expect(readdirSync(dir).sort()).toEqual([basename(other), 'notes.txt', 'report.json'].sort());
  });

  it('throws IoError with the system error as cause and leaves no temp behind', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'file'), 'x');
    try {
      writeFileAtomic(join(dir, 'file', 'report.json'), '{}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IoError);
      expect((e as TenzoError).code).toBe('E_IO');
      expect(((e as IoError).cause as NodeJS.ErrnoException).code).toMatch(/ENOTDIR|EEXIST/);
      expect((e as Error).message).toMatch(
        /^writeFileAtomic: cannot create the directory of '.*report\.json'/,
      );
    }
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'inside'), 'x');
    expect(() => writeFileAtomic(join(dir, 'taken'), 'data')).toThrow(/cannot rename a temporary file onto/);
    expect(readdirSync(dir).sort()).toEqual(['file', 'taken']);
  });

  it('rejects a path or data of the wrong kind with ArgumentError', () => {
    expect(() => writeFileAtomic('', 'x')).toThrow(ArgumentError);
    expect(() => writeFileAtomic(join(freshDir(), 'a'), 42 as unknown as string)).toThrow(
      'writeFileAtomic: data: expected a string or a Uint8Array, got 42',
    );
  });
});
