import { ArgumentError, checkInt, checkNumber, checkOneOf, describeValue, ShapeError } from '@tenzo/core';
import { cmvn } from './cmvn.js';
import { dctMatrix } from './dct.js';
import { deltas } from './deltas.js';
import { type MelScale, melFilterbank } from './mel.js';
import { type SpectrogramOptions, Stft } from './stft.js';

/**
 * Options of `logMelSpectrogram`: the spectrogram settings plus the sample rate (Hz), the number of mel
 * bands, the band edges (Hz), the mel scale and normalisation, and the floor applied before the log.
 */
export interface LogMelOptions extends SpectrogramOptions {
  sampleRate: number;
  nMels: number;
  /** default 0 Hz */
  fMin?: number;
  /** default sampleRate/2 */
  fMax?: number;
  /** default 'slaney' */
  melScale?: MelScale;
  /** default 'slaney' (equal-area triangles) */
  melNorm?: 'slaney' | 'none';
  /** mel energies are floored here before the natural log, so silence gives log(floor), not −∞ (default 1e-10) */
  logFloor?: number;
}

/** Options of `mfcc`: the log-mel settings plus how many cepstral coefficients to keep. */
export interface MfccOptions extends LogMelOptions {
  /** cepstral coefficients kept, c_0 … c_{nMfcc−1}, ≤ nMels (default 13) */
  nMfcc?: number;
}

/** The feature kinds `audioFeatures` computes: log-mel energies or MFCCs. */
export const FEATURE_KINDS = ['logmel', 'mfcc'] as const;
/** One of {@link FEATURE_KINDS}: `'logmel'` (ln of mel energies) or `'mfcc'` (their DCT-II). */
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/**
 * Options of `audioFeatures`: the feature kind, optional delta orders and the log-mel/MFCC settings it
 * extends.
 */
export interface AudioFeatureOptions extends MfccOptions {
  /** 'logmel': ln of mel energies (dim nMels); 'mfcc': their orthonormal DCT-II (dim nMfcc) */
  kind: FeatureKind;
  /** 0: none (default); 1: append deltas; 2: append deltas and delta-deltas (dim × 3) */
  deltaOrder?: 0 | 1 | 2;
  /** regression half-width N of the deltas (default 2) */
  deltaWidth?: number;
  /** per-utterance normalisation of every output channel: 'none' (default), 'mean', 'meanvar' */
  cmvn?: 'none' | 'mean' | 'meanvar';
}

/**
 * Log-mel or MFCC features with everything that does not depend on the signal (FFT plan,
 * window, mel filterbank, DCT matrix) built once, for extracting features of many clips.
 *
 * ```ts
 * const fx = new AudioFeatureExtractor({ kind: 'mfcc', sampleRate: 16000, nFft: 512, winLength: 400, hop: 160, nMels: 40, nMfcc: 13 });
 * const feats = fx.extract(clip); // Float32Array [fx.frameCount(clip.length), fx.dim]
 * ```
 */
export class AudioFeatureExtractor {
  readonly kind: FeatureKind;
  readonly nMels: number;
  /** values per frame: (nMels or nMfcc) × (1 + deltaOrder) */
  readonly dim: number;
  /** per-frame dimension before deltas */
  readonly baseDim: number;
  readonly deltaOrder: 0 | 1 | 2;
  private readonly stft: Stft;
  private readonly fbank: Float64Array;
  /** per mel band, the [first, last] bins where its triangle is non-zero */
  private readonly bandStart: Int32Array;
  private readonly bandEnd: Int32Array;
  private readonly dct: Float64Array | undefined;
  private readonly logFloor: number;
  private readonly deltaWidth: number;
  private readonly norm: 'none' | 'mean' | 'meanvar';

  constructor(opts: AudioFeatureOptions) {
    this.kind = checkOneOf('kind', opts.kind, FEATURE_KINDS);
    this.stft = new Stft(opts);
    this.nMels = checkInt('nMels', opts.nMels, { positive: true });
    const fbOpts = {
      nMels: this.nMels,
      nFft: opts.nFft,
      sampleRate: opts.sampleRate,
      ...(opts.fMin !== undefined && { fMin: opts.fMin }),
      ...(opts.fMax !== undefined && { fMax: opts.fMax }),
      ...(opts.melScale !== undefined && { scale: opts.melScale }),
      ...(opts.melNorm !== undefined && { norm: opts.melNorm }),
    };
    this.fbank = melFilterbank(fbOpts);
    const bins = (opts.nFft >> 1) + 1;
    this.bandStart = new Int32Array(this.nMels);
    this.bandEnd = new Int32Array(this.nMels);
    for (let m = 0; m < this.nMels; m++) {
      let a = 0;
      while (this.fbank[m * bins + a] === 0) a++;
      let b = bins - 1;
      while (this.fbank[m * bins + b] === 0) b--;
      this.bandStart[m] = a;
      this.bandEnd[m] = b;
    }
    this.logFloor = checkNumber('logFloor', opts.logFloor ?? 1e-10, { gt: 0 });
    if (this.kind === 'mfcc') {
      const nMfcc = checkInt('nMfcc', opts.nMfcc ?? 13, { positive: true });
      if (nMfcc > this.nMels) {
        throw new ArgumentError(`nMfcc: expected an integer <= nMels = ${this.nMels}, got ${nMfcc}`);
      }
      this.dct = dctMatrix(this.nMels, nMfcc);
      this.baseDim = nMfcc;
    } else {
      this.dct = undefined;
      this.baseDim = this.nMels;
    }
    const order = opts.deltaOrder ?? 0;
    if (order !== 0 && order !== 1 && order !== 2) {
      throw new ArgumentError(`deltaOrder: expected 0, 1 or 2, got ${describeValue(order)}`);
    }
    this.deltaOrder = order;
    this.deltaWidth = checkInt('deltaWidth', opts.deltaWidth ?? 2, { positive: true });
    this.norm = checkOneOf('cmvn', opts.cmvn ?? 'none', ['none', 'mean', 'meanvar'] as const);
    this.dim = this.baseDim * (1 + order);
  }

