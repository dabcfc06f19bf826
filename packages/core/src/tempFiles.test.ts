import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoError, OutOfRangeError } from './errors.js';
import { removeStaleTemps, tempPathFor } from './tempFiles.js';

/** The pid of a process that has exited (and been reaped): `process.kill(pid, 0)` → ESRCH. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('no child pid');
  return pid;
}

function touch(path: string, ageMs = 0): string {
  writeFileSync(path, 'x');
  if (ageMs > 0) {
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(path, t, t);
  }
  return path;
}

const freshDir = () => mkdtempSync(join(tmpdir(), 'tenzo-stale-'));
const HOUR = 3_600_000;

describe('removeStaleTemps', () => {
  it('deletes temps whose writer is gone and keeps live writers’ temps and every other file', () => {
    const dir = freshDir();
    const dead = deadPid();
    const stale = [touch(tempPathFor(dir, 'report.json', dead)), touch(tempPathFor(dir, 'a.b.c', dead))];
    const live = touch(tempPathFor(dir, 'report.json', process.ppid)); // the parent of this worker: alive
    const own = touch(tempPathFor(dir, 'report.json', process.pid), 2 * HOUR); // ours, even when old
    const others = [
      touch(join(dir, 'report.json')),
      touch(join(dir, 'notes.txt')),
      touch(join(dir, `.report.json.${dead}-abcd.tenzo-tmp`)), // not 8 hex digits
      touch(join(dir, `.1712345678901-a1b2c3d4.tmp`)), // someone else's temp naming
      touch(join(dir, `report.json.${dead}-a1b2c3d4.tenzo-tmp`)), // no leading dot
    ];
    const dirLike = join(dir, `.runs.${dead}-a1b2c3d4.tenzo-tmp`);
    mkdirSync(dirLike);
    const target = touch(join(dir, 'elsewhere.bin'));
    const link = join(dir, `.link.${dead}-a1b2c3d4.tenzo-tmp`);
    symlinkSync(target, link);

    const removed = removeStaleTemps(dir);
    expect(removed.sort()).toEqual(stale.sort());
    const left = readdirSync(dir).sort();
    const kept = [live, own, ...others, dirLike, target, link].map((p) => basename(p)).sort();
    expect(left).toEqual(kept);
  });

  it('deletes temps older than maxAgeMs even when their pid is alive (pids are reused)', () => {
    const dir = freshDir();
    const old = touch(tempPathFor(dir, 'model.safetensors', process.ppid), 2 * HOUR);
    const young = touch(tempPathFor(dir, 'model.safetensors', process.ppid), 60_000);
    expect(removeStaleTemps(dir, { maxAgeMs: Number.POSITIVE_INFINITY })).toEqual([]);
    expect(removeStaleTemps(dir)).toEqual([old]); // default: 1 hour
    expect(removeStaleTemps(dir, { maxAgeMs: 30_000 })).toEqual([young]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with a target, only touches that target’s temps', () => {
    const dir = freshDir();
    const dead = deadPid();
    const mine = touch(tempPathFor(dir, 'report.json', dead));
    const other = touch(tempPathFor(dir, 'report.json.bak', dead));
    expect(removeStaleTemps(dir, { target: join(dir, 'report.json') })).toEqual([mine]);
    expect(readdirSync(dir)).toEqual([basename(other)]);
  });

  it('keeps temp names under NAME_MAX for long targets and still matches them', () => {
    const dir = freshDir();
    const long = `${'é'.repeat(120)}.json`; // 245 bytes
    const tmp = tempPathFor(dir, long, deadPid());
    expect(Buffer.byteLength(basename(tmp))).toBeLessThanOrEqual(255);
    closeSync(openSync(tmp, 'w'));
    expect(removeStaleTemps(dir, { target: long })).toEqual([tmp]);
  });

  it('has nothing to do in a missing directory and throws typed errors otherwise', () => {
    const dir = freshDir();
    expect(removeStaleTemps(join(dir, 'missing'))).toEqual([]);
    const file = touch(join(dir, 'file'));
    expect(() => removeStaleTemps(file)).toThrow(IoError);
    expect(() => removeStaleTemps(file)).toThrow(/removeStaleTemps: cannot list/);
    expect(() => removeStaleTemps(dir, { maxAgeMs: -1 })).toThrow(OutOfRangeError);
  });
});
