import { ArgumentError, checkInt, checkObject, describeValue } from '@tenzo/core';
import type { PhysicalDevice } from '@tenzo/devices';
import { checkProbes, checkTarget, errorMeter, identity, targetsOf } from './fit.js';
import type { ProgramResult } from './programDevice.js';

/**
 * Options of `programElementwise`: the calibration sweep (levels and range), the correction
 * rounds, and the rows the reported error is measured on.
 */
export interface ProgramElementwiseOptions {
  /** settings measured per entry in the calibration sweep (default 65) */
  readonly levels?: number;
  /**
   * the swept range of every ω entry (default the device's bounds where finite, else [−π, π]:
   * one period of a phase)
   */
  readonly range?: readonly [number, number];
  /** measure-and-correct rounds after the first inversion (default 3) */
  readonly rounds?: number;
  /**
   * rows×d_in inputs on which the reported error is measured, e.g. the activations a trained
   * network feeds the layer (default the identity rows: the matrix error ‖gA − W‖_F/‖W‖_F)
   */
  readonly probes?: Float64Array;
}

/**
 * Programs a device whose matrix is elementwise in ω — entry A_ij set by ω_ij alone, ω laid out
 * d_out×d_in row-major, as in an SLM phase matrix or a microring weight bank — to g·A(ω) ≈ W, the
 * way a lab calibrates such hardware: a **calibration sweep** sets every entry to each of `levels`
 * settings across `range` and reads the whole matrix with d_in identity queries per setting, which
 * gives each entry's own transfer curve h_ij(ω) (fabrication spread included); the gain g puts the
 * targets W/g inside what most entries reach; each entry is set by inverting its curve (linear
 * interpolation between the measured settings). Couplings the sweep cannot see (pixel crosstalk,
 * thermal crosstalk between rings) are then removed by `rounds` of measure-and-correct: read
 * A(ω), move each entry's target by its residual, invert again; the best round is kept.
 *
 * Query-only (a remote device works), with (levels + 2·rounds + 1)·d_in identity rows plus
 * the error probes (rounds + 2 reads). Where 65,536 entries defeat a zeroth-order least squares (`programDevice`), this
 * costs a few hundred matrix reads. The error is measured, never assumed: a device that is not
 * elementwise, or noisy readout, shows in `error`. The returned gain is the least-squares one for
 * the measured A(ω).
 *
 * @throws ArgumentError for a device with paramSize ≠ d_out·d_in (a mesh: program it from its
 *   decomposition) or bad options; ShapeError for W or probes of the wrong size
 */
