import { FormatError } from '@tenzo/core';

/** Mono 16-bit PCM from a RIFF/WAVE file: samples scaled to [−1, 1). */
export interface PcmAudio {
  samples: Float32Array;
  sampleRate: number;
}

/**
 * Parses a RIFF/WAVE file holding mono 16-bit PCM (what eSpeak NG writes), walking the chunk list
 * rather than assuming a 44-byte header. Throws `FormatError` for anything else.
 */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new FormatError(
      `wav: expected a RIFF/WAVE header, got ${JSON.stringify(tag(0))} (${bytes.length} bytes)`,
    );
  }
  let sampleRate = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      const format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const bits = view.getUint16(body + 14, true);
      if (format !== 1 || channels !== 1 || bits !== 16) {
        throw new FormatError(
          `wav: expected mono 16-bit PCM, got format ${format}, ${channels} channels, ${bits} bits`,
        );
      }
      sampleRate = view.getUint32(body + 4, true);
    } else if (id === 'data') {
      if (sampleRate === 0) throw new FormatError('wav: expected a fmt chunk before the data chunk');
      // A streaming writer may leave the size unset (0 or 0x7fffffff): take what the file holds.
      const n = Math.floor(Math.min(size, bytes.length - body) / 2);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = view.getInt16(body + 2 * i, true) / 32768;
      return { samples, sampleRate };
    }
    at = body + size + (size & 1);
  }
  throw new FormatError('wav: expected a data chunk, found none');
}
