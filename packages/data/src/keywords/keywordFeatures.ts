import { checkInt, checkNumber, isPowerOfTwo } from '@tenzo/core';
import { AudioFeatureExtractor, type AudioFeatureOptions, type FeatureKind } from '../audio/features.js';
import type { KeywordAudio } from './keywordAudio.js';

/**
 * How keyword clips become features: log-mel or MFCC, mel bands and cepstra, analysis frame and hop
 * (seconds), the lowest band edge (Hz), deltas and per-utterance normalisation.
 */
export interface KeywordFeatureOptions {
  /** 'logmel' (default) or 'mfcc' */
  features?: FeatureKind;
  /** mel bands (default 40) */
  nMels?: number;
  /** cepstra kept for 'mfcc' (default 13) */
  nMfcc?: number;
  /** analysis frame in seconds (default 0.025); the FFT is the next power of two */
  winSeconds?: number;
  /** hop in seconds (default 0.010: 98 frames per second-long clip) */
  hopSeconds?: number;
  /** lowest mel band edge in Hz (default 20) */
  fMin?: number;
  /** append deltas (1) or deltas and delta-deltas (2); default 0 */
  deltaOrder?: 0 | 1 | 2;
  /** per-utterance normalisation of each feature channel (default 'mean': removes the level and the
   * channel's tilt, a constant in log spectra, and keeps how each band moves over time) */
  cmvn?: 'none' | 'mean' | 'meanvar';
}

/** Feature sequences of one split: x [n, frames, features] row-major. */
export interface KeywordFeatureSplit {
  n: number;
  x: Float32Array;
  labels: Int32Array;
  /** speaker variant per clip, an index into `voices.train` or `voices.test` */
  speaker: Int32Array;
}

/**
 * Spoken keywords as features: class names, frames and features per clip, and the training and test
 * examples (flat `[count, frames·features]` rows with their labels).
 */
export interface KeywordDataset {
  classNames: string[];
  /** frames per clip */
  frames: number;
  /** values per frame (nMels or nMfcc, × (1 + deltaOrder)) */
  features: number;
  train: KeywordFeatureSplit;
  test: KeywordFeatureSplit;
  /** speaker variants of each split; disjoint, so test accuracy is on unseen voices */
  voices: { train: string[]; test: string[] };
  /** one line naming the data, for reports */
  source: string;
  /** the waveforms and how they were obtained (cache path, generation time) */
  audio: KeywordAudio;
}

/**
 * The `AudioFeatureExtractor` options of {@link keywordFeatures} at `sampleRate` Hz: frame and hop
 * in samples (rounded), the FFT the next power of two ≥ the frame, and the defaults of
 * {@link KeywordFeatureOptions} filled in — so clips from other sources (audio folders) get the
 * keyword task's exact features.
 *
 * ```ts
 * keywordFeatureExtractorOptions(16000, { features: 'mfcc' });
 * // { kind: 'mfcc', sampleRate: 16000, nFft: 512, winLength: 400, hop: 160, nMels: 40, nMfcc: 13, … }
 * ```
 */
export function keywordFeatureExtractorOptions(
  sampleRate: number,
  opts: KeywordFeatureOptions = {},
): AudioFeatureOptions {
  const sr = sampleRate;
  const winLength = Math.round(sr * checkNumber('winSeconds', opts.winSeconds ?? 0.025, { gt: 0, max: 1 }));
  const hopSeconds = checkNumber('hopSeconds', opts.hopSeconds ?? 0.01, { gt: 0, max: 1 });
  const hop = checkInt('hop', Math.round(sr * hopSeconds), { positive: true });
  let nFft = 1;
  while (nFft < winLength || !isPowerOfTwo(nFft)) nFft *= 2;
  return {
    kind: opts.features ?? 'logmel',
    sampleRate: sr,
    nFft,
    winLength,
    hop,
    nMels: opts.nMels ?? 40,
    nMfcc: opts.nMfcc ?? 13,
    fMin: opts.fMin ?? 20,
    deltaOrder: opts.deltaOrder ?? 0,
    cmvn: opts.cmvn ?? 'mean',
  };
}

/**
 * Keyword clips as features ready for a classifier: log-mel spectrograms or MFCCs of every clip
 * with `AudioFeatureExtractor` (Hann window, Slaney mel bands, ln energies, per-utterance mean
 * normalisation by default). `synthesizer` names the engine in `source`.
 */
export function keywordFeatures(
  audio: KeywordAudio,
  opts: KeywordFeatureOptions = {},
  synthesizer = 'synthesized',
): KeywordDataset {
  const sr = audio.sampleRate;
  const kind = opts.features ?? 'logmel';
  const fx = new AudioFeatureExtractor(keywordFeatureExtractorOptions(sr, opts));
  const frames = fx.frameCount(audio.nSamples);
  const featurize = (split: KeywordAudio['train']): KeywordFeatureSplit => {
    const per = frames * fx.dim;
    const x = new Float32Array(split.n * per);
    const clip = new Float32Array(audio.nSamples);
    for (let i = 0; i < split.n; i++) {
      const s = split.samples.subarray(i * audio.nSamples, (i + 1) * audio.nSamples);
      for (let j = 0; j < clip.length; j++) clip[j] = s[j]! / 32768;
      x.set(fx.extract(clip), i * per);
    }
    return { n: split.n, x, labels: split.labels, speaker: split.speaker };
  };
  const K = audio.classNames.length;
  return {
    classNames: audio.classNames,
    frames,
    features: fx.dim,
    train: featurize(audio.train),
    test: featurize(audio.test),
    voices: audio.voices,
    source:
      `${synthesizer} keywords: ${K} classes, ${audio.train.n / K}+${audio.test.n / K} clips per class, ` +
      `${audio.voices.train.length} train / ${audio.voices.test.length} test voices, ${sr} Hz, ${kind} ${frames}×${fx.dim}`,
    audio,
  };
}
