import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkObject,
  checkOneOf,
  describeValue,
  Rng,
  ShapeError,
} from '@tenzo/core';
import type { PhysicalDevice } from '@tenzo/devices';
import { Adam, Parameter } from '@tenzo/nn';
import { layerParamGrad } from '@tenzo/zo';
import type { PhysicalLayer } from '../physicalLayer.js';
import { bestGain, checkProbes, checkTarget, relativeError, targetsOf } from './fit.js';

/**
 * Options of `programDevice`: the `Rng`, Adam steps and step size on ω, probes per step, the ZO
 * settings, the probe inputs, the start ω and a per-step callback.
 */
export interface ProgramDeviceOptions {
  readonly rng: Rng;
  /** Adam steps on ω (default 300) */
  readonly steps?: number;
  /** probe rows per step (default 64) */
  readonly batch?: number;
  /** ZO directions per step (default 32) */
  readonly q?: number;
  /** finite-difference step μ (default max(1e-3, the device's paramStep)) */
  readonly mu?: number;
  /** Adam's step size on ω (default 2e-2) */
  readonly lr?: number;
  /**
   * the inputs the layer will see (rows×d_in, e.g. the activations a trained network feeds it):
   * each step samples `batch` of them; default N(0, 1) rows
   */
  readonly probes?: Float64Array;
  /** where ω starts (default a draw from the device's initialisation distribution) */
  readonly omega?: Float64Array;
  /** 'projected' uses a simulator's exact projected query for the ZO directions (see layerParamGrad) */
  readonly simulation?: 'materialised' | 'projected';
  /** where projected directions run (a ZoExecutor of @tenzo/devices) */
  readonly executor?: unknown;
  /** called after every step with its index and its batch's relative error */
  readonly onStep?: (s: { readonly step: number; readonly error: number }) => void;
}

/**
 * What `programDevice` returns: the programmed ω, the output gain, the programming error at the
 * start and the end, the per-step errors and the device queries spent.
 */
export interface ProgramResult {
  /** the programmed setting (the device is left set to it) */
  readonly omega: Float64Array;
  /** the output gain g of `PhysicalLayer`'s: g·f_ω(x) ≈ W x (least squares on a calibration batch) */
  readonly gain: number;
  /**
   * the programming error ‖g f_ω(P) − P Wᵀ‖_F / ‖P Wᵀ‖_F on held-out probe rows, at the start
   * (its own best gain) and at the end
   */
  readonly initialError: number;
  readonly error: number;
  /** the relative error of each step's batch, before its update */
  readonly history: readonly number[];
  /** device queries the programming cost */
  readonly queries: { readonly calls: number; readonly inputs: number };
}

/**
 * Programs a black-box device to approximate a given linear layer W (d_out×d_in, row-major), the
 * pretrained start of astralora's `load_digital`: least squares on ω from device queries only,
 *   min_{ω, g} ‖g f_ω(X) − X Wᵀ‖²_F,
 * with the gain g solved in closed form each step (variable projection: g = ⟨f, T⟩/‖f‖²) and ω
 * moved by Adam on the paper's ZO estimate of ω̄ for the output cotangent g(g f − T)/B. Works on
 * any `PhysicalDevice`, a remote one included; the simulators' projected query makes it cheap.
 * The result is reported, never assumed: a device family that cannot represent W (a unitary mesh
 * for a non-orthogonal W, phases within a limited range) ends with a large `error`.
 */
