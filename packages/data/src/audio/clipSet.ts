import { checkInt, checkNumber, checkObject, FormatError } from '@tenzo/core';
import { AudioFeatureExtractor, type AudioFeatureOptions } from './features.js';
import { resample } from './resample.js';
import type { WavAudio } from './wav.js';

/** The shared options of the audio folder loaders. */
export interface ClipOptions {
  /** target sample rate in Hz; other rates are resampled (default 16000) */
  sampleRate?: number;
  /** clip length in seconds: shorter clips are zero-padded at the end, longer ones keep their start */
  seconds: number;
  /** features instead of waveforms: `AudioFeatureExtractor` options (its `sampleRate` is the target rate) */
  features?: Omit<AudioFeatureOptions, 'sampleRate'>;
}

/** One split: x [n, ...itemShape] row-major, labels n, the source file of each row. */
export interface ClipSplit {
  n: number;
  x: Float32Array;
  labels: Int32Array;
  files: string[];
}

/** A decoded folder of clips. `itemShape`: [nSamples] for waveforms, [frames, dim] for features. */
export interface ClipDataset<S extends string> {
  classNames: string[];
  sampleRate: number;
  /** samples per clip after padding or cropping */
  nSamples: number;
  itemShape: number[];
  splits: Record<S, ClipSplit>;
}

/**
 * Decoded WAVs → fixed-length mono clips at one rate (channels averaged, `resample`d, padded or
 * cropped), optionally → features; each split's rows are written into one preallocated array,
 * so a file's audio is dropped as soon as its row is written.
 */
export class ClipWriter {
  readonly sampleRate: number;
  readonly nSamples: number;
  readonly itemShape: number[];
  private readonly fx: AudioFeatureExtractor | undefined;

  constructor(fn: string, opts: ClipOptions) {
    this.sampleRate = checkInt(`${fn}: sampleRate`, opts.sampleRate ?? 16000, { positive: true });
    const seconds = checkNumber(`${fn}: seconds`, opts.seconds, { gt: 0, max: 3600 });
    this.nSamples = checkInt(`${fn}: seconds·sampleRate`, Math.round(seconds * this.sampleRate), {
      positive: true,
    });
    if (opts.features !== undefined) checkObject(`${fn}: features`, opts.features);
    this.fx = opts.features && new AudioFeatureExtractor({ ...opts.features, sampleRate: this.sampleRate });
    this.itemShape = this.fx ? [this.fx.frameCount(this.nSamples), this.fx.dim] : [this.nSamples];
  }

  /** An empty split of n rows. */
  split(n: number): ClipSplit {
    const size = this.itemShape.reduce((a, b) => a * b, 1);
    return { n, x: new Float32Array(n * size), labels: new Int32Array(n), files: new Array<string>(n) };
  }

  /** Writes `wav` (read from `file`) as row `row` of `split`. */
  write(split: ClipSplit, row: number, wav: WavAudio, label: number, file: string): void {
    if (wav.length === 0) throw new FormatError(`${file}: expected audio samples, got an empty data chunk`);
    let mono = wav.channels[0]!;
    if (wav.channels.length > 1) {
      mono = new Float32Array(wav.length);
      for (const ch of wav.channels)
        for (let j = 0; j < wav.length; j++) mono[j] = mono[j]! + ch[j]! / wav.channels.length;
    }
    const at = wav.sampleRate === this.sampleRate ? mono : resample(mono, wav.sampleRate / this.sampleRate);
    const clip = new Float32Array(this.nSamples);
    clip.set(at.subarray(0, this.nSamples));
    const size = split.x.length / split.n;
    split.x.set(this.fx ? this.fx.extract(clip) : clip, row * size);
    split.labels[row] = label;
    split.files[row] = file;
  }
}
