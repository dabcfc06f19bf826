import { join } from 'node:path';
import { anyNumber, anySize, apiCase, describePublicApi, junk, TempFiles } from '@tenzo/core/testing';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import * as N from './node.js';

// Node entry of @tenzo/engines: thread engines over a user module written to a temp dir whose
// exports misbehave (NaN, strings, throws, wrong lengths, not a function), evaluated with
// batches of every wrong shape, and engines used after close — plus the BullMQ side's options
// and an unreachable Redis. Values that come back must equal the function's, row by row.

const tmp = new TempFiles('tenzo-engines-fuzz-');
const MODULE = tmp.write(
  tmp.dir(),
  'box.mjs',
  `export function sum(x) { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s; }
export function sums(p, count, dim) { return Array.from({ length: count }, (_, i) => sum(p.subarray(i * dim, (i + 1) * dim))); }
export function nan() { return Number.NaN; }
export function str(x) { return String(sum(x)); }
export function undef() { return undefined; }
export function throws() { throw new Error('diverged'); }
export function rejects() { return Promise.reject(new Error('lost')); }
export function short(p, count) { return new Float64Array(Math.max(0, count - 1)); }
export function object() { return { length: 'x' }; }
export function strings(p, count) { return Array.from({ length: count }, () => 'a'); }
export const notAFunction = 3;
`,
);
const EXPORTS: string[] = [
  'sum',
  'sums',
  'nan',
  'str',
  'undef',
  'throws',
  'rejects',
  'short',
  'object',
  'strings',
  'notAFunction',
  'missing',
];
const BATCHED = new Set(['sums', 'short', 'object', 'strings']);
const sum = (p: ArrayLike<number>, count: number, dim: number) =>
  Array.from({ length: count }, (_, i) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += p[i * dim + j]!;
    return s;
  });

const engines = new Map<string, N.ThreadEngine>();
function engine(name: string, kind: string): N.ThreadEngine {
  const key = `${name}:${kind}`;
  let e = engines.get(key);
  if (e === undefined) {
    e = N.threadEngine({ module: MODULE, export: name, kind: kind as 'batched', threads: 1 });
    engines.set(key, e);
  }
  return e;
}
const closed = N.threadEngine({ module: MODULE, export: 'sum', threads: 1 });
afterAll(async () => {
  await Promise.all([...engines.values(), closed].map((e) => e.close()));
  tmp.remove();
});

const points = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(Float64Array.of(1, 2, 3, 4, 5, 6), Int32Array.of(1, -2, 3, 4, 5, -6)),
  },
  {
    weight: 2,
    arbitrary: fc.array(fc.double({ noNaN: false }), { maxLength: 8 }).map((a) => Float64Array.from(a)),
  },
  { weight: 2, arbitrary: junk },
  { weight: 1, arbitrary: fc.constantFrom(new Float32Array(6), [1, 2, 3], new Uint8Array(6)) },
);

describePublicApi(
  '@tenzo/engines/node',
  [
    apiCase({
      name: 'threadEngine.evaluate',
      args: fc.oneof(
        fc.tuple(fc.constantFrom(...EXPORTS), points, anySize, anySize),
        // consistent batches, so that every export is also called on points it should take
        fc
          .tuple(
            fc.constantFrom(...EXPORTS),
            fc.integer({ min: 0, max: 5 }),
            fc.integer({ min: 1, max: 4 }),
            fc.boolean(),
          )
          .chain(([name, c, d, int]) =>
            fc
              .array(
                int ? fc.integer({ min: -9, max: 9 }) : fc.double({ min: -1e6, max: 1e6, noNaN: true }),
                {
                  minLength: c * d,
                  maxLength: c * d,
                },
              )
              .map(
                (v) =>
                  [name, int ? Int32Array.from(v) : Float64Array.from(v), c, d] as [
                    string,
                    unknown,
                    unknown,
                    unknown,
                  ],
              ),
          ),
      ),
      call: (name, p, c, d) =>
        engine(name, BATCHED.has(name) ? 'batched' : 'pointwise').evaluate(
          p as Float64Array,
          c as number,
          d as number,
        ),
      // exactly the function's values, row by row; a row of non-finite points may give NaN
      ok: (r, [name, p, c, d]) => {
        if (c === 0) return (r as Float64Array).length === 0; // no point: no call, no value
        if (name !== 'sum' && name !== 'sums') return false;
        const want = sum(p as Float64Array, c as number, d as number);
        const got = r as Float64Array;
        return (
          got instanceof Float64Array &&
          got.length === want.length &&
          want.every((v, i) => Object.is(v, got[i]))
        );
      },
      runs: 700,
    }),
    apiCase({
      name: 'threadEngine(closed).evaluate',
      args: fc.tuple(points, anySize, anySize),
      call: async (p, c, d) => {
        await closed.close();
        return closed.evaluate(p as Float64Array, c as number, d as number);
      },
      valid: () => false,
      runs: 60,
    }),
    apiCase({
      name: 'threadEngine(options)',
      args: fc.tuple(
        fc.record(
          {
            module: fc.oneof(
              junk,
              fc.constantFrom(MODULE, join(tmp.root, 'none.mjs'), 'node:fs', 'https://x/y.mjs'),
            ),
            export: fc.oneof(junk, fc.constantFrom('sum', '')),
            kind: fc.oneof(junk, fc.constantFrom('pointwise', 'batched')),
            threads: fc.oneof(anySize, fc.constantFrom(2 ** 20, 0.5)),
            chunk: anySize,
          },
          { requiredKeys: ['module'] },
        ),
      ),
      call: async (o) => {
        const e = N.threadEngine(o as never);
        try {
          return await e.evaluate(Float64Array.of(1, 2, 3, 4), 2, 2);
        } finally {
          await e.close();
        }
      },
      ok: (r) => {
        const v = r as Float64Array;
        return v.length === 2 && v[0] === 3 && v[1] === 7;
      },
      runs: 60,
    }),
    apiCase({
      name: 'startEvaluationWorker',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            {
              module: fc.oneof(junk, fc.constant(MODULE)),
              export: fc.oneof(junk, fc.constant('sum')),
              connection: junk,
              concurrency: anySize,
              lockDuration: anyNumber,
              pollMs: anyNumber,
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: (o) => N.startEvaluationWorker(o as never),
      valid: () => false, // no connection is ever valid here
      runs: 80,
    }),
    apiCase({
      name: 'redisReachable',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('redis://127.0.0.1:1', 'redis://[::1]:1', 'http://x', '')),
        fc.oneof(anyNumber, fc.constantFrom(50, 200)),
      ),
      call: (u, t) => N.redisReachable(u as string, t as number),
      // nothing listens on port 1: never reachable
      ok: (r) => r === false,
      runs: 100,
    }),
  ],
  { hangMs: 8000 },
);
