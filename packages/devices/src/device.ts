import type { Rng, StateRecord } from '@tenzo/core';
import type { QueryLedger } from './ledger.js';

/** Physical units of a device's three vector spaces, for reports and plots. */
export interface DeviceUnits {
  /** what an input entry means, e.g. 'field amplitude (a.u.)' */
  readonly input: string;
  /** what an output entry means, e.g. 'photocurrent (a.u.)' */
  readonly output: string;
  /** what a parameter entry means, e.g. 'phase (rad)', 'heater voltage (V)' */
  readonly param: string;
}

/** Box bounds on ω (inclusive); ±Infinity where a parameter is unbounded (periodic phases). */
export interface ParamBounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * The black-box contract of a physical layer (METHODS.md §1.1): y = f_ω(x) can only be queried
 * forward, on batches, asynchronously. Nothing here exposes a gradient, a transpose or A(ω).
 *
 * Shapes: X is B×inputSize row-major (B ≥ 1 inferred from the length), the result B×outputSize
 * row-major, ω has paramSize entries.
 */
export interface PhysicalDevice {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  readonly units: DeviceUnits;
  readonly bounds: ParamBounds;
  /**
   * The smallest change of ω the hardware resolves (the DAC level of its phase shifters), when it
   * is quantised; absent or null for continuous settings. A hardware spec, not a model internal:
   * zeroth-order estimators need finite-difference steps of at least this size to see anything.
   */
  readonly paramStep?: number | null;
  /** counts every query (calls, input vectors, ω reconfigurations, wall time) */
  readonly ledger: QueryLedger;
  /** a copy of the ω the device is currently set to */
  params(): Float64Array;
  /** reconfigures the device (counted in the ledger when ω changes) */
  setParams(omega: Float64Array): void;
  /** a draw from the device's initialisation distribution (does not reconfigure the device) */
  initParams(rng: Rng): Float64Array;
  /**
   * Evaluates the batch X (B×inputSize) at ω (or at the current setting when omitted); a given
   * ω becomes the device's setting, as on hardware. Resolves to B×outputSize.
   */
  query(X: Float64Array, omega?: Float64Array): Promise<Float64Array>;
  /**
   * A checkpoint of the device (`Stateful` from @tenzo/core): simulators snapshot their setting,
   * noise generator, drift and ledger. Absent on a real or remote device — its state is the
   * hardware's, which no file holds; a resumed run then continues from the device as it is.
   */
  state?(): StateRecord;
  /**
   * Restores a checkpoint written by `state()`.
   * @throws FormatError when the record does not fit this device
   */
  load?(state: StateRecord): void;
}

/**
 * The side interface simulators of (noise-free) linear devices offer for ablations and tests:
 * it is NOT part of the black-box contract and a training method that uses it is no longer
 * zeroth-order. The deterministic model is used (static fabrication errors included, per-query
 * noise, drift and ADC excluded).
 */
export interface ExactLinearAccess {
  /** A(ω) as a d_out×d_in row-major matrix */
  matrix(omega?: Float64Array): Float64Array;
  /**
   * ω̄ = (∂/∂ω) Σ_b ⟨f_ω(x_b), ȳ_b⟩, the vector-Jacobian product the ZO estimators approximate.
   * X: B×d_in, Ybar: B×d_out → paramSize.
   */
  paramVjp(X: Float64Array, Ybar: Float64Array, omega?: Float64Array): Float64Array;
}
