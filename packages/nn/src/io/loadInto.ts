import { ArgumentError, checkString, describeValue } from '@tenzo/core';
import { Module } from '../module.js';
import { loadSafetensors } from './node.js';

/**
 * Loads the tensors of a .safetensors file whose names start with `prefix` into `module`, with
 * the prefix removed: a part of a saved model (e.g. prefix 'trunk.' for the trunk of a
 * multi-token LM whose heads are retrained). Strict, as `loadStateDict` is: every parameter and
 * buffer of `module` must be there, with its shape and dtype, and nothing else under the prefix.
 */
export function loadSafetensorsInto(module: Module, path: string, prefix = ''): void {
  if (!(module instanceof Module))
    throw new ArgumentError(`loadSafetensorsInto: module expected a Module, got ${describeValue(module)}`);
  checkString('loadSafetensorsInto: prefix', prefix);
  const { tensors } = loadSafetensors(path);
  module.loadStateDict(
    Object.fromEntries(
      Object.entries(tensors)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, t]) => [k.slice(prefix.length), t]),
    ),
  );
}
