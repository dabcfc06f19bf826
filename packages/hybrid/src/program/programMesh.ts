import { ArgumentError, checkObject, describeValue } from '@tenzo/core';
import { fromUnitary, type PhysicalDevice, UsvMesh } from '@tenzo/devices';
import { svd } from '@tenzo/linalg';
import { checkProbes, checkTarget, errorMeter, identity, targetsOf } from './fit.js';
import type { ProgramResult } from './programDevice.js';

/** Options of `programMesh`: the rows the reported error is measured on. */
export interface ProgramMeshOptions {
  /**
   * rows×d_in inputs on which the reported error is measured, e.g. the activations a trained
   * network feeds the layer (default the identity rows: the matrix error ‖gA − W‖_F/‖W‖_F)
   */
  readonly probes?: Float64Array;
}

/**
 * Programs torchonn's "usv" MZI layer (`usvMesh` with `phaseScreens: true`) to g·A(ω) ≈ W
 * (d_out×d_in, row-major) from the decomposition, as photonic-mesh toolkits do, not by search:
 *
 * - the SVD W = P S Qᵀ (float64, full factors);
 * - V's mesh realises blockdiag(Qᵀ, I) and U's blockdiag(P, I) (the identity on a padding mode
 *   when a width is odd): each real orthogonal matrix is a unitary, decomposed by `fromUnitary`
 *   (Clements) into cell phases and the input phase screen the cells leave over;
 * - the attenuators take σ_k = S_k / S_0 ∈ [0, 1] (the largest singular value goes to the gain),
 *   so Re(U Σ V x) = P diag(σ) Qᵀ x exactly for an ideal device.
 *
 * The error is then measured with device queries on `probes` and the output gain g fitted to the
 * answers by least squares, so what the simulator adds (insertion loss: a common scale; phase DAC
 * quantisation and phase noise: a real error) is reported, never assumed. Costs two reads of
 * `probes`.
 *
 * @throws ArgumentError for another device, a usv layer without phase screens (a mesh of cells
 *   alone realises a unitary only up to a diagonal on its input, which a real input cannot carry),
 *   or bad options; ShapeError for W or probes of the wrong size
 */
export async function programMesh(
  device: PhysicalDevice,
  W: Float64Array,
  opts: ProgramMeshOptions = {},
): Promise<ProgramResult> {
  const fn = 'programMesh';
  if (!(device instanceof UsvMesh))
    throw new ArgumentError(
      `${fn}: device expected a usv MZI layer (usvMesh({ …, phaseScreens: true })), got ${typeof device === 'object' && device !== null && typeof device.name === 'string' ? `'${device.name}'` : describeValue(device)}`,
    );
  if (!device.phaseScreens)
    throw new ArgumentError(
      `${fn}: device expected a usv layer built with phaseScreens: true (an input phase screen per mesh), got '${device.name}'`,
    );
  checkObject(`${fn}: options`, opts);
  const { dIn, dOut, rank } = device;
  checkTarget(fn, W, dOut, dIn);
  const probes = opts.probes ?? identity(dIn);
  checkProbes(fn, probes, dIn);
  const before = { calls: device.ledger.calls, inputs: device.ledger.inputs };
  const T = targetsOf(probes, W, dIn, dOut);
  const measure = errorMeter(device, probes, T);
  const start = device.params();
  const atStart = await measure(start);

  const { U: P, S, V: Q } = svd({ rows: dOut, cols: dIn, data: W }, { full: true });
  const nV = device.meshV.layout.n;
  const nU = device.meshU.layout.n;
  // V's target: row k is the k-th right singular vector (Qᵀ), padded with the identity
  const vt = identity(nV);
  for (let k = 0; k < dIn; k++) for (let j = 0; j < dIn; j++) vt[k * nV + j] = Q.data[j * dIn + k]!;
  // U's target: column k is the k-th left singular vector (P), padded with the identity
  const ut = identity(nU);
  for (let i = 0; i < dOut; i++) for (let k = 0; k < dOut; k++) ut[i * nU + k] = P.data[i * dOut + k]!;
  const phasesV = fromUnitary(vt, new Float64Array(nV * nV), nV, 'clements');
  const phasesU = fromUnitary(ut, new Float64Array(nU * nU), nU, 'clements');
  const omega = new Float64Array(device.paramSize);
  omega.set(phasesV, 0);
  const s0 = S[0]!;
  for (let k = 0; k < rank; k++) omega[phasesV.length + k] = s0 > 0 ? S[k]! / s0 : 0;
  omega.set(phasesU, phasesV.length + rank);
  const programmed = await measure(omega);
  // keep the start should the device answer worse at the decomposition (it cannot, ideally)
  const best = programmed.error <= atStart.error ? { omega, ...programmed } : { omega: start, ...atStart };
  device.setParams(best.omega);
  return {
    omega: best.omega,
    gain: best.g,
    initialError: atStart.error,
    error: best.error,
    history: [programmed.error],
    queries: { calls: device.ledger.calls - before.calls, inputs: device.ledger.inputs - before.inputs },
  };
}
