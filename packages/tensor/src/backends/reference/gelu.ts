import { erf } from './erf.js';

// GELU and its derivative, one element at a time: the reference maps them over tensors and the
// fast backend runs them in its own loops, so both give the same bits.

const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** x·Φ(x) (exact, erf form) or its tanh approximation (GPT-2's). */
export function gelu(x: number, tanhApprox: boolean): number {
  if (tanhApprox) return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + erf(x * INV_SQRT_2));
}

/** d gelu / dx for the exact (erf) and tanh-approximated forms. */
export function geluDerivative(x: number, tanhApprox: boolean): number {
  if (tanhApprox) {
    const u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
    const t = Math.tanh(u);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
  }
  return 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
