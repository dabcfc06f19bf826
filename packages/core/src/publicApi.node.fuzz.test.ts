import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import * as N from './node.js';
import { anyNumber, apiCase, describePublicApi, junk, TempFiles } from './testing/index.js';

// Node entry of @tenzo/core: atomic writes into a temp dir (over files, folders and paths under
// a file), JSON of every kind, and stale-temp cleanup over folders seeded with temps of dead and
// live writers — each with arguments of every wrong type.

const tmp = new TempFiles('tenzo-core-fuzz-');
afterAll(() => tmp.remove());

/** A generated path: a plain new file, an existing folder, a path under a file, or junk. */
const pathArb = fc.oneof(junk, fc.constantFrom('new.txt', 'a/b/new.txt', 'DIR', 'UNDERFILE', ''));
function place(p: unknown): unknown {
  if (p === 'DIR') return tmp.dir();
  if (p === 'UNDERFILE') return join(tmp.write(tmp.dir(), 'file', 'x'), 'new.txt');
  return tmp.under(p);
}
const noTemps = (path: string) => readdirSync(join(path, '..')).every((f) => !f.endsWith('.tenzo-tmp'));

describePublicApi(
  '@tenzo/core/node',
  [
    apiCase({
      name: 'writeFileAtomic',
      args: fc.tuple(
        pathArb,
        fc.oneof(junk, fc.string(), fc.uint8Array({ maxLength: 64 }), fc.constant(new Uint16Array(2))),
      ),
      call: (p, d) => {
        const path = place(p) as string;
        N.writeFileAtomic(path, d as string);
        return [path, new Uint8Array(readFileSync(path))] as const;
      },
      // the file holds exactly the data, and no temp is left beside it
      ok: (r, [, d]) => {
        const [path, got] = r as [string, Uint8Array];
        const want = typeof d === 'string' ? new TextEncoder().encode(d) : (d as Uint8Array);
        return got.length === want.length && got.every((b, i) => b === want[i]) && noTemps(path);
      },
      runs: 350,
    }),
    apiCase({
      name: 'writeJsonAtomic',
      args: fc.tuple(
        pathArb,
        fc.oneof(junk, anyNumber, fc.jsonValue(), fc.constant({ big: 1n }), fc.constant({ f: () => 1 })),
      ),
      call: (p, v) => {
        const path = place(p) as string;
        N.writeJsonAtomic(path, v);
        return [path, readFileSync(path, 'utf8')] as const;
      },
      // valid JSON that reads back as JSON.stringify wrote it
      ok: (r, [, v]) => {
        const [path, text] = r as [string, string];
        return JSON.stringify(JSON.parse(text)) === JSON.stringify(v) && noTemps(path);
      },
      runs: 350,
    }),
    apiCase({
      name: 'removeStaleTemps',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('SEEDED', 'missing', '')),
        fc.oneof(
          junk,
          fc.record(
            {
              target: fc.oneof(junk, fc.constantFrom('t.json', 'other')),
              maxAgeMs: anyNumber,
              now: anyNumber,
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: (d, o) => {
        let dir = tmp.under(d);
        if (d === 'SEEDED') {
          dir = tmp.dir();
          // a dead writer's temp (pid 2^22 + 1 is above Linux's pid_max), this process's, a plain file
          tmp.write(dir as string, `.t.json.${2 ** 22 + 1}-0a0b0c0d.tenzo-tmp`, 'x');
          tmp.write(dir as string, `.t.json.${process.pid}-01020304.tenzo-tmp`, 'x');
          tmp.write(dir as string, 't.json', 'keep');
          utimesSync(join(dir as string, 't.json'), 0, 0);
        }
        return [dir, N.removeStaleTemps(dir as string, o as N.RemoveStaleTempsOptions)] as const;
      },
      // only temps of dead writers are removed: this process's temp and the target stay
      ok: (r) => {
        const [dir, removed] = r as [string, string[]];
        if (!existsSync(dir)) return removed.length === 0;
        return (
          removed.every(
            (p) => p.endsWith('.tenzo-tmp') && !p.includes(`.${process.pid}-`) && !existsSync(p),
          ) &&
          existsSync(join(dir, 't.json')) &&
          existsSync(join(dir, `.t.json.${process.pid}-01020304.tenzo-tmp`))
        );
      },
      runs: 300,
    }),
  ],
  { hangMs: 5000 },
);
