import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TenzoError } from '@tenzo/core';
import { anyNumber, apiCase, describePublicApi, junk, TempFiles } from '@tenzo/core/testing';
import fc from 'fast-check';
import { afterAll, vi } from 'vitest';
import * as N from './node.js';
import { toJsonValue } from './report/toJsonValue.js';

// Node entry of @tenzo/cli: reports and SVGs written into a temp dir, output flags checked
// against real folders and files, the stderr writer on fake streams, exitOnError with
// process.exit stubbed — each with arguments of every wrong type.

const tmp = new TempFiles('tenzo-cli-fuzz-');
afterAll(() => tmp.remove());
const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;
const values = fc.oneof(
  junk,
  anyNumber,
  fc.constant(cyclic),
  fc.constant({ acc: 0.5, nested: { xs: Float64Array.of(1, Number.NaN) }, when: new Date(0), big: 10n }),
  fc.constant(new Map([[1, 'a']])),
  fc.constant(new Error('boom')),
  fc.jsonValue(),
);
const FILE = '\u0000file';
const stream = fc.oneof(
  junk,
  fc.record(
    {
      write: fc.oneof(
        junk,
        fc.constant(() => true),
      ),
      isTTY: fc.oneof(junk, fc.boolean()),
      columns: anyNumber,
    },
    { requiredKeys: [] },
  ),
);

describePublicApi(
  '@tenzo/cli/node',
  [
    apiCase({
      name: 'writeReport',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('r.json', 'a/b/r.json', '', FILE)), values),
      call: (p, v) => {
        const path = p === FILE ? tmp.write(tmp.dir(), 'f', 'x') + '/r.json' : (tmp.under(p) as string);
        N.writeReport(path, v);
        return [path, JSON.parse(readFileSync(path, 'utf8'))] as const;
      },
      // what was written is the value as JSON (NaN → null, bigint → string, Date → ISO …)
      ok: (r, [, v]) =>
        JSON.stringify((r as [string, unknown])[1]) === JSON.stringify(toJsonValue(v) ?? null),
      runs: 250,
    }),
    apiCase({
      name: 'writeSvg',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('p.svg', '')),
        fc.oneof(junk, fc.constant('<svg/>'), fc.string()),
      ),
      call: (p, s) => {
        const path = tmp.under(p) as string;
        N.writeSvg(path, s as string);
        return readFileSync(path, 'utf8');
      },
      ok: (r, [, s]) => r === s,
      runs: 150,
    }),
    apiCase({
      name: 'checkOutputs',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            {
              out: fc.oneof(junk, fc.constantFrom('out', 'OVERFILE', '')),
              json: fc.oneof(junk, fc.constantFrom('r.json', 'ONDIR', 'UNDERFILE', '')),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: (f) => {
        if (f === null || typeof f !== 'object') return N.checkOutputs(f as never);
        const dir = tmp.dir();
        const file = tmp.write(dir, 'file', 'x');
        const map = (v: unknown) =>
          v === 'OVERFILE'
            ? file
            : v === 'ONDIR'
              ? dir
              : v === 'UNDERFILE'
                ? join(file, 'r.json')
                : typeof v === 'string' && v !== ''
                  ? join(dir, v)
                  : v;
        const flags = { ...(f as object) } as { out?: unknown; json?: unknown };
        if ('out' in flags) flags.out = map(flags.out);
        if ('json' in flags) flags.json = map(flags.json);
        N.checkOutputs(flags);
        return flags;
      },
      // accepted: every given flag is a path in this test's folders (a folder for out, a file for json)
      ok: (r) => {
        const f = r as { out?: unknown; json?: unknown };
        const inTmp = (v: unknown) => v === undefined || (typeof v === 'string' && v.startsWith(tmp.root));
        return inTmp(f.out) && inTmp(f.json);
      },
      runs: 200,
    }),
    apiCase({
      name: 'stderrWriter',
      args: fc.tuple(
        stream,
        fc.oneof(junk, fc.constant({}), fc.constant({ CI: '1' }), fc.constant({ TERM: 'dumb' })),
      ),
      call: (s, e) => {
        const w = N.stderrWriter(s as never, e as NodeJS.ProcessEnv);
        w.write('x');
        return { isTTY: w.isTTY, columns: w.columns };
      },
      ok: (r) => {
        const w = r as { isTTY: unknown; columns: unknown };
        return (
          typeof w.isTTY === 'boolean' &&
          (w.columns === undefined || (Number.isInteger(w.columns) && (w.columns as number) > 0))
        );
      },
      runs: 150,
    }),
    apiCase({
      name: 'progressBar',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            { total: anyNumber, label: fc.oneof(junk, fc.constant('epochs')), width: anyNumber },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: (o) => {
        const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
        try {
          const bar = N.progressBar(o as never);
          bar.update(1);
          bar.done();
          return bar;
        } finally {
          write.mockRestore();
        }
      },
      ok: (r) => r !== null && typeof r === 'object',
      runs: 120,
    }),
    apiCase({
      name: 'exitOnError',
      args: fc.tuple(
        fc.oneof(junk, fc.constant('app')),
        fc.oneof(junk, fc.constant(new TenzoError('E_ARGUMENT', 'bad')), fc.constant(new Error('x\ny'))),
      ),
      call: (app, err) => {
        const handler = N.exitOnError(app as string);
        const lines: string[] = [];
        const log = vi
          .spyOn(console, 'error')
          .mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
        const exit = vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
          throw { exitCode: code };
        }) as never);
        try {
          handler(err);
        } catch (e) {
          return { code: (e as { exitCode?: number }).exitCode, lines };
        } finally {
          log.mockRestore();
          exit.mockRestore();
        }
        return null;
      },
      // exit code 2 for a typed error, else 1; one line naming the app, never a multi-line message
      ok: (r, [app, err]) => {
        const x = r as { code: number; lines: string[] } | null;
        return (
          x !== null &&
          x.code === (err instanceof TenzoError ? 2 : 1) &&
          x.lines.length === 1 &&
          x.lines[0]!.startsWith(`${app as string}: `) &&
          !x.lines[0]!.includes('\n')
        );
      },
      runs: 150,
    }),
  ],
  { hangMs: 5000 },
);
