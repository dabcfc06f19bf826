import { describeValue } from './describe.js';
import { ArgumentError, NonFiniteError, OutOfRangeError } from './errors.js';

/**
 * Argument checks shared by all packages. Each throws a typed error whose message names the
 * argument, the expectation and the received value, e.g.
 * `lr: expected a finite number > 0, got -0.1`.
 */

export function checkFinite(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new NonFiniteError(`${name}: expected a finite number, got ${describeValue(value)}`);
  }
  return value;
}

export interface NumberRange {
  /** inclusive lower bound */
  min?: number;
  /** inclusive upper bound */
  max?: number;
  /** exclusive lower bound */
  gt?: number;
  /** exclusive upper bound */
  lt?: number;
  integer?: boolean;
}

function rangeText(r: NumberRange): string {
  const parts: string[] = [];
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.min !== undefined) parts.push(`>= ${r.min}`);
  if (r.lt !== undefined) parts.push(`< ${r.lt}`);
  if (r.max !== undefined) parts.push(`<= ${r.max}`);
  return `${r.integer ? 'an integer' : 'a finite number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

/** Checks a number against a range; NaN/Infinity are always rejected. */
export function checkNumber(name: string, value: unknown, range: NumberRange = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const Err = typeof value === 'number' ? NonFiniteError : ArgumentError;
    throw new Err(`${name}: expected ${rangeText(range)}, got ${describeValue(value)}`);
  }
  const bad =
    (range.integer && !Number.isInteger(value)) ||
    (range.min !== undefined && value < range.min) ||
    (range.max !== undefined && value > range.max) ||
    (range.gt !== undefined && value <= range.gt) ||
    (range.lt !== undefined && value >= range.lt);
  if (bad) throw new OutOfRangeError(`${name}: expected ${rangeText(range)}, got ${describeValue(value)}`);
  return value;
}

/** Shorthand for a non-negative or positive integer (`positive: true` means >= 1). */
export function checkInt(
  name: string,
  value: unknown,
  opts: { positive?: boolean; min?: number; max?: number } = {},
): number {
  const range: NumberRange = { integer: true, min: opts.min ?? (opts.positive ? 1 : 0) };
  if (opts.max !== undefined) range.max = opts.max;
  return checkNumber(name, value, range);
}

/** True for 1, 2, 4, 8, … */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Throws unless `n` is a positive power of two (the length radix-2 transforms and plans require). */
export function checkPowerOfTwo(name: string, n: unknown): number {
  checkInt(name, n, { positive: true });
  if (!isPowerOfTwo(n as number)) {
    throw new ArgumentError(`${name}: expected a power of two, got ${describeValue(n)}`);
  }
  return n as number;
}

/** Rejects typed arrays or number arrays that hold NaN or ±Infinity; reports the first bad index. */
export function checkAllFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(`${name}: expected finite values, got ${describeValue(v)} at flat index ${i}`);
    }
  }
}

/** Checks that `value` is one of `options`. */
export function checkOneOf<T extends string>(name: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new ArgumentError(
      `${name}: expected one of ${options.map((o) => `'${o}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}
