import { ArgumentError, checkObject } from '@tenzo/core';
import {
  clementsMesh,
  lowRankDevice,
  matrixDevice,
  monarchDevice,
  mrrWeightBank,
  multiplicativeNoise,
  type SimulatorOptions,
  slmPhaseMatrix,
  usvMesh,
} from '@tenzo/devices';
import type { LayerDevice } from './physicalLayer.js';

/**
 * What can stand where a hybrid model's d → d layer is: 'none' the digital Linear(d, d), a
 * simulated device ('slm', 'mrr', 'mzi', 'usv', 'monarch'), a digital control in the device's place ('matvec': a
 * plain d×d matrix, 'lowrank': a rank-r factorised one), or 'identity': the layer removed.
 */
export const DEVICE_KINDS = [
  'none',
  'slm',
  'mrr',
  'mzi',
  'usv',
  'monarch',
  'matvec',
  'lowrank',
  'identity',
] as const;
/**
 * One of `DEVICE_KINDS`: 'none' (a digital Linear), a simulated device ('slm', 'mrr', 'mzi', 'usv', 'monarch'), a digital
 * control ('matvec', 'lowrank') or 'identity' (the layer removed).
 */
export type DeviceKind = (typeof DEVICE_KINDS)[number];
/** The kinds that {@link makeDevice} builds: a device, simulated or a digital control. */
export type SimulatedDeviceKind = Exclude<DeviceKind, 'none' | 'identity'>;

/**
 * Imperfections a simulated device is built with: relative output noise σ and the phase DAC's resolution
 * in bits.
 */
export interface DeviceImperfections {
  /** relative output noise σ: every read-out value becomes y(1 + σε), ε ~ N(0, 1), per query */
  noise?: number;
  /** phase DAC resolution (SLM pixels, MRR heaters, MZI phase shifters) */
  phaseBits?: number;
}

/**
 * A d×d simulated device in the reference's ideal model (METHODS.md §1.5): SLM phase matrix
 * cos(Φ)/√d, all-pass microring bank 2t(φ) − 1, Clements MZI mesh with coherent readout,
 * torchonn's "usv" MZI layer (two meshes around an attenuator line: non-unitary matrices),
 * astralora's Monarch device (two block-diagonal phase-mask factors with a fixed permutation), and the
 * digital controls (a plain matrix, a rank-`rank` factorised matrix). `seed` fixes the device's
 * own draws (its fixed parts); `rank` is the 'lowrank' control's. Optionally with multiplicative
 * output noise and phase quantisation; the digital controls have no phases, so `phaseBits` is an
 * error there. `phaseScreens` (usv only) adds an input phase screen to each of its meshes, the
 * layout `programMesh` programs a trained layer into.
 *
 * ```ts
 * const layer = new PhysicalLayer(makeDevice('mrr', 64, { seed: 0, rank: 10, noise: 0.01 }), rng, { rank: 10 });
 * ```
 */
export function makeDevice(
  kind: SimulatedDeviceKind,
  d: number,
  opts: { seed: number; rank: number; phaseScreens?: boolean } & DeviceImperfections,
): LayerDevice {
  checkObject('makeDevice: opts', opts);
  if (opts.phaseScreens !== undefined && opts.phaseScreens !== false && kind !== 'usv')
    throw new ArgumentError(
      `makeDevice: phaseScreens expected only with kind 'usv' (an input phase screen per mesh, what programMesh needs), got kind '${String(kind)}'`,
    );
  const sim: SimulatorOptions = { seed: opts.seed };
  const noisy: SimulatorOptions =
    opts.noise !== undefined && opts.noise > 0
      ? { ...sim, outputNoise: [multiplicativeNoise(opts.noise)] }
      : sim;
  const common = { dIn: d, dOut: d, ...noisy };
  const bits = opts.phaseBits === undefined ? {} : { phaseBits: opts.phaseBits };
  switch (kind) {
    case 'slm':
      return slmPhaseMatrix({ ...common, ...bits });
    case 'mrr':
      return mrrWeightBank({ ...common, ...bits });
    case 'mzi':
      return clementsMesh({ ...common, ...bits });
    case 'usv':
      return usvMesh({ ...common, ...bits, ...(opts.phaseScreens ? { phaseScreens: true } : {}) });
    case 'monarch':
      return monarchDevice({ ...common, ...bits });
    case 'matvec':
    case 'lowrank':
      if (opts.phaseBits !== undefined)
        throw new ArgumentError(
          `makeDevice: phaseBits: device '${kind}' is a digital control without phases`,
        );
      return kind === 'matvec' ? matrixDevice(common) : lowRankDevice({ ...common, rank: opts.rank });
    default:
      throw new ArgumentError(
        `makeDevice: kind expected one of ${DEVICE_KINDS.filter((k) => k !== 'none' && k !== 'identity').join(', ')}, got '${String(kind)}'`,
      );
  }
}
