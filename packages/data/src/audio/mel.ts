import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkOneOf,
  checkPowerOfTwo,
  OutOfRangeError,
} from '@tenzo/core';

/** The mel scales `hzToMel`/`melToHz` and the filterbank accept. */
export const MEL_SCALES = ['htk', 'slaney'] as const;
/** 'htk': 2595·log10(1 + f/700) (O'Shaughnessy); 'slaney': linear below 1 kHz, log above (Auditory Toolbox). */
export type MelScale = (typeof MEL_SCALES)[number];

// Slaney's scale: 3 mels per 200 Hz up to 1 kHz (= 15 mel), then 27 mels per factor 6.4 of frequency.
// (Written as 3·f/200 rather than f/(200/3) so that 1 kHz maps to exactly 15.)
const SLANEY_MIN_LOG_HZ = 1000;
const SLANEY_MIN_LOG_MEL = (3 * SLANEY_MIN_LOG_HZ) / 200;
const SLANEY_LOGSTEP = Math.log(6.4) / 27;

/** Frequency in Hz → mels. HTK: mel(1000 Hz) ≈ 1000; Slaney: mel(1000 Hz) = 15. */
export function hzToMel(hz: number, scale: MelScale = 'slaney'): number {
  checkNumber('hz', hz, { min: 0 });
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  if (hz < SLANEY_MIN_LOG_HZ) return (3 * hz) / 200;
  return SLANEY_MIN_LOG_MEL + Math.log(hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOGSTEP;
}

/** Mels → frequency in Hz, the inverse of `hzToMel` for the same scale. */
export function melToHz(mel: number, scale: MelScale = 'slaney'): number {
  checkNumber('mel', mel, { min: 0 });
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel < SLANEY_MIN_LOG_MEL) return (200 * mel) / 3;
  return SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOGSTEP * (mel - SLANEY_MIN_LOG_MEL));
}

/**
 * Options of `melFilterbank`: the number of triangular filters, the FFT length they act on, the sample
 * rate and band edges (Hz), the mel scale and the area normalisation.
 */
export interface MelFilterbankOptions {
  /** number of triangular filters */
  nMels: number;
  /** FFT length (power of two); the filters act on its nFft/2 + 1 bins */
  nFft: number;
  sampleRate: number;
  /** lowest band edge in Hz (default 0) */
  fMin?: number;
  /** highest band edge in Hz, ≤ sampleRate/2 (default sampleRate/2) */
  fMax?: number;
  /** default 'slaney' (librosa's default); 'htk' for torchaudio/Kaldi-like bands */
  scale?: MelScale;
  /**
   * 'slaney' (default): each triangle scaled by 2/(f_{m+1} − f_{m−1}) so every band has the same
   * area (constant energy per Hz); 'none': peaks of height 1.
   */
  norm?: 'slaney' | 'none';
}

/**
 * Triangular mel filterbank as librosa.filters.mel builds it: nMels + 2 edges equally spaced in
 * mel between fMin and fMax; filter m rises linearly from edge m to a peak at edge m+1 and falls
 * to 0 at edge m+2, evaluated at the exact bin frequencies k·sampleRate/nFft (no rounding of
 * edges to bins, so narrow low bands do not collapse).
 *
 * Returns weights: [nMels, nFft/2 + 1] row-major (mel energies = weights · power spectrum).
 * Throws `ArgumentError` when a filter falls between two bins and would be all zero
 * (too many mels for this nFft); fMax > sampleRate/2 throws `OutOfRangeError`.
 */
export function melFilterbank(opts: MelFilterbankOptions): Float64Array {
  const nMels = checkInt('nMels', opts.nMels, { positive: true });
  const nFft = checkPowerOfTwo('nFft', opts.nFft);
  const sampleRate = checkNumber('sampleRate', opts.sampleRate, { gt: 0 });
  const nyquist = sampleRate / 2;
  const fMin = checkNumber('fMin', opts.fMin ?? 0, { min: 0 });
  const fMax = checkNumber('fMax', opts.fMax ?? nyquist, { gt: 0 });
  if (fMax > nyquist) {
    throw new OutOfRangeError(`fMax: expected a frequency <= sampleRate/2 = ${nyquist} Hz, got ${fMax}`);
  }
  if (fMin >= fMax) throw new OutOfRangeError(`fMin: expected a frequency < fMax = ${fMax} Hz, got ${fMin}`);
  const scale = checkOneOf('scale', opts.scale ?? 'slaney', MEL_SCALES);
  const norm = checkOneOf('norm', opts.norm ?? 'slaney', ['slaney', 'none'] as const);

  const bins = (nFft >> 1) + 1;
  const lo = hzToMel(fMin, scale);
  const hi = hzToMel(fMax, scale);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = melToHz(lo + ((hi - lo) * i) / (nMels + 1), scale);

  const weights = new Float64Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const left = edges[m]!;
    const centre = edges[m + 1]!;
    const right = edges[m + 2]!;
    const gain = norm === 'slaney' ? 2 / (right - left) : 1;
    let any = false;
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRate) / nFft;
      const rise = (f - left) / (centre - left);
      const fall = (right - f) / (right - centre);
      const w = Math.max(0, Math.min(rise, fall));
      if (w > 0) any = true;
      weights[m * bins + k] = w * gain;
    }
    if (!any) {
      throw new ArgumentError(
        `nMels: mel band ${m} (${left.toFixed(1)}–${right.toFixed(1)} Hz) falls between FFT bins ${(sampleRate / nFft).toFixed(1)} Hz apart; use fewer mels or a larger nFft, got nMels = ${nMels}, nFft = ${nFft}`,
      );
    }
  }
  return weights;
}
