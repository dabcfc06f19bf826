import { ArgumentError } from '@tenzo/core';
import { clementsMesh, lowRankDevice, matrixDevice, mrrWeightBank, slmPhaseMatrix } from '@tenzo/devices';
import type { LayerDevice } from '@tenzo/hybrid';

/** The simulated devices a hidden layer can be replaced with ('identity' = the layer removed). */
export const DEVICE_KINDS = ['none', 'slm', 'mrr', 'mzi', 'matvec', 'lowrank', 'identity'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * A d×d simulated device in the reference's ideal model (METHODS.md §1.5): SLM phase matrix
 * cos(Φ)/√d, all-pass microring bank 2t(φ) − 1, Clements MZI mesh with coherent readout, and the
 * digital controls (a plain matrix, a rank-`rank` factorised matrix).
 */
export function makeDevice(
  kind: Exclude<DeviceKind, 'none' | 'identity'>,
  d: number,
  opts: { seed: number; rank: number },
): LayerDevice {
  const common = { dIn: d, dOut: d, seed: opts.seed };
  switch (kind) {
    case 'slm':
      return slmPhaseMatrix(common);
    case 'mrr':
      return mrrWeightBank(common);
    case 'mzi':
      return clementsMesh(common);
    case 'matvec':
      return matrixDevice(common);
    case 'lowrank':
      return lowRankDevice({ ...common, rank: opts.rank });
    default:
      throw new ArgumentError(`device: unknown kind '${String(kind)}'`);
  }
}
