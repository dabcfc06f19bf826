import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, EvaluationError, ShapeError } from '@tenzo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessEngine } from '../inProcess.js';
import { threadEngine } from './threadEngine.js';

// the user's black box: a module the threads import (written here, as a user would have it)
const dir = mkdtempSync(join(tmpdir(), 'tenzo-engine-'));
const file = join(dir, 'box.mjs');
writeFileSync(
  file,
  `import { threadId } from 'node:worker_threads';
export function wave(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.sin(1.3 * x[i] + i) * Math.exp(-0.01 * x[i]);
  return s;
}
export function batch(points, count, dim) {
  return Array.from({ length: count }, (_, i) => wave(points.subarray(i * dim, (i + 1) * dim)));
}
export function thread() { return threadId; }
// 20 ms a row (a sleep): with rows claimed from a shared counter, a quicker function could let one
// thread take every row before the other has started under a loaded CI machine
export function slowThread() {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  return threadId;
}
export function slowLast(x) {
  // the last rows cost 10× the others: static halves would leave one thread idle
  const until = performance.now() + (x[0] === 99 ? 40 : 4);
  while (performance.now() < until);
  return threadId;
}
export function broken() { throw new Error('the simulation diverged'); }
export const notAFunction = 3;
`,
);
const { wave, batch } = (await import(file)) as {
  wave: (x: ArrayLike<number>) => number;
  batch: (p: Int32Array | Float64Array, c: number, d: number) => number[];
};

const engines: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(engines.map((e) => e.close())));
function make(opts: Parameters<typeof threadEngine>[0]) {
  const e = threadEngine(opts);
  engines.push(e);
  return e;
}

const dim = 6;
const count = 41;
const grid = Int32Array.from({ length: count * dim }, (_, k) => (k * 7919) % 13);
const coords = Float64Array.from({ length: count * dim }, (_, k) => Math.cos(k) * 3);

describe('inProcessEngine', () => {
  it('is the function itself, row by row', async () => {
    const e = inProcessEngine(batch);
    expect(Array.from(await e.evaluate(grid, count, dim))).toEqual(batch(grid, count, dim));
    expect(e.name).toBe('in-process');
    await expect(e.evaluate(grid, count + 1, dim)).rejects.toThrow(ShapeError);
    await expect(inProcessEngine(() => [1, 2]).evaluate(grid, count, dim)).rejects.toThrow(
      /returned 2 values for 41 points/,
    );
    expect(() => inProcessEngine(3 as never)).toThrow(ArgumentError);
  });
});

describe('threadEngine', () => {
  it('equals the in-process values bit for bit on 1, 2 or 3 threads, pointwise or batched, Int32 or Float64 rows', async () => {
    for (const points of [grid, coords]) {
      const expected = await inProcessEngine(batch).evaluate(points, count, dim);
      for (const threads of [1, 2, 3]) {
        const f = make({ module: file, export: 'wave', threads });
        expect(await f.evaluate(points, count, dim)).toEqual(expected);
        const g = make({ module: file, export: 'batch', kind: 'batched', threads, chunk: 5 });
        expect(await g.evaluate(points, count, dim)).toEqual(expected);
      }
    }
    expect(wave(coords.subarray(0, dim))).toBe(
      (await make({ module: file, export: 'wave', threads: 1 }).evaluate(coords.subarray(0, dim), 1, dim))[0],
    );
  });

  it('spreads the rows over its threads', async () => {
    const f = make({ module: new URL(`file://${file}`), export: 'slowThread', threads: 2, chunk: 1 });
    const ids = new Set(await f.evaluate(grid, count, dim));
    expect(ids.has(0)).toBe(false);
    expect(ids.size).toBe(2);
    expect(f.name).toBe('threads×2');
    expect(await f.evaluate(grid.subarray(0, 0), 0, dim)).toEqual(new Float64Array(0));
  });

  it('balances uneven rows: a free thread claims the next rows, so the expensive tail is shared', async () => {
    // 16 rows, the last 4 cost 40 ms each, the others 4 ms: claimed one by one, each thread gets
    // some of the expensive rows (two static halves would give all four to one thread)
    const rows = 16;
    const pts = Int32Array.from({ length: rows * dim }, (_, k) => (Math.floor(k / dim) >= 12 ? 99 : 1));
    const f = make({ module: file, export: 'slowLast', threads: 2 });
    const ids = await f.evaluate(pts, rows, dim);
    expect(new Set(ids.subarray(12)).size).toBe(2);
  });

  it('reports failures as typed errors naming the module and export', async () => {
    const broken = make({ module: file, export: 'broken', threads: 1 });
    await expect(
      make({ module: file, export: 'broken', threads: 2, kind: 'batched', chunk: 3 }).evaluate(
        grid,
        count,
        dim,
      ),
    ).rejects.toThrow(/box\.mjs#broken failed: the simulation diverged/);
    await expect(
      make({ module: file, export: 'thread', threads: 2, kind: 'batched' }).evaluate(grid, count, dim),
    ).rejects.toThrow(/returned number for/);
    await expect(broken.evaluate(grid, count, dim)).rejects.toThrow(EvaluationError);
    await expect(broken.evaluate(grid, count, dim)).rejects.toThrow(
      /box\.mjs#broken failed: the simulation diverged/,
    );
    await expect(
      make({ module: file, export: 'notAFunction', threads: 1 }).evaluate(grid, count, dim),
    ).rejects.toThrow(/export 'notAFunction' .* is number, expected a function/);
    await expect(make({ module: file, threads: 1 }).evaluate(grid, count - 1, dim)).rejects.toThrow(
      ShapeError,
    );
    expect(() => threadEngine({ module: file, threads: 0 })).toThrow(/threadEngine: threads/);
    expect(() => threadEngine({ module: '', threads: 1 })).toThrow(/threadEngine: module/);
    expect(() => threadEngine({ module: file, kind: 'rows' as never })).toThrow(/threadEngine: kind/);
    const closed = make({ module: file, threads: 1 });
    await closed.close();
    await expect(closed.evaluate(grid, count, dim)).rejects.toThrow(/closed/);
  });
});