export async function programElementwise(
  device: PhysicalDevice,
  W: Float64Array,
  opts: ProgramElementwiseOptions = {},
): Promise<ProgramResult> {
  const fn = 'programElementwise';
  if (typeof device !== 'object' || device === null || typeof device.query !== 'function')
    throw new ArgumentError(`${fn}: device expected a PhysicalDevice, got ${describeValue(device)}`);
  checkObject(`${fn}: options`, opts);
  const { inputSize: dIn, outputSize: dOut, paramSize: p } = device;
  if (p !== dIn * dOut)
    throw new ArgumentError(
      `${fn}: device expected one parameter per matrix entry (paramSize = d_out·d_in = ${dOut * dIn}), got '${device.name}' with paramSize ${p} (a usv MZI layer is programmed from its SVD by programMesh; a unitary mesh cannot represent a general W)`,
    );
  checkTarget(fn, W, dOut, dIn);
  const levels = checkInt(`${fn}: levels`, opts.levels ?? 65, { min: 2, max: 4096 });
  const rounds = checkInt(`${fn}: rounds`, opts.rounds ?? 3, { max: 100 });
  const [lo, hi] = sweepRange(fn, device, opts.range);
  const probes = opts.probes ?? identity(dIn);
  checkProbes(fn, probes, dIn);
  const before = { calls: device.ledger.calls, inputs: device.ledger.inputs };
  const eye = identity(dIn);
  // A(ω) (d_out×d_in row-major) from the identity rows: row k of the answer is (A e_k)ᵀ
  const read = async (omega: Float64Array): Promise<Float64Array> => {
    const Y = await device.query(eye, omega);
    const A = new Float64Array(dOut * dIn);
    for (let k = 0; k < dIn; k++) for (let j = 0; j < dOut; j++) A[j * dIn + k] = Y[k * dOut + j]!;
    return A;
  };
  const n = dOut * dIn;
  const T = targetsOf(probes, W, dIn, dOut);
  // the error of g·f_ω(P) against P Wᵀ, with g the least-squares gain of these outputs
  const measure = errorMeter(device, probes, T);
  const start = device.params();
  const atStart = await measure(start);

  // the sweep: H[l·n + e] = A_e at every entry set to v_l
  const v = Float64Array.from({ length: levels }, (_, l) => lo + ((hi - lo) * l) / (levels - 1));
  const H = new Float64Array(levels * n);
  const flat = new Float64Array(p);
  for (let l = 0; l < levels; l++) {
    flat.fill(v[l]!);
    H.set(await read(flat), l * n);
  }
  // g: the 99.9th percentile of |W| onto the median reach of the entries (min of the largest
  // positive and negative response), so clipping touches the tails only
  const reach = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    let mx = Number.NEGATIVE_INFINITY;
    let mn = Number.POSITIVE_INFINITY;
    for (let l = 0; l < levels; l++) {
      const h = H[l * n + e]!;
      if (h > mx) mx = h;
      if (h < mn) mn = h;
    }
    reach[e] = mx > 0 && mn < 0 ? Math.min(mx, -mn) : 0;
  }
  const medReach = quantile(reach, 0.5);
  const wTail = quantile(W.map(Math.abs), 0.999);
  if (!(medReach > 0))
    throw new ArgumentError(
      `${fn}: device '${device.name}' expected entries that reach both signs over range [${lo}, ${hi}], got a median reach of ${medReach} (widen options.range)`,
    );
  const g0 = wTail > 0 ? wTail / medReach : 1;

  const target = new Float64Array(n);
  for (let e = 0; e < n; e++) target[e] = W[e]! / g0;
  const omega = new Float64Array(p);
  let best = { omega: start, ...atStart };
  const history: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    for (let e = 0; e < n; e++) omega[e] = invert(H, v, n, e, target[e]!);
    const m = await measure(omega);
    history.push(m.error);
    if (m.error < best.error) best = { omega: omega.slice(), ...m };
    if (round === rounds) break;
    // move each target by its residual: what the sweep could not see (crosstalk) is corrected
    const A = await read(omega);
    for (let e = 0; e < n; e++) target[e]! += W[e]! / g0 - A[e]!;
  }
  device.setParams(best.omega);
  return {
    omega: best.omega,
    gain: best.g,
    initialError: atStart.error,
    error: best.error,
    history,
    queries: { calls: device.ledger.calls - before.calls, inputs: device.ledger.inputs - before.inputs },
  };
}

/** The ω in the sweep's range where entry e's interpolated curve comes closest to t. */
function invert(H: Float64Array, v: Float64Array, n: number, e: number, t: number): number {
  let bestW = v[0]!;
  let bestD = Math.abs(H[e]! - t);
  for (let l = 0; l + 1 < v.length; l++) {
    const a = H[l * n + e]!;
    const b = H[(l + 1) * n + e]!;
    if ((a - t) * (b - t) <= 0 && a !== b) return v[l]! + ((t - a) / (b - a)) * (v[l + 1]! - v[l]!);
    const d = Math.abs(b - t);
    if (d < bestD) {
      bestD = d;
      bestW = v[l + 1]!;
    }
  }
  return bestW;
}

function sweepRange(
  fn: string,
  device: PhysicalDevice,
  range: readonly [number, number] | undefined,
): [number, number] {
  if (range !== undefined) {
    if (
      !Array.isArray(range) ||
      range.length !== 2 ||
      !Number.isFinite(range[0]) ||
      !Number.isFinite(range[1]) ||
      !(range[0] < range[1])
    )
      throw new ArgumentError(
        `${fn}: range expected [lo, hi] with finite lo < hi, got ${describeValue(range)}`,
      );
    return [range[0], range[1]];
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < device.paramSize; k++) {
    lo = Math.min(lo, device.bounds.lower[k]!);
    hi = Math.max(hi, device.bounds.upper[k]!);
  }
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : [-Math.PI, Math.PI];
}

/** The q-quantile of xs (nearest rank). */
function quantile(xs: Float64Array, q: number): number {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
