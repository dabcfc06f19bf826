/**
 * A snapshot of a stateful thing: JSON values and typed arrays, nested. Typed arrays keep their
 * exact bits through a checkpoint (they are stored as tensors); numbers may be any float64,
 * including ±∞, NaN and −0.
 */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | readonly StateValue[]
  | { readonly [key: string]: StateValue };

/** A plain object of state values (what most `state()` methods return). */
export type StateRecord = { readonly [key: string]: StateValue };

/**
 * The checkpoint contract of everything that changes while training — modules, optimizers,
 * random generators, physical layers, data order: `load(state())` on an object built the same
 * way puts it back exactly, so a resumed run continues bit for bit where the snapshot was taken.
 */
export interface Stateful<S extends StateValue = StateRecord> {
  /** a snapshot that later changes to the object do not alter */
  state(): S;
  /** restores a snapshot taken from an object built with the same settings */
  load(state: S): void;
}
