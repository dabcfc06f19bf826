import { ArgumentError, checkInt, checkNumber, describeValue, Rng } from '@tenzo/core';
import { checkVector } from '../argumentChecks.js';
import { quantizeUniform } from './quantize.js';

/**
 * Output-side noise models, applied in order to every query's B×d_out result. All draws come
 * from the device's seeded noise generator.
 *
 * - `gaussian`: y + σ ε (additive readout noise, output units)
 * - `multiplicative`: y (1 + σ ε) (source intensity / gain fluctuation)
 * - `detector`: y + σ ε, then an ADC with exactly 2^bits levels spanning [lo, hi] (clipping outside)
 */
export type OutputNoise =
  | { readonly kind: 'gaussian'; readonly sigma: number }
  | { readonly kind: 'multiplicative'; readonly sigma: number }
  | {
      readonly kind: 'detector';
      readonly sigma: number;
      readonly bits: number;
      readonly range: readonly [number, number];
    };

/**
 * Additive output noise: every read-out value becomes y + σε, ε ~ N(0, 1).
 * @throws ArgumentError when σ is not a number ≥ 0
 */
export function gaussianNoise(sigma: number): OutputNoise {
  return { kind: 'gaussian', sigma: checkNumber('sigma', sigma, { min: 0 }) };
}

/**
 * Relative output noise: every read-out value becomes y·(1 + σε), ε ~ N(0, 1).
 * @throws ArgumentError when σ is not a number ≥ 0
 */
export function multiplicativeNoise(sigma: number): OutputNoise {
  return { kind: 'multiplicative', sigma: checkNumber('sigma', sigma, { min: 0 }) };
}

/** Detector noise (σ, output units) followed by a `bits`-bit ADC over `range`. */
export function detectorNoise(opts: {
  sigma?: number;
  bits: number;
  range: readonly [number, number];
}): OutputNoise {
  if (typeof opts !== 'object' || opts === null || !Array.isArray(opts.range) || opts.range.length !== 2)
    throw new ArgumentError(
      `detectorNoise: opts expected { sigma?, bits, range: [lo, hi] }, got ${describeValue(opts)}`,
    );
  const sigma = checkNumber('sigma', opts.sigma ?? 0, { min: 0 });
  const bits = checkInt('bits', opts.bits, { min: 1, max: 24 });
  const [lo, hi] = opts.range;
  checkNumber('range[0]', lo);
  checkNumber('range[1]', hi, { gt: lo });
  return { kind: 'detector', sigma, bits, range: [lo, hi] };
}

/** Applies the noise models in order, in place. */
export function applyOutputNoise(models: readonly OutputNoise[], y: Float64Array, rng: Rng): void {
  if (!Array.isArray(models))
    throw new ArgumentError(
      `applyOutputNoise: models expected an array of OutputNoise, got ${describeValue(models)}`,
    );
  checkVector('applyOutputNoise: y', y, false);
  if (!(rng instanceof Rng))
    throw new ArgumentError(`applyOutputNoise: rng expected an Rng, got ${describeValue(rng)}`);
  for (const m of models) {
    switch (m.kind) {
      case 'gaussian':
        if (m.sigma > 0) for (let i = 0; i < y.length; i++) y[i]! += m.sigma * rng.normal();
        break;
      case 'multiplicative':
        if (m.sigma > 0) for (let i = 0; i < y.length; i++) y[i]! *= 1 + m.sigma * rng.normal();
        break;
      case 'detector':
        if (m.sigma > 0) for (let i = 0; i < y.length; i++) y[i]! += m.sigma * rng.normal();
        quantizeUniform(y, m.bits, m.range[0], m.range[1]);
        break;
      default:
        throw new ArgumentError(`outputNoise: unknown kind ${(m as { kind: unknown }).kind as string}`);
    }
  }
}
