import { anySize, apiCase, describePublicApi, junk, TempFiles } from '@tenzo/core/testing';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import * as N from './node.js';

// Node entry of @tenzo/zo: worker-thread objectives over a user module written to a temp dir
// (exports that return NaN or strings, throw, or are not functions), called with batches of
// every wrong shape and after close; options of every wrong type. Values that come back must be
// the function's, point by point.

const tmp = new TempFiles('tenzo-zo-fuzz-');
const MODULE = tmp.write(
  tmp.dir(),
  'f.mjs',
  `export function sq(x) { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; }
export function nan() { return Number.NaN; }
export function str() { return '1'; }
export function throws() { throw new Error('diverged'); }
export const notAFunction = 1;
`,
);
const EXPORTS = ['sq', 'nan', 'str', 'throws', 'notAFunction', 'missing'];
const DIM = 3;
const objectives = new Map<string, N.WorkerObjective>();
function objective(name: string): N.WorkerObjective {
  let o = objectives.get(name);
  if (o === undefined) {
    o = N.workerObjective({ module: MODULE, export: name, dim: DIM, threads: 1 });
    objectives.set(name, o);
  }
  return o;
}
const closed = N.workerObjective({ module: MODULE, export: 'sq', dim: DIM, threads: 1 });
afterAll(async () => {
  await Promise.all([...objectives.values(), closed].map((o) => o.close()));
  tmp.remove();
});
const sq = (p: Float64Array, count: number) =>
  Array.from({ length: count }, (_, i) => {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += p[i * DIM + j]! ** 2;
    return s;
  });
const batch = fc.oneof(
  fc
    .integer({ min: 0, max: 5 })
    .chain((c) =>
      fc
        .array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: c * DIM, maxLength: c * DIM })
        .map((v) => [Float64Array.from(v), c] as [unknown, unknown]),
    ),
  fc.tuple(
    fc.oneof(
      junk,
      fc.constantFrom(new Float64Array(5), new Int32Array(6), [1, 2, 3], Float64Array.of(Number.NaN, 0, 0)),
    ),
    anySize,
  ),
);

describePublicApi(
  '@tenzo/zo/node',
  [
    apiCase({
      name: 'workerObjective(points, count)',
      args: fc.tuple(fc.constantFrom(...EXPORTS), batch),
      call: (name, [p, c]) => objective(name)(p as Float64Array, c as number),
      ok: (r, [name, [p, c]]) => {
        const got = r as Float64Array;
        if (c === 0) return got.length === 0;
        const want = name === 'sq' ? sq(p as Float64Array, c as number) : null;
        return want !== null && got.length === want.length && want.every((v, i) => Object.is(v, got[i]));
      },
      runs: 700,
    }),
    apiCase({
      name: 'workerObjective(closed)',
      args: fc.tuple(batch),
      call: async ([p, c]) => {
        await closed.close();
        return closed(p as Float64Array, c as number);
      },
      valid: () => false,
      runs: 60,
    }),
    apiCase({
      name: 'workerObjective(options)',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            {
              module: fc.oneof(junk, fc.constant(MODULE)),
              export: fc.oneof(junk, fc.constant('sq')),
              dim: fc.oneof(anySize, fc.constant(DIM)),
              threads: fc.oneof(anySize, fc.constantFrom(2 ** 20, 3)),
              chunk: anySize,
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: async (o) => {
        const w = N.workerObjective(o as N.WorkerObjectiveOptions);
        try {
          const d = (o as { dim: number }).dim;
          return [
            d,
            await w(
              Float64Array.from({ length: 2 * d }, (_, i) => i),
              2,
            ),
          ] as const;
        } finally {
          await w.close();
        }
      },
      ok: (r) => {
        const [d, v] = r as [number, Float64Array];
        const x = Array.from({ length: 2 * d }, (_, i) => i);
        const want = [0, 1].map((k) => x.slice(k * d, (k + 1) * d).reduce((s, t) => s + t * t, 0));
        return v.length === 2 && want.every((w, i) => w === v[i]);
      },
      runs: 240,
    }),
  ],
  { hangMs: 8000 },
);
