import { ArgumentError } from '@tenzo/core';
import {
  clementsMesh,
  type InitSegment,
  MrrWeightBank,
  MziMesh,
  mrrWeightBank,
  type PhysicalDevice,
  SlmPhaseMatrix,
  slmPhaseMatrix,
} from '@tenzo/devices';

/** The simulators `tenzo-device serve --device` offers. */
export const SERVED_DEVICES = ['slm', 'mrr', 'mzi'] as const;
export type ServedDevice = (typeof SERVED_DEVICES)[number];

/** The simulator of a kind at d_in × d_out (the same factories and defaults as tenzo-train). */
export function buildSimulator(kind: ServedDevice, dIn: number, dOut: number, seed: number): PhysicalDevice {
  if (kind === 'slm') return slmPhaseMatrix({ dIn, dOut, seed });
  if (kind === 'mrr') return mrrWeightBank({ dIn, dOut, seed });
  if (kind === 'mzi') return clementsMesh({ dIn, dOut, seed });
  throw new ArgumentError(
    `buildSimulator: kind: expected one of ${SERVED_DEVICES.join(', ')}, got '${String(kind)}'`,
  );
}

/**
 * The simulator's initialisation distribution as protocol segments, drawing exactly as its
 * `initParams` does (a client's `initParams(rng)` then gives the simulator's ω for the same rng;
 * the mesh's normal draws agree to rounding: mean + std·z instead of mean + z/√n).
 */
export function initSegments(device: PhysicalDevice): InitSegment[] {
  const p = device.paramSize;
  if (device instanceof SlmPhaseMatrix)
    return [{ count: p, kind: 'uniform', center: Math.PI / 2, halfWidth: device.initSpread }];
  if (device instanceof MrrWeightBank && device.paramKind === 'phase')
    return [{ count: p, kind: 'uniform', center: 0, halfWidth: device.initSpread }];
  if (device instanceof MziMesh && device.model.block === 'classical') {
    const mesh = 2 * device.model.layout.blockCount;
    const segs: InitSegment[] = [
      { count: mesh, kind: 'normal', mean: Math.PI / 2, std: 1 / Math.sqrt(device.n) },
    ];
    if (p > mesh) segs.push({ count: p - mesh, kind: 'constant', value: 0 });
    return segs;
  }
  throw new ArgumentError(
    `initSegments: device '${device.name}' has no initialisation distribution the protocol can describe; pass init explicitly`,
  );
}
