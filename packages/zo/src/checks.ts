import { ArgumentError, checkInt, describeValue } from '@tenzo/core';

// Argument checks shared by the estimators, objectives and optimizers (issue #22).

/** Most entries one direction matrix or batch may hold (q·d, B·d): one Float64Array's worth. */
export const MAX_ENTRIES = 2 ** 31 - 1;

/** A callable argument (an objective, a callback). */
export function checkFunction(op: string, name: string, f: unknown): void {
  if (typeof f !== 'function')
    throw new ArgumentError(`${op}: ${name} expected a function, got ${describeValue(f)}`);
}

/** Sizes whose product is a buffer length: each a positive integer, the product at most MAX_ENTRIES. */
export function checkSizes(op: string, sizes: Record<string, unknown>): number {
  let total = 1;
  for (const [name, v] of Object.entries(sizes)) total *= checkInt(`${op}: ${name}`, v, { positive: true });
  if (total > MAX_ENTRIES)
    throw new ArgumentError(
      `${op}: ${Object.keys(sizes).join('·')} = ${total} entries, more than one buffer holds (${MAX_ENTRIES})`,
    );
  return total;
}

/** A Float64Array argument. */
export function checkVector(op: string, name: string, v: unknown): Float64Array {
  if (!(v instanceof Float64Array))
    throw new ArgumentError(`${op}: ${name} expected a Float64Array, got ${describeValue(v)}`);
  return v;
}
