import { describeValue } from './describe.js';
import { ArgumentError, NonFiniteError, OutOfRangeError, ShapeError } from './errors.js';

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

/** Bounds for `checkNumber` and friends; every bound given must hold, and NaN never passes. */
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
    // beyond 2^53 a float64 no longer counts one by one (n + 1 === n): no size or index lives there
    (range.integer && !Number.isSafeInteger(value)) ||
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
  checkNumbers(name, values, { finite: false });
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

/**
 * What `checkNumbers` requires of an array of numbers: its length bounds and the range every element must
 * lie in.
 */
export interface NumbersOptions {
  /** exact length */
  length?: number;
  /** least length (default 0) */
  minLength?: number;
  /** reject NaN and ±Infinity (default true) */
  finite?: boolean;
}

/**
 * Checks that `value` is an array of numbers or a numeric typed array (what `ArrayLike<number>`
 * parameters accept), of the given length, finite unless `finite: false`.
 */
export function checkNumbers(name: string, value: unknown, opts: NumbersOptions = {}): ArrayLike<number> {
  const typed = ArrayBuffer.isView(value) && !(value instanceof DataView) && !isBigIntArray(value);
  if (!typed && !Array.isArray(value)) {
    throw new ArgumentError(
      `${name}: expected an array of numbers or a typed array, got ${describeValue(value)}`,
    );
  }
  const a = value as ArrayLike<unknown>;
  if (opts.length !== undefined && a.length !== opts.length) {
    throw new ShapeError(`${name}: expected length ${opts.length}, got ${a.length}`);
  }
  if (a.length < (opts.minLength ?? 0)) {
    throw new ShapeError(`${name}: expected length >= ${opts.minLength}, got ${a.length}`);
  }
  if (!typed) {
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] !== 'number') {
        throw new ArgumentError(`${name}: expected numbers, got ${describeValue(a[i])} at index ${i}`);
      }
    }
  }
  if (opts.finite ?? true) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        throw new NonFiniteError(`${name}: expected finite values, got ${describeValue(a[i])} at index ${i}`);
      }
    }
  }
  return a as ArrayLike<number>;
}

function isBigIntArray(value: ArrayBufferView): boolean {
  return value instanceof BigInt64Array || value instanceof BigUint64Array;
}

/**
 * Checks a probability vector: finite, non-negative entries summing to 1 within `tol` (relative
 * to the length, since float32 softmax rows sum to 1 only up to a few ulps per entry).
 */
export function checkProbabilities(name: string, value: unknown, tol = 1e-6): ArrayLike<number> {
  const p = checkNumbers(name, value, { minLength: 1 });
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < 0)
      throw new OutOfRangeError(`${name}: expected probabilities >= 0, got ${p[i]} at index ${i}`);
    sum += p[i]!;
  }
  if (!(Math.abs(sum - 1) <= tol * Math.max(1, p.length))) {
    throw new OutOfRangeError(`${name}: expected probabilities summing to 1, got a sum of ${sum}`);
  }
  return p;
}

/** Checks that `value` is a Float64Array (an in-place buffer), of `length` if given. */
export function checkFloat64Array(name: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new ArgumentError(`${name}: expected a Float64Array, got ${describeValue(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new ShapeError(`${name}: expected length ${length}, got ${value.length}`);
  }
  return value;
}

/** Checks that `value` is an object (options, a spec, a record): not null, not an array, not a primitive. */
export function checkObject<T>(name: string, value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArgumentError(`${name}: expected an object, got ${describeValue(value)}`);
  }
  return value;
}

/** Checks that `value` is a string. */
export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new ArgumentError(`${name}: expected a string, got ${describeValue(value)}`);
  return value;
}

/** Checks that `value` is an array (of anything; check the elements where they matter). */
export function checkArray<T>(name: string, value: readonly T[]): readonly T[] {
  if (!Array.isArray(value))
    throw new ArgumentError(`${name}: expected an array, got ${describeValue(value)}`);
  return value;
}
