import type { Rng } from '@tenzo/core';

/** The noise colours `colouredNoise` generates. */
export const NOISE_COLOURS = ['white', 'pink', 'brown'] as const;
/** One of {@link NOISE_COLOURS}: white (flat spectrum), pink (−3 dB/octave) or brown (−6 dB/octave). */
export type NoiseColour = (typeof NOISE_COLOURS)[number];

/**
 * n samples of coloured Gaussian noise with unit RMS: white (flat spectrum), pink (−3 dB/octave,
 * Paul Kellet's economy filter: three one-pole sections), brown (−6 dB/octave, a leaky
 * integrator so it does not wander off). Backgrounds of these three tilts stand in for hiss,
 * room/fan noise and rumble.
 */
export function colouredNoise(n: number, colour: NoiseColour, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let brown = 0;
  for (let i = 0; i < n; i++) {
    const w = rng.normal();
    if (colour === 'white') out[i] = w;
    else if (colour === 'pink') {
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else {
      brown = 0.995 * brown + w;
      out[i] = brown;
    }
  }
  let sq = 0;
  for (let i = 0; i < n; i++) sq += out[i]! * out[i]!;
  const scale = sq > 0 ? 1 / Math.sqrt(sq / n) : 0;
  for (let i = 0; i < n; i++) out[i]! *= scale;
  return out;
}
