import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, Rng } from '@tenzo/core';
import { randn, tensor } from '@tenzo/tensor';
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
    expect(() => parseSafetensors(badJson)).toThrowError(/not valid UTF-8 JSON/);
    const f32 = new Uint8Array(8);
    expect(() =>
      parseSafetensors(handMade({ w: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, f32)),
    ).toThrowError(/dtype "I8"/);
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
