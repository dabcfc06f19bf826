import type { ZoExecutor } from '@tenzo/devices';
import type { LayerDevice } from './physicalLayer.js';

/**
 * `device.query(X, ω)`, or, with an executor and a simulator that can shard its product
 * (`queryOn`), the same query computed on the executor's threads: the same numbers and the same
 * ledger either way.
 */
export function queryDevice(
  device: LayerDevice,
  executor: unknown,
  X: Float64Array,
  omega: Float64Array,
): Promise<Float64Array> {
  if (executor !== null && typeof device.queryOn === 'function')
    return device.queryOn(executor as ZoExecutor, X, omega);
  return device.query(X, omega);
}