export async function programDevice(
  device: PhysicalDevice,
  W: Float64Array,
  opts: ProgramDeviceOptions,
): Promise<ProgramResult> {
  const fn = 'programDevice';
  if (typeof device !== 'object' || device === null || typeof device.query !== 'function')
    throw new ArgumentError(`${fn}: device expected a PhysicalDevice, got ${describeValue(device)}`);
  checkObject(`${fn}: options`, opts);
  if (!(opts.rng instanceof Rng))
    throw new ArgumentError(`${fn}: rng expected an Rng, got ${describeValue(opts.rng)}`);
  const { inputSize: dIn, outputSize: dOut, paramSize: p } = device;
  checkTarget(fn, W, dOut, dIn);
  const steps = checkInt(`${fn}: steps`, opts.steps ?? 300, { min: 0, max: 1e7 });
  const batch = checkInt(`${fn}: batch`, opts.batch ?? 64, { positive: true, max: 1 << 20 });
  const q = checkInt(`${fn}: q`, opts.q ?? 32, { positive: true, max: 1 << 20 });
  const mu = checkNumber(`${fn}: mu`, opts.mu ?? Math.max(1e-3, device.paramStep ?? 0), { gt: 0 });
  const lr = checkNumber(`${fn}: lr`, opts.lr ?? 2e-2, { gt: 0 });
  const simulation = checkOneOf(`${fn}: simulation`, opts.simulation ?? 'materialised', [
    'materialised',
    'projected',
  ] as const);
  const probes = opts.probes;
  if (probes !== undefined) checkProbes(fn, probes, dIn);
  const rng = opts.rng;
  const start = opts.omega ?? device.initParams(rng);
  if (!(start instanceof Float64Array) || start.length !== p)
    throw new ShapeError(`${fn}: omega expected a Float64Array of length ${p}, got ${describeValue(start)}`);
  const before = { calls: device.ledger.calls, inputs: device.ledger.inputs };

  const rows = (n: number): Float64Array => {
    const X = new Float64Array(n * dIn);
    if (probes === undefined) return rng.fillNormal(X) as Float64Array;
    const count = probes.length / dIn;
    for (let i = 0; i < n; i++) {
      const r = rng.int(count);
      X.set(probes.subarray(r * dIn, (r + 1) * dIn), i * dIn);
    }
    return X;
  };
  // held-out rows, drawn once: a calibration batch for g and a test batch for the error
  const calib = rows(4 * batch);
  const test = rows(4 * batch);
  const evaluate = async (omega: Float64Array): Promise<{ gain: number; error: number }> => {
    const gain = bestGain(await device.query(calib, omega), targetsOf(calib, W, dIn, dOut));
    const Y = await device.query(test, omega);
    return { gain, error: relativeError(Y, gain, targetsOf(test, W, dIn, dOut)) };
  };

  const initial = await evaluate(start);
  const omega = new Parameter(start.slice(), [p], 'float64');
  const adam = new Adam([omega], { lr });
  const history: number[] = [];
  for (let step = 0; step < steps; step++) {
    const X = rows(batch);
    const T = targetsOf(X, W, dIn, dOut);
    const w = omega.data as Float64Array;
    const Y = await device.query(X, w);
    const g = bestGain(Y, T);
    const error = relativeError(Y, g, T);
    history.push(error);
    opts.onStep?.({ step, error });
    // ∂/∂Y of ‖g Y − T‖²/(2B): the cotangent whose ω̄ the ZO estimate approximates
    const Ybar = new Float64Array(Y.length);
    for (let k = 0; k < Y.length; k++) Ybar[k] = (g * (g * Y[k]! - T[k]!)) / batch;
    const est = await layerParamGrad(device, w, X, Ybar, {
      q,
      mu,
      rng,
      baseline: Y,
      simulation,
      ...(opts.executor !== undefined ? { executor: opts.executor } : {}),
    });
    omega.grad = new Parameter(est.grad, [p], 'float64');
    adam.step();
  }
  const final = Float64Array.from(omega.data as Float64Array);
  const end = await evaluate(final);
  device.setParams(final);
  return {
    omega: final,
    gain: end.gain,
    initialError: initial.error,
    error: end.error,
    history,
    queries: { calls: device.ledger.calls - before.calls, inputs: device.ledger.inputs - before.inputs },
  };
}

/**
 * Puts a programming result into a layer: ω, and the output gain (marked calibrated, so the
 * layer's 'auto' gain does not overwrite it on the first training batch). A layer without an
 * output gain takes ω only; its device output is then g times off, which the next digital layer
 * must absorb — the returned flag says whether the gain was applied.
 */
export function applyProgram(layer: PhysicalLayer, result: ProgramResult): boolean {
  const fn = 'applyProgram';
  if (typeof layer !== 'object' || layer === null || !(layer.omega instanceof Parameter))
    throw new ArgumentError(`${fn}: layer expected a PhysicalLayer, got ${describeValue(layer)}`);
  checkObject(`${fn}: result`, result);
  if (!(result.omega instanceof Float64Array) || result.omega.length !== layer.omega.size)
    throw new ShapeError(
      `${fn}: result.omega expected a Float64Array of length ${layer.omega.size}, got ${describeValue(result.omega)}`,
    );
  const gain = checkNumber(`${fn}: result.gain`, result.gain);
  layer.omega.data.set(result.omega);
  // a jump, not a step: the surrogate is rebuilt at the programmed ω, not integrated towards it
  layer.resetSurrogate();
  if (layer.gain === null) return false;
  layer.gain.data[0] = gain;
  const flag = layer.namedBuffers().find(([name]) => name === 'gainCalibrated');
  if (flag) flag[1].data[0] = 1;
  return true;
}
