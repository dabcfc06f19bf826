import { readFileSync } from 'node:fs';
import { checkString, FormatError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import type { Tensor } from '@tenzo/tensor';
import { parseSafetensors, type SafetensorsFile, serializeSafetensors } from './safetensors.js';

/** Writes a .safetensors file atomically (temp file + rename). */
export function saveSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): void {
  writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}

/** Reads a .safetensors file; a missing or corrupt file is a FormatError naming the path. */
export function loadSafetensors(path: string): SafetensorsFile {
  checkString('loadSafetensors: path', path); // a number would be read as a file descriptor
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new FormatError(`${path}: cannot read safetensors file (${(cause as Error).message})`, { cause });
  }
  return parseSafetensors(bytes, path);
}
