import {
  ArgumentError,
  checkInt,
  checkOneOf,
  checkPowerOfTwo,
  describeValue,
  RealFftPlan,
} from '@tenzo/core';
import { copyFrame, type FramingOptions, frameCount } from './frames.js';
import { checkSignal } from './signal.js';
import { WINDOW_NAMES, type WindowName, windowFunction } from './window.js';

/**
 * Options of the short-time Fourier transform: FFT length (a power of two), hop and analysis-frame length
 * in samples, the window, centring, and power (|X|²) or magnitude.
 */
export interface SpectrogramOptions {
  /** FFT length, a power of two; gives nFft/2 + 1 frequency bins */
  nFft: number;
  /** hop between frames, in samples */
  hop: number;
  /**
   * Samples per analysis frame (≤ nFft, default nFft). A frame of winLength samples is windowed
   * and zero-padded at its end to nFft (tf.signal.stft's and Kaldi's convention), so a 25 ms
   * frame at 16 kHz (400 samples) uses nFft = 512.
   */
  winLength?: number;
  /** analysis window, periodic form (default 'hann') */
  window?: WindowName;
  /** centre frames on t·hop by zero-padding winLength/2 each side (default false) */
  center?: boolean;
  /** 2: power |X|² (default); 1: magnitude |X| */
  power?: 1 | 2;
}

/** A spectrogram: data [frames, bins] row-major, bins = nFft/2 + 1. */
export interface Spectrogram {
  data: Float64Array;
  frames: number;
  bins: number;
}

/**
 * The short-time Fourier transform's magnitude or power, with the FFT plan, window and buffers
 * built once and reused for every frame and every signal.
 */
export class Stft {
  readonly nFft: number;
  readonly bins: number;
  readonly hop: number;
  readonly winLength: number;
  readonly center: boolean;
  readonly power: 1 | 2;
  private readonly plan: RealFftPlan;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly padded: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(opts: SpectrogramOptions) {
    this.nFft = checkPowerOfTwo('nFft', opts.nFft);
    this.hop = checkInt('hop', opts.hop, { positive: true });
    this.winLength = checkInt('winLength', opts.winLength ?? this.nFft, { positive: true });
    if (this.winLength > this.nFft) {
      throw new ArgumentError(`winLength: expected an integer <= nFft = ${this.nFft}, got ${this.winLength}`);
    }
    const power = opts.power ?? 2;
    if (power !== 1 && power !== 2)
      throw new ArgumentError(`power: expected 1 or 2, got ${describeValue(power)}`);
    this.power = power;
    this.center = opts.center ?? false;
    this.window = windowFunction(checkOneOf('window', opts.window ?? 'hann', WINDOW_NAMES), this.winLength);
    this.plan = new RealFftPlan(this.nFft);
    this.bins = this.plan.bins;
    this.frame = new Float64Array(this.winLength);
    this.padded = new Float64Array(this.nFft);
    this.re = new Float64Array(this.bins);
    this.im = new Float64Array(this.bins);
  }

  private framing(): FramingOptions {
    return { frameLength: this.winLength, hop: this.hop, center: this.center };
  }

  /** Frames a signal of nSamples yields (throws `ShapeError` if shorter than one frame). */
  frameCount(nSamples: number): number {
    return frameCount(nSamples, this.framing());
  }

  /** data: [frames, bins] row-major, |X_k|^power of each windowed frame. */
  compute(signal: ArrayLike<number>): Spectrogram {
    checkSignal('signal', signal);
    const framing = this.framing();
    const frames = frameCount(signal.length, framing);
    const { bins, frame, padded, re, im, window } = this;
    const data = new Float64Array(frames * bins);
    for (let t = 0; t < frames; t++) {
      copyFrame(signal, t, framing, frame);
      for (let j = 0; j < frame.length; j++) padded[j] = frame[j]! * window[j]!;
      this.plan.forward(padded, re, im);
      const row = t * bins;
      for (let k = 0; k < bins; k++) {
        const p = re[k]! * re[k]! + im[k]! * im[k]!;
        data[row + k] = this.power === 2 ? p : Math.sqrt(p);
      }
    }
    return { data, frames, bins };
  }
}

/**
 * Power (|X|², default) or magnitude spectrogram of a signal: data [frames, nFft/2 + 1].
 * Unnormalised like numpy.fft.rfft: a full-scale sine of amplitude A at bin k under a
 * rectangular window gives |X_k| = A·nFft/2.
 */
export function powerSpectrogram(signal: ArrayLike<number>, opts: SpectrogramOptions): Spectrogram {
  return new Stft(opts).compute(signal);
}
