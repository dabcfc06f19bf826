import { checkInt, checkNumber, ShapeError } from '@tenzo/core';
import { checkVector } from '../argumentChecks.js';

/**
 * Uniform quantiser with exactly 2^bits levels lo, lo + Δ, …, hi (Δ = (hi − lo)/(2^bits − 1)),
 * clipping outside [lo, hi]: an ADC or a voltage DAC. In place; returns `values`.
 */
export function quantizeUniform(values: Float64Array, bits: number, lo: number, hi: number): Float64Array {
  checkVector('quantizeUniform: values', values);
  checkInt('bits', bits, { min: 1, max: 24 });
  checkNumber('lo', lo);
  checkNumber('hi', hi, { gt: lo });
  checkNumber('hi - lo', hi - lo);
  const levels = 2 ** bits - 1;
  const step = (hi - lo) / levels;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const k = v <= lo ? 0 : v >= hi ? levels : Math.round((v - lo) / step);
    values[i] = lo + k * step;
  }
  return values;
}

const TWO_PI = 2 * Math.PI;

/**
 * Phase DAC: a phase shifter driven through `bits` bits covers one period with 2^bits levels
 * k·2π/2^bits, k = 0…2^bits − 1 (phases are periodic, so the levels wrap rather than clip).
 * Writes wrapped, quantised phases in [0, 2π) into `out` (may alias `values`).
 */
export function quantizePhase(values: Float64Array, bits: number, out: Float64Array = values): Float64Array {
  checkVector('quantizePhase: values', values);
  if (checkVector('quantizePhase: out', out, false).length < values.length)
    throw new ShapeError(`quantizePhase: out expected length >= ${values.length}, got ${out.length}`);
  checkInt('bits', bits, { min: 1, max: 24 });
  const n = 2 ** bits;
  const step = TWO_PI / n;
  for (let i = 0; i < values.length; i++) {
    let k = Math.round(values[i]! / step) % n;
    if (k < 0) k += n;
    out[i] = k * step;
  }
  return out;
}
