import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  anyNumbers,
  apiCase,
  describePublicApi,
  type FileMutation,
  junk,
  mutatedBytes,
  mutatedText,
  TempFiles,
} from '@tenzo/core/testing';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import * as N from './node.js';

// Node entry of @tenzo/nn: safetensors files generated in a temp dir (valid, then truncated,
// overwritten, with the header JSON edited or a huge declared header size) and arguments of every
// wrong type. A file that loads must hold exactly the tensors and metadata written.

const tmp = new TempFiles('tenzo-nn-fuzz-');
afterAll(() => tmp.remove());

const TENSORS: Record<string, Tensor> = {
  'fc.weight': fromTypedArray(Float32Array.of(1, -2, 3.5, 0.25, 0, -0.5), [2, 3]),
  'fc.bias': fromTypedArray(Float64Array.of(0.5, -0.25), [2]),
};
const META = { format: 'pt', note: 'fuzz' };
const FILE = (() => {
  const path = join(tmp.dir(), 'm.safetensors');
  N.saveSafetensors(path, TENSORS, META);
  return new Uint8Array(readFileSync(path));
})();
const HEADER_LEN = Number(new DataView(FILE.buffer).getBigUint64(0, true));
const HEADER = new TextDecoder().decode(FILE.subarray(8, 8 + HEADER_LEN));

/** The file with its JSON header replaced by `m` (length prefix rewritten to match). */
function withHeader(m: FileMutation): FileMutation {
  const out = new Uint8Array(8 + m.bytes.length + FILE.length - 8 - HEADER_LEN);
  new DataView(out.buffer).setBigUint64(0, BigInt(m.bytes.length), true);
  out.set(m.bytes, 8);
  out.set(FILE.subarray(8 + HEADER_LEN), 8 + m.bytes.length);
  return { kind: m.kind, bytes: out };
}

/** Loaded tensors and metadata: the names, dtypes, shapes and values written (values may differ only if the body was edited). */
function sameLayout(r: unknown, valuesToo: boolean): boolean {
  const f = r as { tensors: Record<string, Tensor>; metadata: Record<string, string> };
  const names = Object.keys(f.tensors).sort();
  if (names.join() !== Object.keys(TENSORS).sort().join()) return false;
  if (Object.getPrototypeOf(f.tensors) !== null && Object.getPrototypeOf(f.tensors) !== Object.prototype)
    return false;
  return names.every((k) => {
    const a = f.tensors[k]!;
    const b = TENSORS[k]!;
    if (a.shape.join() !== b.shape.join() || a.data.constructor !== b.data.constructor) return false;
    return (
      !valuesToo ||
      Array.from(a.data as ArrayLike<number>).every((v, i) => Object.is(v, (b.data as ArrayLike<number>)[i]))
    );
  });
}

describePublicApi(
  '@tenzo/nn/node',
  [
    apiCase({
      name: 'loadSafetensors(file)',
      args: fc.tuple(mutatedBytes(FILE, [{ offset: 0, width: 8 }])),
      call: (m) => N.loadSafetensors(tmp.write(tmp.dir(), 'm.safetensors', m.bytes)),
      // the bytes after the header are raw values: an edit there is a different, valid file
      ok: (r, [m]) => sameLayout(r, m.kind === 'intact' || m.kind === 'empty'),
      runs: 400,
    }),
    apiCase({
      name: 'loadSafetensors(header)',
      args: fc.tuple(mutatedText(HEADER).map(withHeader)),
      call: (m) => N.loadSafetensors(tmp.write(tmp.dir(), 'm.safetensors', m.bytes)),
      ok: (r) => {
        const f = r as { metadata: Record<string, unknown> };
        return Object.values(f.metadata).every((v) => typeof v === 'string') && sameLayout(r, false);
      },
      runs: 300,
    }),
    apiCase({
      name: 'loadSafetensors(path)',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('', '/', '/nonexistent-tenzo/m.safetensors'))),
      call: (p) => N.loadSafetensors(tmp.under(p) as string),
      valid: () => false,
      runs: 60,
    }),
    apiCase({
      name: 'saveSafetensors',
      args: fc.tuple(
        fc.oneof(junk, fc.constant('OK')),
        fc.oneof(
          junk,
          fc.constant(TENSORS),
          fc.constant({ x: Float32Array.of(1) }),
          fc.constant({ '': TENSORS['fc.bias'] }),
        ),
        fc.oneof(junk, fc.constant(META), fc.constant({ a: 1 }), fc.constant({ __metadata__: 'x' })),
      ),
      call: (p, t, m) => {
        const path = p === 'OK' ? join(tmp.dir(), 's.safetensors') : (tmp.under(p) as string);
        N.saveSafetensors(path, t as Record<string, Tensor>, m as Record<string, string>);
        return N.loadSafetensors(path);
      },
      ok: (r, [, t, m]) =>
        t === TENSORS &&
        sameLayout(r, true) &&
        JSON.stringify((r as { metadata: unknown }).metadata) === JSON.stringify(m ?? {}),
      runs: 200,
    }),
    apiCase({
      name: 'saveSafetensors(values)',
      args: fc.tuple(anyNumbers),
      call: (v) => {
        const path = join(tmp.dir(), 'v.safetensors');
        const data = Float64Array.from(v as ArrayLike<number>);
        N.saveSafetensors(path, { v: fromTypedArray(data, [data.length]) });
        return [data, N.loadSafetensors(path).tensors.v!.data] as const;
      },
      // NaN and ±∞ are legal float64 values in a safetensors file: written and read back bit-exactly
      ok: (r) => {
        const [a, b] = r as [Float64Array, Float64Array];
        return a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));
      },
      runs: 60,
    }),
  ],
  { hangMs: 5000 },
);
