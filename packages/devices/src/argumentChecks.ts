import { ArgumentError, checkInt, checkNumber, checkNumbers, describeValue } from '@tenzo/core';

// Checks shared by the simulators and the numeric helpers of the public API (issue #22).

/** Widest input or output a simulator takes (a d_out×d_in matrix of 2^32 entries would not fit). */
export const MAX_WIDTH = 1 << 16;

/** Most modes a mesh layout takes: N(N−1)/2 cells, 8 million at N = 4096. */
export const MAX_MODES = 4096;

/** The options object of a simulator factory and its widths d_in, d_out (1 … MAX_WIDTH). */
export function deviceWidths(opts: unknown): { dIn: number; dOut: number } {
  if (typeof opts !== 'object' || opts === null)
    throw new ArgumentError(
      `device options: expected an object with dIn and dOut, got ${describeValue(opts)}`,
    );
  const o = opts as { dIn?: unknown; dOut?: unknown };
  return {
    dIn: checkInt('dIn', o.dIn, { positive: true, max: MAX_WIDTH }),
    dOut: checkInt('dOut', o.dOut, { positive: true, max: MAX_WIDTH }),
  };
}

/** A Float64Array argument (an in-place buffer or a vector), finite unless `finite` is false. */
export function checkVector(name: string, value: unknown, finite = true): Float64Array {
  if (!(value instanceof Float64Array))
    throw new ArgumentError(`${name}: expected a Float64Array, got ${describeValue(value)}`);
  if (finite) checkNumbers(name, value);
  return value;
}

/** A ring's amplitude round-trip `a` or a self-coupling `r`: a number in [0, 1]. */
export function checkCoefficient(name: string, value: unknown): number {
  return checkNumber(name, value, { min: 0, max: 1 });
}
