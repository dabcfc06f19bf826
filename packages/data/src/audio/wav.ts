import { ArgumentError, describeValue, FormatError } from '@tenzo/core';

/** How a WAVE file stores its samples: integer PCM (WAVE_FORMAT_PCM) or IEEE float. */
export type WavEncoding = 'pcm' | 'float';

/** Decoded audio: one Float32Array per channel, integer PCM scaled to [−1, 1). */
export interface WavAudio {
  sampleRate: number;
  encoding: WavEncoding;
  /** bits per sample in the file: 8, 16, 24 or 32 (PCM); 32 or 64 (float) */
  bitsPerSample: number;
  /** samples per channel */
  length: number;
  /** channel c's samples; `channels.length` is the file's channel count */
  channels: Float32Array[];
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 64;

function fail(field: string, expected: string, got: unknown): FormatError {
  return new FormatError(`decodeWav: ${field}: expected ${expected}, got ${String(got)}`);
}

interface Fmt {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

/** The fmt chunk (16, 18 or 40 bytes), every field checked against the others. */
function readFmt(view: DataView, body: number, size: number): Fmt {
  if (size !== 16 && size !== 18 && size !== 40) throw fail('fmt chunk size', '16, 18 or 40 bytes', size);
  let tag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const byteRate = view.getUint32(body + 8, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bits = view.getUint16(body + 14, true);
  if (tag === EXTENSIBLE) {
    if (size !== 40) throw fail('fmt chunk size of WAVE_FORMAT_EXTENSIBLE', '40 bytes', size);
    const cbSize = view.getUint16(body + 16, true);
    if (cbSize !== 22) throw fail('fmt.cbSize of WAVE_FORMAT_EXTENSIBLE', '22', cbSize);
    const validBits = view.getUint16(body + 18, true);
    if (validBits !== bits) throw fail('fmt.validBitsPerSample', `bitsPerSample ${bits}`, validBits);
    // the sub-format GUID's first two bytes are the format tag; the rest is the fixed KSDATAFORMAT suffix
    tag = view.getUint16(body + 24, true);
  }
  if (tag !== PCM && tag !== FLOAT)
    throw fail('fmt.audioFormat', '1 (PCM), 3 (IEEE float) or 0xFFFE (extensible)', tag);
  const encoding: WavEncoding = tag === PCM ? 'pcm' : 'float';
  if (channels < 1 || channels > MAX_CHANNELS)
    throw fail('fmt.numChannels', `1 to ${MAX_CHANNELS}`, channels);
  if (sampleRate < 1) throw fail('fmt.sampleRate', 'a positive rate in Hz', sampleRate);
  const allowed = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!allowed.includes(bits))
    throw fail(
      'fmt.bitsPerSample',
      `${allowed.join(', ')} for ${encoding === 'pcm' ? 'PCM' : 'float'}`,
      bits,
    );
  const want = (channels * bits) / 8;
  if (blockAlign !== want) throw fail('fmt.blockAlign', `numChannels·bitsPerSample/8 = ${want}`, blockAlign);
  if (byteRate !== sampleRate * blockAlign)
    throw fail('fmt.byteRate', `sampleRate·blockAlign = ${sampleRate * blockAlign}`, byteRate);
  return { encoding, channels, sampleRate, blockAlign, bits };
}

/** One sample at byte `at` as a float: integers scaled by 2^(bits−1) (8-bit PCM is unsigned). */
function sampleReader(view: DataView, f: Fmt): (at: number) => number {
  if (f.encoding === 'float')
    return f.bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (f.bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at + 2) << 24) | (view.getUint16(at, true) << 8)) / 2147483648;
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/**
 * Decodes a RIFF/WAVE file: integer PCM (8-bit unsigned, 16/24/32-bit signed) or IEEE float
 * (32/64-bit), any channel count, plain or WAVE_FORMAT_EXTENSIBLE. Walks the chunk list (unknown
 * chunks such as LIST are skipped, odd sizes padded) and checks every header field: the RIFF size
 * against the file, the fmt fields against each other (blockAlign = channels·bits/8, byteRate =
 * rate·blockAlign), one fmt chunk before the data, the data size a whole number of frames that
 * the file holds. Anything else throws `FormatError` naming the field, the expectation and the value.
 *
 * ```ts
 * const { sampleRate, channels } = decodeWav(readFileSync('speech.wav'));
 * const mono = channels[0]; // Float32Array in [−1, 1)
 * ```
 */
export function decodeWav(bytes: Uint8Array): WavAudio {
  if (!(bytes instanceof Uint8Array))
    throw new ArgumentError(`decodeWav: bytes: expected a Uint8Array, got ${describeValue(bytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12) throw fail('file', 'a RIFF/WAVE header of 12 bytes', `${bytes.length} bytes`);
  if (tag(0) !== 'RIFF') throw fail('RIFF id', "'RIFF'", JSON.stringify(tag(0)));
  if (tag(8) !== 'WAVE') throw fail('RIFF form type', "'WAVE'", JSON.stringify(tag(8)));
  const riffSize = view.getUint32(4, true);
  if (riffSize + 8 > bytes.length)
    throw fail('RIFF size', `at most the file's ${bytes.length} − 8 bytes (truncated file?)`, riffSize);
  if (riffSize < 4) throw fail('RIFF size', 'at least 4 bytes', riffSize);
  const end = 8 + riffSize;
  let fmt: Fmt | null = null;
  let at = 12;
  while (at < end) {
    if (at + 8 > end) throw fail(`chunk header at byte ${at}`, '8 bytes inside the RIFF size', end - at);
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > end)
      throw fail(`'${id}' chunk size at byte ${at + 4}`, `at most the ${end - body} bytes left`, size);
    if (id === 'fmt ') {
      if (fmt !== null) throw fail(`'fmt ' chunk at byte ${at}`, 'one fmt chunk', 'a second');
      fmt = readFmt(view, body, size);
    } else if (id === 'data') {
      if (fmt === null) throw fail(`'data' chunk at byte ${at}`, "a 'fmt ' chunk before it", 'none');
      if (size % fmt.blockAlign !== 0)
        throw fail("'data' chunk size", `a multiple of blockAlign ${fmt.blockAlign}`, size);
      const length = size / fmt.blockAlign;
      const read = sampleReader(view, fmt);
      const bytesPerSample = fmt.bits / 8;
      const channels = Array.from({ length: fmt.channels }, (_, c) => {
        const out = new Float32Array(length);
        for (let i = 0; i < length; i++) out[i] = read(body + i * fmt!.blockAlign + c * bytesPerSample);
        return out;
      });
      return {
        sampleRate: fmt.sampleRate,
        encoding: fmt.encoding,
        bitsPerSample: fmt.bits,
        length,
        channels,
      };
    }
    at = body + size + (size & 1);
  }
  throw fail("'data' chunk", 'one in the file', fmt === null ? "none (and no 'fmt ' chunk)" : 'none');
}

/**
 * A canonical 44-byte-header WAVE file of mono 16-bit PCM: `samples` in [−1, 1) scaled by 32768,
 * rounded and clipped to the int16 range (a NaN or ±∞ sample is an `ArgumentError`). `decodeWav`
 * reads it back exactly to 1/32768.
 *
 * ```ts
 * writeFileSync('tone.wav', encodePcm16Wav(new Float32Array(16000), 16000)); // 1 s of silence
 * ```
 */
export function encodePcm16Wav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!(samples instanceof Float32Array))
    throw new ArgumentError(
      `encodePcm16Wav: samples: expected a Float32Array, got ${describeValue(samples)}`,
    );
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffffff / 2)
    throw new ArgumentError(
      `encodePcm16Wav: sampleRate: expected a positive integer, got ${describeValue(sampleRate)}`,
    );
  const out = new Uint8Array(44 + 2 * samples.length);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, PCM, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, 2 * sampleRate, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, 2 * samples.length, true);
  for (let j = 0; j < samples.length; j++) {
    const x = samples[j]!;
    if (!Number.isFinite(x))
      throw new ArgumentError(`encodePcm16Wav: samples[${j}]: expected a finite number, got ${x}`);
    v.setInt16(44 + 2 * j, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true);
  }
  return out;
}
