import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluationError, ShapeError } from '@tenzo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { countedObjective } from '../objective.js';
import { workerObjective } from './workerObjective.js';

// the user's black box: a module the workers import (written here, as a user would have it)
const dir = mkdtempSync(join(tmpdir(), 'tenzo-objective-'));
const file = join(dir, 'rosenbrock.mjs');
writeFileSync(
  file,
  `import { threadId } from 'node:worker_threads';
export function rosenbrock(x) {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}
export function batch(points, count) {
  const d = points.length / count;
  return Array.from({ length: count }, (_, i) => rosenbrock(points.subarray(i * d, (i + 1) * d)));
}
// 20 ms a point (a sleep): the threads claim rows from a shared counter, so with an instant function
// one thread could take every row before the other has started; 37 × 20 ms leaves both time to join
export function thread() {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  return threadId;
}
export function broken() { throw new Error('the simulation diverged'); }
export const notAFunction = 3;
`,
);
const { rosenbrock } = (await import(file)) as { rosenbrock: (x: Float64Array) => number };

const closers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c.close()));
});
function make(opts: Parameters<typeof workerObjective>[0]) {
  const f = workerObjective(opts);
  closers.push(f);
  return f;
}

const dim = 5;
const count = 37;
const points = Float64Array.from({ length: count * dim }, (_, k) => Math.sin(k) * 1.5);
const expected = Float64Array.from({ length: count }, (_, i) =>
  rosenbrock(points.subarray(i * dim, (i + 1) * dim)),
);

describe('workerObjective', () => {
  it('evaluates every point at its index on 1, 2 or 3 threads, pointwise or batched', async () => {
    for (const threads of [1, 2, 3]) {
      const f = make({ module: file, export: 'rosenbrock', dim, threads });
      expect(Array.from(await f(points, count))).toEqual(Array.from(expected));
      const g = make({ module: file, export: 'batch', kind: 'batched', dim, threads, chunk: 5 });
      expect(Array.from(await g(points, count))).toEqual(Array.from(expected));
    }
  });

  it('really spreads the points over the worker threads', async () => {
    const f = make({ module: file, export: 'thread', dim, threads: 2, chunk: 1 });
    const ids = new Set(await f(points, count));
    expect(ids.has(0)).toBe(false);
    expect(ids.size).toBe(2);
  });

  it('composes with countedObjective', async () => {
    const f = countedObjective(make({ module: new URL(`file://${file}`), export: 'rosenbrock', dim }), 40);
    await f(points, count);
    expect(f.evaluations).toBe(count);
    await expect(f(points, count)).rejects.toThrow(/budget/);
  });

  it('reports failures as typed errors naming the module and export', async () => {
    await expect(make({ module: file, export: 'broken', dim })(points, count)).rejects.toThrow(
      EvaluationError,
    );
    await expect(make({ module: file, export: 'broken', dim })(points, count)).rejects.toThrow(
      /rosenbrock\.mjs#broken failed: the simulation diverged/,
    );
    await expect(make({ module: file, export: 'notAFunction', dim })(points, count)).rejects.toThrow(
      /export 'notAFunction' .* is number, expected a function/,
    );
    await expect(make({ module: file, export: 'rosenbrock', dim })(points, count + 1)).rejects.toThrow(
      ShapeError,
    );
    expect(() => workerObjective({ module: file, dim: 0 })).toThrow(/workerObjective: dim/);
  });
});
