import { checkNumber, OutOfRangeError, ShapeError } from '@tenzo/core';
import { checkCoefficient, checkVector } from '../argumentChecks.js';
/**
 * Microring transmission formulas (Bogaerts et al., "Silicon microring resonators", 2012).
 * φ is the round-trip phase (detuning from resonance: φ = 0 on resonance, period 2π),
 * a the single-pass amplitude transmission (loss), r (r1, r2) the self-coupling coefficients.
 */

/**
 * All-pass ring, field amplitude at the through port:
 *   t(φ) = sqrt((a² + r² − 2ar cos φ) / (1 + a²r² − 2ar cos φ)).
 * The reference uses a = 0.8, r = 0.9 (t ∈ [0.357, 0.988]).
 */
export function allPassTransmission(phi: number, a: number, r: number): number {
  checkRing('allPassTransmission', phi, a, r);
  const c = 2 * a * r * Math.cos(phi);
  return Math.sqrt((a * a + r * r - c) / (1 + a * a * r * r - c));
}

/** dt/dφ of {@link allPassTransmission}: N' = D' = 2ar sin φ, so t' = ar sin φ (D − N) / (t D²). */
export function allPassTransmissionDerivative(phi: number, a: number, r: number): number {
  checkRing('allPassTransmissionDerivative', phi, a, r);
  const c = 2 * a * r * Math.cos(phi);
  const N = a * a + r * r - c;
  const D = 1 + a * a * r * r - c;
  const t = Math.sqrt(N / D);
  // |t| has a kink at its zero (critical coupling on resonance): no derivative there
  if (t === 0)
    throw new OutOfRangeError(
      `allPassTransmissionDerivative: the transmission is 0 at phi = ${phi}, a = ${a}, r = ${r}, where its derivative is undefined`,
    );
  return (a * r * Math.sin(phi) * (D - N)) / (t * D * D);
}

/**
 * Add-drop ring, power transmissions at the through and drop ports:
 *   T_through = (r2²a² − 2 r1 r2 a cos φ + r1²) / D,  T_drop = (1 − r1²)(1 − r2²) a / D,
 *   D = 1 − 2 r1 r2 a cos φ + (r1 r2 a)².
 * Writes [T_through, T_drop, dT_through/dφ, dT_drop/dφ] into `out`.
 */
export function addDropTransmission(
  phi: number,
  a: number,
  r1: number,
  r2: number,
  out: Float64Array,
): Float64Array {
  checkRing('addDropTransmission', phi, a, r1);
  checkCoefficient('addDropTransmission: r2', r2);
  if (checkVector('addDropTransmission: out', out, false).length < 2)
    throw new ShapeError(`addDropTransmission: out expected length >= 2, got ${out.length}`);
  const k = r1 * r2 * a;
  const c = 2 * k * Math.cos(phi);
  const s = 2 * k * Math.sin(phi);
  const D = 1 - c + k * k;
  const Nt = r2 * r2 * a * a - c + r1 * r1;
  const K = (1 - r1 * r1) * (1 - r2 * r2) * a;
  out[0] = Nt / D;
  out[1] = K / D;
  out[2] = (s * (D - Nt)) / (D * D);
  out[3] = (-K * s) / (D * D);
  return out;
}

/**
 * φ finite; a, r in [0, 1]; and not a = r = 1 (a lossless ring critically coupled to itself:
 * 0/0 on resonance).
 */
function checkRing(op: string, phi: number, a: number, r: number): void {
  checkNumber(`${op}: phi`, phi);
  checkCoefficient(`${op}: a`, a);
  checkCoefficient(`${op}: r`, r);
  if (a * r === 1)
    throw new OutOfRangeError(`${op}: a·r expected < 1 (a = r = 1 has no defined transmission)`);
}
