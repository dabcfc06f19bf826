import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateRecord } from '@tenzo/core';
import {
  anyNumber,
  apiCase,
  describePublicApi,
  type FileMutation,
  junk,
  mutatedBytes,
  mutatedText,
  TempFiles,
} from '@tenzo/core/testing';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import * as N from './node.js';

// Node entry of @tenzo/train: checkpoints and sweep results files generated in a temp dir
// (valid, then truncated, overwritten, with a broken header or a huge declared header size, or
// with their JSON edited) and arguments of every wrong type. A checkpoint that loads must be
// exactly the state written; a results file that loads must hold exactly the results written.

const tmp = new TempFiles('tenzo-train-fuzz-');
afterAll(() => tmp.remove());

const STATE: StateRecord = {
  epoch: 2,
  history: [{ loss: 0.5 }, { loss: 0.25 }],
  model: { 'fc.weight': Float64Array.of(1, -2, 3.5), 'fc.bias': Float32Array.of(0.5, -0.25) },
  optimizers: { digital: { step: 4, slots: { m: [Int32Array.of(1, 2)] } } },
  config: { lr: 0.01, name: 'toy', flag: true, none: null },
};
const CKPT = (() => {
  const path = join(tmp.dir(), 'ckpt.safetensors');
  N.writeCheckpoint(path, STATE);
  return new Uint8Array(readFileSync(path));
})();
const HEADER_LEN = Number(new DataView(CKPT.buffer).getBigUint64(0, true));
const HEADER = new TextDecoder().decode(CKPT.subarray(8, 8 + HEADER_LEN));

/** The checkpoint with its JSON header replaced by `m` (length prefix rewritten to match). */
function withHeader(m: FileMutation): FileMutation {
  const out = new Uint8Array(8 + m.bytes.length + CKPT.length - 8 - HEADER_LEN);
  new DataView(out.buffer).setBigUint64(0, BigInt(m.bytes.length), true);
  out.set(m.bytes, 8);
  out.set(CKPT.subarray(8 + HEADER_LEN), 8 + m.bytes.length);
  return { kind: m.kind, bytes: out };
}
const ckptMut = fc.oneof(
  mutatedBytes(CKPT, [{ offset: 0, width: 8 }]),
  mutatedText(HEADER).map(withHeader),
  // the body's bytes: every array value is covered by the digest
  fc
    .tuple(fc.integer({ min: 8 + HEADER_LEN, max: CKPT.length - 1 }), fc.integer({ min: 0, max: 255 }))
    .map<FileMutation>(([at, b]) => {
      const out = Uint8Array.from(CKPT);
      out[at] = b;
      return { kind: 'flipped', bytes: out };
    }),
);

/** Deep equality that tells typed arrays (type and values, NaN and −0 included) apart. */
function same(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    return x.length === y.length && Array.from(x).every((v, i) => Object.is(v, y[i]));
  }
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      same(ka, kb) &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return Object.is(a, b);
}

const RESULTS = {
  command: 'sweep',
  config: { lr: 0.01, seeds: [1, 2] },
  results: [
    { key: 'a', accuracy: 0.5 },
    { key: 'b/c', accuracy: 0.75 },
  ],
};
const RESULTS_TEXT = JSON.stringify(RESULTS, null, 2);
const checkAccuracy = (r: unknown) => {
  const a = (r as { accuracy?: unknown }).accuracy;
  if (typeof a !== 'number' || !(a >= 0 && a <= 1)) throw new Error(`accuracy expected in [0, 1], got ${a}`);
};
/** A results file that loads holds the written results, or (edited but valid) records that pass the checks. */
const sweepOk = (r: unknown): boolean => {
  const f = r as N.SweepFile<{ key: string; accuracy: number }>;
  const keys = f.results.map((x) => x.key);
  return (
    new Set(keys).size === keys.length &&
    keys.every((k) => typeof k === 'string' && k.length > 0) &&
    f.results.every((x) => typeof x.accuracy === 'number' && x.accuracy >= 0 && x.accuracy <= 1)
  );
};

