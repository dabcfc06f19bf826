/** Shared parts of programming a device to a target W: argument checks, targets, gain and error. */

import { ArgumentError, describeValue, ShapeError } from '@tenzo/core';
import type { PhysicalDevice } from '@tenzo/devices';

/** argmin_g ‖g Y − T‖ = ⟨Y, T⟩/‖Y‖² (1 for an all-zero response: nothing to scale). */
export function bestGain(Y: Float64Array, T: Float64Array): number {
  let yt = 0;
  let yy = 0;
  for (let k = 0; k < Y.length; k++) {
    yt += Y[k]! * T[k]!;
    yy += Y[k]! * Y[k]!;
  }
  return yy > 0 ? yt / yy : 1;
}

/** ‖g Y − T‖_F / ‖T‖_F (‖g Y‖ when T = 0). */
export function relativeError(Y: Float64Array, g: number, T: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < Y.length; k++) {
    num += (g * Y[k]! - T[k]!) ** 2;
    den += T[k]! ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}

/** T = X Wᵀ (B×d_out) for X: B×d_in and W: d_out×d_in. */
export function targetsOf(X: Float64Array, W: Float64Array, dIn: number, dOut: number): Float64Array {
  const B = X.length / dIn;
  const T = new Float64Array(B * dOut);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < dOut; i++) {
      let s = 0;
      for (let j = 0; j < dIn; j++) s += X[b * dIn + j]! * W[i * dIn + j]!;
      T[b * dOut + i] = s;
    }
  return T;
}

/** W must be a finite Float64Array of d_out×d_in (row-major). */
export function checkTarget(fn: string, W: unknown, dOut: number, dIn: number): asserts W is Float64Array {
  if (!(W instanceof Float64Array) || W.length !== dOut * dIn)
    throw new ShapeError(
      `${fn}: W expected a Float64Array of d_out×d_in = ${dOut}×${dIn}, got ${describeValue(W)}${W instanceof Float64Array ? ` of length ${W.length}` : ''}`,
    );
  for (let k = 0; k < W.length; k++)
    if (!Number.isFinite(W[k]))
      throw new ArgumentError(`${fn}: W[${k}] expected a finite number, got ${W[k]}`);
}

/** Probe rows must be a non-empty finite Float64Array of rows×d_in. */
export function checkProbes(fn: string, probes: unknown, dIn: number): asserts probes is Float64Array {
  if (!(probes instanceof Float64Array) || probes.length === 0 || probes.length % dIn !== 0)
    throw new ShapeError(
      `${fn}: probes expected a Float64Array of rows×${dIn}, got ${describeValue(probes)}`,
    );
  for (let k = 0; k < probes.length; k++)
    if (!Number.isFinite(probes[k]))
      throw new ArgumentError(`${fn}: probes[${k}] expected a finite number, got ${probes[k]}`);
}

/** The d×d identity (row-major): d unit probe rows, whose answers are the matrix's columns. */
export function identity(d: number): Float64Array {
  const I = new Float64Array(d * d);
  for (let k = 0; k < d; k++) I[k * d + k] = 1;
  return I;
}

/**
 * The error meter of a programming run: one read of the probe rows P at ω gives
 * ‖g f_ω(P) − T‖_F/‖T‖_F for T = P Wᵀ, with g the least-squares gain of these outputs.
 */
export function errorMeter(
  device: PhysicalDevice,
  probes: Float64Array,
  T: Float64Array,
): (omega: Float64Array) => Promise<{ g: number; error: number }> {
  return async (omega) => {
    const Y = await device.query(probes, omega);
    const g = bestGain(Y, T);
    return { g, error: relativeError(Y, g, T) };
  };
}
