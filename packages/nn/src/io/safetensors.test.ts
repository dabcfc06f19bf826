import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, Rng } from '@tenzo/core';
import { fromTypedArray, randn, tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { loadSafetensors, saveSafetensors } from './node.js';
import { parseSafetensors, serializeSafetensors } from './safetensors.js';

/** Builds a file by hand, the way another implementation would write it. */
function handMade(header: object, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips float32 and float64 tensors with metadata', () => {
    const rng = new Rng(0);
    const tensors = {
      'a.weight': randn([3, 4], rng),
      'b.bias': randn([5], rng, { dtype: 'float64' }),
      scalar: tensor(7),
    };
    const bytes = serializeSafetensors(tensors, { format: 'pt' });
    // data section starts 8-byte aligned
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k]!.shape).toEqual(t.shape);
      expect(back.tensors[k]!.dtype).toBe(t.dtype);
      expect(back.tensors[k]!.toFlat()).toEqual(t.toFlat());
    }
  });

  it('reads F16 and BF16 written by other tools (widened to float32)', () => {
    const data = new Uint8Array(8);
    const dv = new DataView(data.buffer);
    dv.setUint16(0, 0x3c00, true); // f16 1.0
    dv.setUint16(2, 0xc000, true); // f16 -2.0
    dv.setUint16(4, 0x3fc0, true); // bf16 1.5
    dv.setUint16(6, 0x4049, true); // bf16 ≈ 3.140625
    const file = handMade(
      {
        h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
        b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
      },
      data,
    );
    const { tensors } = parseSafetensors(file);
    expect(tensors.h!.toFlat()).toEqual([1, -2]);
    expect(tensors.b!.toFlat()).toEqual([1.5, 3.140625]);
  });

  it('saves atomically and loads from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-st-'));
    const path = join(dir, 'model.safetensors');
    saveSafetensors(path, { w: tensor([1, 2, 3]) });
    expect(loadSafetensors(path).tensors.w!.toFlat()).toEqual([1, 2, 3]);
  });

  it('rejects corrupt files with a FormatError that says what is wrong', () => {
    const good = serializeSafetensors({ w: tensor([1, 2, 3]) });
    expect(() => parseSafetensors(good.subarray(0, 5))).toThrowError(/too short/);
    expect(() => parseSafetensors(good.subarray(0, good.length - 4))).toThrowError(
      /ends at byte 12 but the data has 8 bytes/,
    );
    const badLen = good.slice();
    new DataView(badLen.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => parseSafetensors(badLen)).toThrowError(/header length .* exceeds the file/);
    const badJson = good.slice();
    badJson[9] = 0x7b; // '{{'
    expect(() => parseSafetensors(badJson)).toThrowError(/header: a key \(a string\) expected/);
    const f32 = new Uint8Array(8);
    expect(() =>
      parseSafetensors(handMade({ w: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, f32)),
    ).toThrowError(/dtype: .*received "I8"/);
    expect(() =>
      parseSafetensors(handMade({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32)),
    ).toThrowError(/needs 12 bytes, offsets give 8/);
    expect(() =>
      parseSafetensors(
        handMade(
          {
            a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
            b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          },
          f32,
        ),
      ),
    ).toThrowError(/overlap or gap/);
    expect(() =>
      parseSafetensors(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32)),
    ).toThrowError(/4 trailing bytes/);
    for (const bad of [good.subarray(0, 5), badJson])
      expect(() => parseSafetensors(bad)).toThrowError(FormatError);
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-st-'));
    writeFileSync(join(dir, 'x.safetensors'), 'garbage!garbage!');
    expect(() => loadSafetensors(join(dir, 'x.safetensors'))).toThrowError(
      new RegExp(`${dir}/x.safetensors: header length`),
    );
    expect(() => loadSafetensors(join(dir, 'missing.safetensors'))).toThrowError(
      /cannot read safetensors file/,
    );
  });
});

/** A file with this exact header JSON (padded to 8 bytes) and data. */
function withHeader(json: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors: the spec, strictly', () => {
  const t = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
  const four = new Uint8Array(4);
  it('rejects a byte-order mark, duplicate names, non-string metadata and unknown fields', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`{"a":${t}}`)]);
    const f = new Uint8Array(8 + bom.length + 4);
    new DataView(f.buffer).setBigUint64(0, BigInt(bom.length), true);
    f.set(bom, 8);
    expect(() => parseSafetensors(f)).toThrowError(/start with '\{'/);
    expect(() => parseSafetensors(withHeader(`{"a":${t},"a":${t}}`, four))).toThrowError(/duplicate key "a"/);
    expect(() => parseSafetensors(withHeader(`{"__metadata__":{"k":1},"a":${t}}`, four))).toThrowError(
      /__metadata__ expected an object of string values/,
    );
    expect(() =>
      parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}', four)),
    ).toThrowError(/tensor 'a' expected/);
    expect(() =>
      parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}', four)),
    ).toThrowError(FormatError);
  });

  it('keeps a tensor named __proto__ as an ordinary tensor', () => {
    const f = parseSafetensors(
      withHeader(`{"__proto__":${t}}`, new Uint8Array(new Float32Array([2.5]).buffer)),
    );
    expect(Object.keys(f.tensors)).toEqual(['__proto__']);
    expect(Array.from(Object.values(f.tensors)[0]!.data)).toEqual([2.5]);
  });

  it('refuses more tensors than it will hold, while parsing the header', () => {
    const names = Array.from(
      { length: 100_001 },
      (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`,
    );
    expect(() => parseSafetensors(withHeader(`{${names.join(',')}}`))).toThrowError(
      /100001 tensors; at most 100000/,
    );
    expect(() => parseSafetensors(withHeader(`{${names.join(',')},"x":${t}}`, four))).toThrowError(
      /more than 100001 members/,
    );
  });

  it('gets a FormatError or the original tensors back for 500 random byte mutations (fuzz)', () => {
    const rng = new Rng(11);
    const good = serializeSafetensors(
      { w: randn([3, 4], rng), b: fromTypedArray(new Float64Array([1, 2, 3]), [3]) },
      { format: 'pt', note: 'x' },
    );
    const original = parseSafetensors(good);
    let rejected = 0;
    for (let k = 0; k < 500; k++) {
      const bad = good.slice();
      const edits = 1 + rng.int(3);
      for (let e = 0; e < edits; e++) bad[rng.int(bad.length)] = rng.int(256);
      const cut = rng.uniform() < 0.2 ? bad.subarray(0, rng.int(bad.length)) : bad;
      try {
        const f = parseSafetensors(cut);
        // a mutation the format cannot see (tensor bytes, a letter of a name or of metadata, padding):
        // still a well-formed file of the same tensor count, each tensor's data matching its shape
        expect(Object.keys(f.tensors)).toHaveLength(Object.keys(original.tensors).length);
        for (const tt of Object.values(f.tensors))
          expect(tt.data.length).toBe(tt.shape.reduce((a, b) => a * b, 1));
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