describePublicApi(
  '@tenzo/train/node',
  [
    apiCase({
      name: 'readCheckpoint(file)',
      args: fc.tuple(ckptMut),
      call: (m) => N.readCheckpoint(tmp.write(tmp.dir(), 'c.safetensors', m.bytes)),
      ok: (r) => same(r, STATE),
      runs: 300,
    }),
    apiCase({
      name: 'fileCheckpoint(file).load',
      args: fc.tuple(ckptMut),
      call: (m) => N.fileCheckpoint(tmp.write(tmp.dir(), 'c.safetensors', m.bytes)).load(),
      ok: (r) => same(r, STATE),
      runs: 150,
    }),
    apiCase({
      name: 'readCheckpoint(path)',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('', '/', '/nonexistent-tenzo/c.safetensors'))),
      call: (p) => N.readCheckpoint(tmp.under(p) as string),
      valid: () => false,
      runs: 40,
    }),
    apiCase({
      name: 'fileCheckpoint(path).load',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('', '/'))),
      call: (p) => N.fileCheckpoint(tmp.under(p) as string).load(),
      valid: () => false,
      runs: 40,
    }),
    apiCase({
      name: 'writeCheckpoint',
      args: fc.tuple(
        fc.oneof(junk, fc.constant('OK')),
        fc.oneof(
          junk,
          fc.constant(STATE),
          fc.record({ epoch: anyNumber, model: fc.oneof(junk, fc.constant({ w: new Int16Array(2) })) }),
        ),
      ),
      call: (p, s) => {
        const path = p === 'OK' ? join(tmp.dir(), 'w.safetensors') : (tmp.under(p) as string);
        N.writeCheckpoint(path, s as StateRecord);
        return N.readCheckpoint(path);
      },
      // written and read back: the same state (non-finite numbers and −0 kept exactly)
      ok: (r, [, s]) => same(r, s),
      runs: 120,
    }),
    apiCase({
      name: 'fileCheckpoint(path).save',
      args: fc.tuple(fc.oneof(junk, fc.constant(STATE), fc.constant({ a: new BigInt64Array(1) }))),
      call: (s) => {
        const store = N.fileCheckpoint(join(tmp.dir(), 's.safetensors'));
        store.save(s as StateRecord);
        return store.load();
      },
      ok: (r, [s]) => same(r, s),
      runs: 60,
    }),
    apiCase({
      name: 'readSweepFile(file)',
      args: fc.tuple(mutatedText(RESULTS_TEXT)),
      call: (m) => N.readSweepFile(tmp.write(tmp.dir(), 'results.json', m.bytes), checkAccuracy),
      ok: sweepOk,
      runs: 200,
    }),
    apiCase({
      name: 'readSweepFile(path, checkResult)',
      args: fc.tuple(fc.oneof(junk, fc.constant('OK')), fc.oneof(junk, fc.constant(checkAccuracy))),
      call: (p, c) =>
        N.readSweepFile(
          p === 'OK' ? tmp.write(tmp.dir(), 'results.json', RESULTS_TEXT) : (tmp.under(p) as string),
          c as typeof checkAccuracy,
        ),
      // the written file: its two results; a path with no file yet: no results
      ok: (r, [p]) =>
        sweepOk(r) &&
        (r as N.SweepFile<unknown>).results.length === (p === 'OK' ? 2 : 0) &&
        typeof p === 'string',
      runs: 60,
    }),
    apiCase({
      name: 'runSweep(results.json)',
      args: fc.tuple(mutatedText(RESULTS_TEXT), fc.constantFrom(undefined, ['seeds'])),
      call: async (m, selection) => {
        const out = tmp.dir();
        writeFileSync(join(out, 'results.json'), m.bytes);
        return N.runSweep({
          name: 'sweep',
          config: RESULTS.config,
          out,
          cells: [{ key: 'a' }, { key: 'b/c' }, { key: 'd' }],
          run: async () => ({ accuracy: 1 }),
          checkResult: checkAccuracy,
          ...(selection ? { selection } : {}),
        });
      },
      ok: (r) => {
        const res = r as { key: string; accuracy: number }[];
        return (
          same(
            res.map((x) => x.key),
            ['a', 'b/c', 'd'].filter((k) => res.some((x) => x.key === k)),
          ) &&
          res.length === 3 &&
          res.every((x) => x.accuracy >= 0 && x.accuracy <= 1)
        );
      },
      runs: 150,
    }),
    apiCase({
      name: 'cellRunDir',
      args: fc.tuple(fc.oneof(junk, fc.constant('out')), fc.oneof(junk, fc.constantFrom('a/b', '', '..'))),
      call: (o, k) => N.cellRunDir(o as string, k as string),
      // a folder one level under out/runs
      ok: (r, [o, k]) =>
        typeof o === 'string' &&
        o !== '' &&
        typeof k === 'string' &&
        !['', '.', '..'].includes(k) &&
        r === join(o, 'runs', k.replaceAll('/', '_')),
      runs: 40,
    }),
  ],
  { hangMs: 5000 },
);
