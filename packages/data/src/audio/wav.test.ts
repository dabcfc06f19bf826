import { FormatError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { decodeWav } from './wav.js';

interface Fixture {
  format?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  /** interleaved raw sample bytes */
  data: Uint8Array;
  blockAlign?: number;
  byteRate?: number;
  dataSize?: number;
  riffSize?: number;
  fmtSize?: 16 | 18 | 40;
  extensible?: boolean;
  /** an unknown chunk (odd-sized, so padded) between fmt and data */
  list?: boolean;
  fmtAfterData?: boolean;
}

/** A WAVE file written field by field, so each field can be set wrong on purpose. */
function wav(f: Fixture): Uint8Array {
  const channels = f.channels ?? 1;
  const rate = f.rate ?? 8000;
  const bits = f.bits ?? 16;
  const fmtSize = f.extensible ? 40 : (f.fmtSize ?? 16);
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(fmtSize, 4);
  fmt.writeUInt16LE(f.extensible ? 0xfffe : (f.format ?? 1), 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  const blockAlign = f.blockAlign ?? (channels * bits) / 8;
  fmt.writeUInt32LE(f.byteRate ?? rate * blockAlign, 16);
  fmt.writeUInt16LE(blockAlign, 20);
  fmt.writeUInt16LE(bits, 22);
  if (f.extensible) {
    fmt.writeUInt16LE(22, 24);
    fmt.writeUInt16LE(bits, 26);
    fmt.writeUInt16LE(f.format ?? 1, 32);
  }
  const list = f.list ? Buffer.from('LIST\x03\x00\x00\x00abc\x00', 'latin1') : Buffer.alloc(0);
  const data = Buffer.alloc(8);
  data.write('data', 0, 'latin1');
  data.writeUInt32LE(f.dataSize ?? f.data.length, 4);
  const chunks = f.fmtAfterData ? [data, f.data, fmt] : [fmt, list, data, f.data];
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(f.riffSize ?? body.length + 4, 4);
  head.write('WAVE', 8, 'latin1');
  return new Uint8Array(Buffer.concat([head, body]));
}

function samples(bits: number, values: number[], float = false): Uint8Array {
  const bytes = bits / 8;
  const b = Buffer.alloc(bytes * values.length);
  values.forEach((v, i) => {
    const at = i * bytes;
    if (float && bits === 32) b.writeFloatLE(v, at);
    else if (float) b.writeDoubleLE(v, at);
    else if (bits === 8) b.writeUInt8(v, at);
    else if (bits === 16) b.writeInt16LE(v, at);
    else if (bits === 24) b.writeIntLE(v, at, 3);
    else b.writeInt32LE(v, at);
  });
  return new Uint8Array(b);
}

describe('decodeWav', () => {
  it('reads 8-, 16-, 24- and 32-bit PCM scaled to [−1, 1)', () => {
    const cases: [number, number[], number[]][] = [
      [8, [128, 192, 0, 255], [0, 0.5, -1, 127 / 128]],
      [16, [0, 16384, -32768, 32767], [0, 0.5, -1, 32767 / 32768]],
      [24, [0, 1 << 22, -(1 << 23), (1 << 23) - 1], [0, 0.5, -1, ((1 << 23) - 1) / (1 << 23)]],
      [32, [0, 1 << 30, -(2 ** 31), 2 ** 31 - 1], [0, 0.5, -1, (2 ** 31 - 1) / 2 ** 31]],
    ];
    for (const [bits, raw, want] of cases) {
      const a = decodeWav(wav({ bits, rate: 22050, data: samples(bits, raw) }));
      expect(a).toMatchObject({ sampleRate: 22050, encoding: 'pcm', bitsPerSample: bits, length: 4 });
      expect(a.channels.length).toBe(1);
      expect(Array.from(a.channels[0]!)).toEqual(want.map((v) => Math.fround(v)));
    }
  });

  it('reads float32 and float64, and splits interleaved stereo into channels', () => {
    const f32 = decodeWav(wav({ format: 3, bits: 32, data: samples(32, [0.25, -0.75], true) }));
    expect(f32.encoding).toBe('float');
    expect(Array.from(f32.channels[0]!)).toEqual([0.25, -0.75]);
    const f64 = decodeWav(wav({ format: 3, bits: 64, data: samples(64, [0.5], true) }));
    expect(Array.from(f64.channels[0]!)).toEqual([0.5]);
    const stereo = decodeWav(
      wav({ channels: 2, bits: 16, data: samples(16, [100, -100, 200, -200, 300, -300]) }),
    );
    expect(stereo.length).toBe(3);
    expect(Array.from(stereo.channels[0]!, (v) => v * 32768)).toEqual([100, 200, 300]);
    expect(Array.from(stereo.channels[1]!, (v) => v * 32768)).toEqual([-100, -200, -300]);
  });

  it('skips unknown (padded, odd-sized) chunks and reads WAVE_FORMAT_EXTENSIBLE and 18-byte fmt chunks', () => {
    const data = samples(16, [1, 2, 3]);
    for (const f of [
      { list: true },
      { extensible: true },
      { fmtSize: 18 as const },
      { extensible: true, format: 3, bits: 32 },
    ]) {
      const bytes = 'bits' in f ? samples(32, [0.5], true) : data;
      const a = decodeWav(wav({ ...f, data: bytes }));
      expect(a.length).toBe('bits' in f ? 1 : 3);
    }
  });

  it('rejects truncated files and chunk sizes that do not fit', () => {
    const good = wav({ data: samples(16, [1, 2, 3, 4]) });
    expect(() => decodeWav(good.subarray(0, 8))).toThrow(
      /file: expected a RIFF\/WAVE header of 12 bytes, got 8 bytes/,
    );
    expect(() => decodeWav(good.subarray(0, good.length - 2))).toThrow(
      /RIFF size: expected at most .*truncated/,
    );
    expect(() => decodeWav(wav({ data: samples(16, [1, 2]), riffSize: 3 }))).toThrow(
      /RIFF size: expected at least 4/,
    );
    expect(() => decodeWav(wav({ data: samples(16, [1, 2]), dataSize: 40 }))).toThrow(
      /'data' chunk size at byte 40: expected at most the 4 bytes left, got 40/,
    );
    expect(() => decodeWav(wav({ data: samples(16, [1, 2, 3]).subarray(0, 5) }))).toThrow(
      /'data' chunk size: expected a multiple of blockAlign 2, got 5/,
    );
    const inFmt = good.slice(0, 30); // cut inside the fmt chunk, RIFF size set to match
    new DataView(inFmt.buffer).setUint32(4, 22, true);
    expect(() => decodeWav(inFmt)).toThrow(
      /'fmt ' chunk size at byte 16: expected at most the 10 bytes left, got 16/,
    );
    const inHeader = good.slice(0, 40); // cut inside the data chunk's header
    new DataView(inHeader.buffer).setUint32(4, 32, true);
    expect(() => decodeWav(inHeader)).toThrow(
      /chunk header at byte 36: expected 8 bytes inside the RIFF size, got 4/,
    );
  });

  it('checks every fmt field', () => {
    const data = samples(16, [1, 2]);
    const bad: [Partial<Fixture>, RegExp][] = [
      [
        { format: 2 },
        /fmt.audioFormat: expected 1 \(PCM\), 3 \(IEEE float\) or 0xFFFE \(extensible\), got 2/,
      ],
      [{ channels: 0, blockAlign: 2 }, /fmt.numChannels: expected 1 to 64, got 0/],
      [{ rate: 0 }, /fmt.sampleRate: expected a positive rate in Hz, got 0/],
      [{ bits: 12, blockAlign: 2 }, /fmt.bitsPerSample: expected 8, 16, 24, 32 for PCM, got 12/],
      [{ format: 3, bits: 16 }, /fmt.bitsPerSample: expected 32, 64 for float, got 16/],
      [{ blockAlign: 4 }, /fmt.blockAlign: expected numChannels·bitsPerSample\/8 = 2, got 4/],
      [{ byteRate: 1 }, /fmt.byteRate: expected sampleRate·blockAlign = 16000, got 1/],
    ];
    for (const [f, msg] of bad) expect(() => decodeWav(wav({ data, ...f }))).toThrow(msg);
    const odd = wav({ data });
    new DataView(odd.buffer).setUint32(16, 14, true); // fmt chunk size
    expect(() => decodeWav(odd)).toThrow(FormatError);
  });

  it('rejects other RIFF forms, a data chunk before fmt, and a file without data', () => {
    const data = samples(16, [1]);
    const avi = wav({ data });
    avi.set([65, 86, 73, 32], 8); // 'AVI '
    expect(() => decodeWav(avi)).toThrow(/RIFF form type: expected 'WAVE', got "AVI "/);
    const rifx = wav({ data });
    rifx[3] = 88; // 'RIFX' (big-endian RIFF)
    expect(() => decodeWav(rifx)).toThrow(/RIFF id: expected 'RIFF', got "RIFX"/);
    expect(() => decodeWav(wav({ data, fmtAfterData: true }))).toThrow(
      /'data' chunk at byte 12: expected a 'fmt ' chunk before it/,
    );
    const head = wav({ data }).subarray(0, 36).slice();
    new DataView(head.buffer).setUint32(4, 28, true);
    expect(() => decodeWav(head)).toThrow(/'data' chunk: expected one in the file, got none/);
    expect(() => decodeWav(new Uint8Array(12))).toThrow(FormatError);
  });
});
