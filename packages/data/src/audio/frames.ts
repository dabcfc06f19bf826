import { checkInt, ShapeError } from '@tenzo/core';
import { checkSignal } from './signal.js';

/**
 * How a signal is cut into frames: frame length and hop in samples, and whether frames are centred on
 * t·hop (zero-padded on both sides, librosa's center=True) or start at t·hop.
 */
export interface FramingOptions {
  /** samples per frame */
  frameLength: number;
  /** samples between the starts of consecutive frames */
  hop: number;
  /**
   * Pad floor(frameLength/2) zeros on both sides so frame t is centred on sample t·hop
   * (librosa's center=True with zero padding). Default false: frame t starts at sample t·hop
   * (Kaldi, tf.signal.frame).
   */
  center?: boolean;
}

/**
 * Number of frames: 1 + ⌊(N' − frameLength)/hop⌋ with N' = N (+ 2⌊frameLength/2⌋ when centred);
 * a trailing partial frame is dropped. Throws `ShapeError` when not even one frame fits.
 */
export function frameCount(nSamples: number, opts: FramingOptions): number {
  checkInt('nSamples', nSamples);
  const frameLength = checkInt('frameLength', opts.frameLength, { positive: true });
  const hop = checkInt('hop', opts.hop, { positive: true });
  const padded = nSamples + (opts.center ? 2 * (frameLength >> 1) : 0);
  if (padded < frameLength) {
    throw new ShapeError(
      `signal: expected at least frameLength = ${frameLength} samples${opts.center ? ' after centre padding' : ''}, got ${nSamples}`,
    );
  }
  return 1 + Math.floor((padded - frameLength) / hop);
}

/**
 * Cuts a signal into overlapping frames. Returns data: [frames, frameLength] row-major (copies;
 * samples outside the signal, from centre padding, are 0).
 */
export function frameSignal(
  signal: ArrayLike<number>,
  opts: FramingOptions,
): { data: Float64Array; frames: number; frameLength: number } {
  checkSignal('signal', signal);
  const frames = frameCount(signal.length, opts);
  const { frameLength } = opts;
  const data = new Float64Array(frames * frameLength);
  for (let t = 0; t < frames; t++)
    copyFrame(signal, t, opts, data.subarray(t * frameLength, (t + 1) * frameLength));
  return { data, frames, frameLength };
}

/** Writes frame t (length out.length = frameLength) of the signal into out, zero outside it. */
export function copyFrame(
  signal: ArrayLike<number>,
  t: number,
  opts: FramingOptions,
  out: Float64Array,
): void {
  const frameLength = out.length;
  const start = t * opts.hop - (opts.center ? frameLength >> 1 : 0);
  for (let j = 0; j < frameLength; j++) {
    const i = start + j;
    out[j] = i >= 0 && i < signal.length ? signal[i]! : 0;
  }
}
