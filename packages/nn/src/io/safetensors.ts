import { ArgumentError, checkObject, describeValue, FormatError, parseJsonStrict } from '@tenzo/core';
import { fromTypedArray, Tensor } from '@tenzo/tensor';
import * as v from 'valibot';

/**
 * The safetensors format (Hugging Face), the way PyTorch users share weights:
 *   [8 bytes: little-endian u64 N][N bytes: JSON header][raw little-endian tensor bytes]
 * header = { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { string: string } }
 * Offsets are relative to the start of the byte buffer after the header.
 */

const ITEM_SIZE: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
const MAX_HEADER = 100 * 1024 * 1024;
/**
 * Most tensors one file may declare. Every declared tensor costs memory whatever its size, so a
 * header-only file of empty tensors could otherwise take ~20× its size; real checkpoint shards
 * hold a few thousand.
 */
export const MAX_SAFETENSORS_TENSORS = 100_000;

// the header's entries as the spec defines them (serde structs: no other fields)
const TensorInfo = v.strictObject({
  dtype: v.picklist(Object.keys(ITEM_SIZE)),
  shape: v.array(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  data_offsets: v.strictTuple([
    v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  ]),
});
const Metadata = v.record(v.string(), v.string());

function issue(e: v.ValiError<v.GenericSchema>): string {
  const first = e.issues[0];
  const path = first?.path?.map((p) => String(p.key)).join('.') ?? '';
  return `${path === '' ? '' : `${path}: `}${first?.message ?? e.message}`;
}
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A safetensors file's contents: its tensors by name and its string metadata. */
export interface SafetensorsFile {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Serialises tensors (float32 → F32, float64 → F64) with optional string metadata. */
export function serializeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const fn = 'serializeSafetensors';
  checkObject(`${fn}: tensors`, tensors);
  checkObject(`${fn}: metadata`, metadata);
  // the spec's __metadata__ is a map of strings to strings
  for (const [k, m] of Object.entries(metadata))
    if (typeof m !== 'string')
      throw new ArgumentError(`${fn}: metadata.${k}: expected a string, got ${describeValue(m)}`);
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    if (name === '' || name === '__metadata__')
      throw new ArgumentError(
        `${fn}: tensor name: expected a non-empty name other than __metadata__, got '${name}'`,
      );
    const t = tensors[name];
    if (!(t instanceof Tensor) || (t.dtype !== 'float32' && t.dtype !== 'float64'))
      throw new ArgumentError(
        `${fn}: tensors.${name}: expected a float32 or float64 Tensor, got ${describeValue(t)}`,
      );
  }
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const bytes = t.data.byteLength;
    header[name] = {
      dtype: t.dtype === 'float64' ? 'F64' : 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so the data starts 8-byte aligned (as the reference writer does)
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padding = (8 - ((8 + headerBytes.length) % 8)) % 8;
  if (padding) {
    json += ' '.repeat(padding);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (littleEndian) out.set(src, pos);
    else {
      const dv = new DataView(out.buffer, pos, t.data.byteLength);
      for (let i = 0; i < t.data.length; i++) {
        if (t.dtype === 'float64') dv.setFloat64(i * 8, t.data[i]!, true);
        else dv.setFloat32(i * 4, t.data[i]!, true);
      }
    }
    pos += t.data.byteLength;
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Parses a safetensors buffer. F32 and F64 load as such; F16 and BF16 are widened to float32.
 * Anything malformed — truncated file, bad header length or JSON, unknown dtype, offsets that
 * overlap, leave gaps or disagree with the shape — is a FormatError saying what is wrong.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  if (bytes.length < 8)
    throw new FormatError(`${source}: file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    throw new FormatError(
      `${source}: header length ${n} exceeds the file (${bytes.length} bytes) — truncated or not a safetensors file`,
    );
  }
  const headerLen = Number(n);
  const headerBytes = bytes.subarray(8, 8 + headerLen);
  // the spec: the header is a UTF-8 JSON object, starting with '{' (no byte-order mark)
  if (headerBytes[0] !== 0x7b)
    throw new FormatError(
      `${source}: header expected to start with '{', got byte ${headerBytes[0] ?? 'none'}`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch (cause) {
    throw new FormatError(`${source}: header is not valid UTF-8`, { cause });
  }
  // strict JSON: duplicate names are an error (JSON.parse would keep the last silently), names such
  // as __proto__ stay ordinary keys, and the count is bounded while parsing
  const header = parseJsonStrict(text, `${source}: header`, {
    maxDepth: 8,
    maxMembers: MAX_SAFETENSORS_TENSORS + 1,
  });
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new FormatError(`${source}: header expected a JSON object`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = Object.create(null);
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      try {
        Object.assign(metadata, v.parse(Metadata, info));
      } catch (e) {
        throw new FormatError(
          `${source}: __metadata__ expected an object of string values (${issue(e as v.ValiError<v.GenericSchema>)})`,
        );
      }
      continue;
    }
    let e: v.InferOutput<typeof TensorInfo>;
    try {
      e = v.parse(TensorInfo, info);
    } catch (err) {
      throw new FormatError(
        `${source}: tensor '${name}' expected { dtype: F32|F64|F16|BF16, shape: [non-negative integers], data_offsets: [begin, end] } (${issue(err as v.ValiError<v.GenericSchema>)})`,
      );
    }
    const off = e.data_offsets;
    if (off[1] < off[0])
      throw new FormatError(`${source}: tensor '${name}' has invalid data_offsets ${JSON.stringify(off)}`);
    const shape = e.shape;
    const expected = shape.reduce((a, b) => a * b, 1) * ITEM_SIZE[e.dtype]!;
    if (off[1] - off[0] !== expected) {
      throw new FormatError(
        `${source}: tensor '${name}' (${e.dtype} [${shape.join(', ')}]) needs ${expected} bytes, offsets give ${off[1] - off[0]}`,
      );
    }
    if (off[1] > dataLen)
      throw new FormatError(
        `${source}: tensor '${name}' ends at byte ${off[1]} but the data has ${dataLen} bytes (truncated?)`,
      );
    entries.push({ name, dtype: e.dtype, shape, begin: off[0], end: off[1] });
  }
  if (entries.length > MAX_SAFETENSORS_TENSORS)
    throw new FormatError(
      `${source}: header declares ${entries.length} tensors; at most ${MAX_SAFETENSORS_TENSORS} are read`,
    );
  // the spec requires the tensors to tile the data buffer exactly: no overlaps, no holes
  entries.sort((a, b) => a.begin - b.begin);
  let cursor = 0;
  for (const e of entries) {
    if (e.begin !== cursor)
      throw new FormatError(
        `${source}: tensor '${e.name}' starts at byte ${e.begin}, expected ${cursor} (overlap or gap)`,
      );
    cursor = e.end;
  }
  if (cursor !== dataLen)
    throw new FormatError(`${source}: ${dataLen - cursor} trailing bytes after the last tensor`);

  // null prototype: a tensor may be named __proto__ (or toString) like any other
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const e of entries) {
    const count = (e.end - e.begin) / ITEM_SIZE[e.dtype]!;
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + e.begin, e.end - e.begin);
    let data: Float32Array | Float64Array;
    if (e.dtype === 'F64') {
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getFloat64(i * 8, true);
    } else if (e.dtype === 'F32') {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getFloat32(i * 4, true);
    } else {
      data = new Float32Array(count);
      const bf16 = e.dtype === 'BF16';
      const f32 = new Float32Array(1);
      const u32 = new Uint32Array(f32.buffer);
      for (let i = 0; i < count; i++) {
        const h = dv.getUint16(i * 2, true);
        if (bf16) {
          u32[0] = h << 16;
          data[i] = f32[0]!;
        } else data[i] = halfToFloat(h);
      }
    }
    tensors[e.name] = fromTypedArray(data, e.shape);
  }
  return { tensors, metadata };
}
