import { ArgumentError, checkInt, checkNumber, describeValue } from '@tenzo/core';
import { fillGaussian as fillGaussianKernel, fillSignBits as fillSignBitsKernel } from './streams.js';

// The public entry points of the direction streams: streams.js stays import-free for the worker
// threads (and unchecked on their hot path); callers of the package get their arguments checked.

function checkStreamArgs(op: string, key0: number, key1: number, index: number, state: unknown): void {
  // a key is a 32-bit word, signed or unsigned
  checkNumber(`${op}: key0`, key0, { integer: true, min: -(2 ** 31), max: 2 ** 32 - 1 });
  checkNumber(`${op}: key1`, key1, { integer: true, min: -(2 ** 31), max: 2 ** 32 - 1 });
  checkInt(`${op}: index`, index);
  if (!(state instanceof Int32Array) || state.length < 4)
    throw new ArgumentError(`${op}: state expected an Int32Array(4), got ${describeValue(state)}`);
}

/** Fills out[0..n) with standard normals of stream `index`; returns max |out[j]| (see streams.js). */
export function fillGaussian(
  out: Float64Array,
  n: number,
  key0: number,
  key1: number,
  index: number,
  state: Int32Array,
): number {
  if (!(out instanceof Float64Array))
    throw new ArgumentError(`fillGaussian: out expected a Float64Array, got ${describeValue(out)}`);
  checkInt('fillGaussian: n', n, { max: out.length });
  checkStreamArgs('fillGaussian', key0, key1, index, state);
  return fillGaussianKernel(out, n, key0, key1, index, state);
}

/** Fills bits[0..⌈n/32⌉) with n random signs of stream `index` (a set bit is +1). */
export function fillSignBits(
  bits: Int32Array,
  n: number,
  key0: number,
  key1: number,
  index: number,
  state: Int32Array,
): void {
  if (!(bits instanceof Int32Array))
    throw new ArgumentError(`fillSignBits: bits expected an Int32Array, got ${describeValue(bits)}`);
  checkInt('fillSignBits: n', n, { max: bits.length * 32 });
  checkStreamArgs('fillSignBits', key0, key1, index, state);
  fillSignBitsKernel(bits, n, key0, key1, index, state);
}
