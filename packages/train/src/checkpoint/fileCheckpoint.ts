import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ArgumentError, describeValue, FormatError, type StateRecord } from '@tenzo/core';
import { loadSafetensors, saveSafetensors } from '@tenzo/nn/node';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import { decodeState, encodeState } from '../state/codec.js';
import type { CheckpointStore } from '../types.js';

/** The safetensors metadata key that holds a checkpoint's JSON part. */
export const CHECKPOINT_META_KEY = 'tenzo.state';
/** …and the SHA-256 of that JSON and every array, so any changed byte is found on load. */
export const CHECKPOINT_DIGEST_KEY = 'tenzo.sha256';

function digest(arrays: Record<string, Float64Array | Float32Array>, json: string): string {
  const h = createHash('sha256');
  h.update(json);
  for (const k of Object.keys(arrays).sort()) {
    const a = arrays[k]!;
    h.update(k);
    h.update(a instanceof Float32Array ? 'f32' : 'f64');
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

/**
 * Checkpoints in one .safetensors file, written atomically (temp file, fsync, rename): the state's
 * typed arrays as tensors named by their path in the state (e.g. `model/fc1.weight`,
 * `optimizers/digital/slots/m.0`), everything else as JSON in the file's metadata. PyTorch users
 * can open the arrays with `safetensors.torch.load_file`.
 */
export function fileCheckpoint(path: string): CheckpointStore {
  // a path that is not a string, or empty, never exists: load() would start every run fresh
  if (typeof path !== 'string' || path === '')
    throw new ArgumentError(`fileCheckpoint: path: expected a non-empty string, got ${describeValue(path)}`);
  return {
    load: () => (existsSync(path) ? readCheckpoint(path) : null),
    save: (state) => writeCheckpoint(path, state),
  };
}

/** Writes a state to `path` (see {@link fileCheckpoint}). */
export function writeCheckpoint(path: string, state: StateRecord): void {
  const { arrays, json } = encodeState(state);
  const tensors: Record<string, Tensor> = {};
  for (const [k, a] of Object.entries(arrays)) tensors[k] = fromTypedArray(a, [a.length]);
  saveSafetensors(path, tensors, {
    [CHECKPOINT_META_KEY]: json,
    [CHECKPOINT_DIGEST_KEY]: digest(arrays, json),
    format: 'pt',
  });
}

/** Reads a state written by {@link writeCheckpoint}; every part is validated. */
export function readCheckpoint(path: string): StateRecord {
  const { tensors, metadata } = loadSafetensors(path);
  const json = metadata[CHECKPOINT_META_KEY];
  if (json === undefined)
    throw new FormatError(
      `readCheckpoint: ${path} is not a tenzo checkpoint (no '${CHECKPOINT_META_KEY}' metadata)`,
    );
  const arrays: Record<string, Float64Array | Float32Array> = {};
  for (const [k, t] of Object.entries(tensors)) arrays[k] = t.data as Float64Array | Float32Array;
  const sum = metadata[CHECKPOINT_DIGEST_KEY];
  if (sum === undefined)
    throw new FormatError(
      `readCheckpoint: ${path} has no '${CHECKPOINT_DIGEST_KEY}' digest (not written by tenzo?)`,
    );
  if (sum !== digest(arrays, json))
    throw new FormatError(
      `readCheckpoint: ${path} is corrupted: its contents do not match the SHA-256 digest written with them`,
    );
  return decodeState({ arrays, json }, `readCheckpoint: ${path}`);
}
