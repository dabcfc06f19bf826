import type { Restore, RngState, StateReader, StateRecord } from '@tenzo/core';
import type { DriftState } from './faults/driftMonitor.js';
import type { FaultCounts } from './faults/resilientDevice.js';
import type { LayerDevice } from './physicalLayer.js';
import type { QueryCounts } from './stats.js';
import type { SurrogateTrackerState } from './surrogateTracker.js';

/**
 * One forward batch kept for the ω-gradient: inputs X (B×d_in), outputs Y at ω (B×d_out) and the
 * output gradient Ȳ (B×d_out; null until the backward has run).
 */
export type PendingBatch = {
  X: Float64Array;
  Y: Float64Array;
  Ybar: Float64Array | null;
};

/**
 * What a layer changes while training beyond its `stateDict()` (ω, the gain and the
 * gain-calibration flag), for a checkpoint; the optimizers' moments are the trainer's to save.
 */
export type PhysicalLayerState = {
  /** the device's `state()`; null for a device without one (real, remote: not snapshotted) */
  readonly device: StateRecord | null;
  /** the ZO directions' and the backward probes' generators */
  readonly zoRng: RngState;
  readonly probeRng: RngState;
  readonly surrogate: SurrogateTrackerState;
  readonly queries: QueryCounts;
  /** batches awaiting `estimateParamGrad` */
  readonly pending: readonly PendingBatch[];
  readonly lastSurrogateCosine: number | null;
  readonly frozen: boolean;
  /**
   * the layer's fault and drift counters, so a resumed run's report counts the whole run
   * (absent in checkpoints written before they were kept: read as zero)
   */
  readonly faults?: FaultCounts;
  /**
   * the drift monitor's reference and position (null without a monitor; absent in older
   * checkpoints: the reference is retaken at the next forward)
   */
  readonly drift?: DriftState | null;
};

const FAULT_KEYS = ['rowRequeries', 'queryRetries', 'driftChecks', 'driftRebuilds', 'driftQueries'] as const;

/** The fault counters of a snapshot (zero when the snapshot predates them). */
export function readFaultCounts(r: StateReader): FaultCounts | null {
  if (r.value('faults') === undefined) return null;
  const f = r.record('faults');
  const out = {} as FaultCounts;
  for (const k of FAULT_KEYS) out[k] = f.count(k);
  return out;
}

/** true for a device that can be snapshotted (simulators); a real or remote one cannot. */
function stateful(
  device: LayerDevice,
): device is LayerDevice & Required<Pick<LayerDevice, 'state' | 'load'>> {
  return device.state !== undefined && device.load !== undefined;
}

/** The device's snapshot, or null for a device without `state`/`load`. */
export function deviceState(device: LayerDevice): StateRecord | null {
  return stateful(device) ? device.state() : null;
}

/**
 * Checks that the snapshot's `device` fits the device (a record for a stateful one, null
 * otherwise); the returned function hands it to the device's own `load`, which checks the rest
 * before it changes anything — so it must run before any other part is put in place.
 */
export function readDeviceState(r: StateReader, device: LayerDevice): Restore {
  if (!stateful(device)) {
    if (!r.isNull('device'))
      throw r.formatError('device', `null (device '${device.name}' has no state/load)`, r.value('device'));
    return () => {};
  }
  if (r.isNull('device')) throw r.formatError('device', `the state of device '${device.name}'`, null);
  return () => r.nested('device', (v) => device.load(v as StateRecord));
}

/** The pending batches of a snapshot, each B×d_in / B×d_out (copies). */
export function readPending(r: StateReader, device: LayerDevice): PendingBatch[] {
  const { inputSize: dIn, outputSize: dOut } = device;
  return r.list('pending').map((b) => {
    const X = b.float64('X');
    if (X.length === 0 || X.length % dIn !== 0)
      throw b.shapeError('X', `a Float64Array of B×d_in = B×${dIn} entries, B >= 1`, X);
    const rows = X.length / dIn;
    const Y = b.float64('Y', rows * dOut);
    return { X, Y, Ybar: b.isNull('Ybar') ? null : b.float64('Ybar', rows * dOut) };
  });
}
