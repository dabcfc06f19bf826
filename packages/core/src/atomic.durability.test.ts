import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic.js';
import { IoError } from './errors.js';

// Records the filesystem calls of a write and lets a test make the directory fsync fail.
const fsLog = vi.hoisted(() => ({
  calls: [] as string[],
  fds: new Map<number, string>(),
  dirError: null as string | null,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const name = (p: unknown) => String(p).split('/').pop();
  const fail = (code: string) => Object.assign(new Error(`${code}: refused`), { code });
  return {
    ...fs,
    openSync: (path: string, flags: string) => {
      const isDir = fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
      if (isDir && fsLog.dirError === 'EISDIR') throw fail('EISDIR');
      const fd = fs.openSync(path, flags);
      fsLog.fds.set(fd, isDir ? 'dir' : `${name(path)}`);
      fsLog.calls.push(`open ${fsLog.fds.get(fd)}`);
      return fd;
    },
    writeSync: (fd: number, ...rest: never[]) => {
      fsLog.calls.push(`write ${fsLog.fds.get(fd)}`);
      return (fs.writeSync as (fd: number, ...r: never[]) => number)(fd, ...rest);
    },
    fsyncSync: (fd: number) => {
      fsLog.calls.push(`fsync ${fsLog.fds.get(fd)}`);
      if (fsLog.fds.get(fd) === 'dir' && fsLog.dirError && fsLog.dirError !== 'EISDIR')
        throw fail(fsLog.dirError);
      fs.fsyncSync(fd);
    },
    closeSync: (fd: number) => {
      fsLog.calls.push(`close ${fsLog.fds.get(fd)}`);
      fs.closeSync(fd);
    },
    renameSync: (from: string, to: string) => {
      fsLog.calls.push(`rename ${name(from)} -> ${name(to)}`);
      fs.renameSync(from, to);
    },
  };
});

beforeEach(() => {
  fsLog.calls.length = 0;
  fsLog.fds.clear();
  fsLog.dirError = null;
});

describe('writeFileAtomic durability', () => {
  it('fsyncs the data before the rename and the directory after it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tenzo-durable-')), 'report.json');
    writeFileAtomic(path, 'abc');
    const tmp = new RegExp(`^\\.report\\.json\\.${process.pid}-[0-9a-f]{8}\\.tenzo-tmp$`);
    const [open, ...rest] = fsLog.calls;
    const tmpName = open?.slice('open '.length) ?? '';
    expect(tmpName).toMatch(tmp);
    expect(rest).toEqual([
      `write ${tmpName}`,
      `fsync ${tmpName}`,
      `close ${tmpName}`,
      `rename ${tmpName} -> report.json`,
      'open dir',
      'fsync dir',
      'close dir',
    ]);
  });

  it.each(['EISDIR', 'EPERM', 'EINVAL'])(
    'writes anyway where the platform refuses a directory fsync (%s)',
    (code) => {
      const dir = mkdtempSync(join(tmpdir(), 'tenzo-durable-'));
      fsLog.dirError = code;
      writeFileAtomic(join(dir, 'a.txt'), 'ok');
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('ok');
      expect(readdirSync(dir)).toEqual(['a.txt']);
    },
  );

  it('reports a real directory fsync failure as IoError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-durable-'));
    fsLog.dirError = 'EIO';
    expect(() => writeFileAtomic(join(dir, 'a.txt'), 'ok')).toThrow(IoError);
    expect(() => writeFileAtomic(join(dir, 'a.txt'), 'ok')).toThrow(/cannot fsync the directory of/);
  });
});