  /** Frames produced for a signal of nSamples. */
  frameCount(nSamples: number): number {
    return this.stft.frameCount(nSamples);
  }

  /** Features of one signal: [frames, dim] row-major. */
  extract(signal: ArrayLike<number>): Float32Array {
    const spec = this.stft.compute(signal);
    const { frames, bins } = spec;
    const { nMels, fbank, baseDim, dct } = this;
    const logMel = new Float64Array(nMels);
    const base = new Float32Array(frames * baseDim);
    for (let t = 0; t < frames; t++) {
      const row = t * bins;
      for (let m = 0; m < nMels; m++) {
        let e = 0;
        const w = m * bins;
        // Each triangle spans only a few bins: summing over its support is ~10× less work.
        for (let k = this.bandStart[m]!; k <= this.bandEnd[m]!; k++) e += fbank[w + k]! * spec.data[row + k]!;
        logMel[m] = Math.log(Math.max(e, this.logFloor));
      }
      if (dct) {
        for (let c = 0; c < baseDim; c++) {
          let s = 0;
          for (let m = 0; m < nMels; m++) s += dct[c * nMels + m]! * logMel[m]!;
          base[t * baseDim + c] = s;
        }
      } else {
        for (let m = 0; m < nMels; m++) base[t * baseDim + m] = logMel[m]!;
      }
    }
    let out = base;
    if (this.deltaOrder > 0) {
      const d1 = deltas(base, frames, baseDim, this.deltaWidth);
      const d2 = this.deltaOrder === 2 ? deltas(d1, frames, baseDim, this.deltaWidth) : undefined;
      out = new Float32Array(frames * this.dim);
      for (let t = 0; t < frames; t++) {
        out.set(base.subarray(t * baseDim, (t + 1) * baseDim), t * this.dim);
        out.set(d1.subarray(t * baseDim, (t + 1) * baseDim), t * this.dim + baseDim);
        if (d2) out.set(d2.subarray(t * baseDim, (t + 1) * baseDim), t * this.dim + 2 * baseDim);
      }
    }
    if (this.norm !== 'none') cmvn(out, frames, this.dim, { variance: this.norm === 'meanvar' });
    return out;
  }

  /**
   * Features of n equal-length clips stored back to back in `signals` ([n, nSamples]).
   * Returns [n, frames, dim] row-major.
   */
  extractBatch(signals: Float32Array | Float64Array, n: number): Float32Array {
    checkInt('n', n, { positive: true });
    if (signals.length % n !== 0) {
      throw new ShapeError(`signals: expected n×nSamples values with n = ${n}, got ${signals.length}`);
    }
    const nSamples = signals.length / n;
    const frames = this.frameCount(nSamples);
    const per = frames * this.dim;
    const out = new Float32Array(n * per);
    for (let i = 0; i < n; i++) {
      out.set(this.extract(signals.subarray(i * nSamples, (i + 1) * nSamples)), i * per);
    }
    return out;
  }
}

/** Natural-log mel spectrogram: [frames, nMels] row-major (Float32Array). */
export function logMelSpectrogram(
  signal: ArrayLike<number>,
  opts: LogMelOptions,
): { data: Float32Array; frames: number; nMels: number } {
  const fx = new AudioFeatureExtractor({ ...opts, kind: 'logmel' });
  const data = fx.extract(signal);
  return { data, frames: data.length / fx.dim, nMels: fx.nMels };
}

/**
 * Mel-frequency cepstral coefficients: the orthonormal DCT-II of the natural-log mel energies,
 * first nMfcc kept (librosa.feature.mfcc's structure, with ln instead of dB). [frames, nMfcc].
 */
export function mfcc(
  signal: ArrayLike<number>,
  opts: MfccOptions,
): { data: Float32Array; frames: number; nMfcc: number } {
  const fx = new AudioFeatureExtractor({ ...opts, kind: 'mfcc' });
  const data = fx.extract(signal);
  return { data, frames: data.length / fx.dim, nMfcc: fx.dim };
}
