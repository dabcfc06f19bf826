import { describe, expect, it } from 'vitest';
import {
  checkAllFinite,
  checkInt,
  checkNumber,
  checkOneOf,
  checkPowerOfTwo,
  isPowerOfTwo,
} from './checks.js';
import { ArgumentError, NonFiniteError, OutOfRangeError, TenzoError } from './errors.js';

describe('argument checks', () => {
  it('name the argument, the expectation and the value', () => {
    expect(() => checkNumber('lr', -0.1, { gt: 0 })).toThrowError(
      'lr: expected a finite number > 0, got -0.1',
    );
    expect(() => checkInt('rank', 2.5, { positive: true })).toThrowError(
      'rank: expected an integer >= 1, got 2.5',
    );
    expect(() => checkOneOf('device', 'laser', ['slm', 'mrr'])).toThrowError(
      "device: expected one of 'slm', 'mrr', got \"laser\"",
    );
  });

  it('use stable codes and classes', () => {
    try {
      checkNumber('momentum', 1.5, { min: 0, lt: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OutOfRangeError);
      expect(e).toBeInstanceOf(TenzoError);
      expect((e as TenzoError).code).toBe('E_RANGE');
    }
    expect(() => checkNumber('x', Number.POSITIVE_INFINITY)).toThrow(NonFiniteError);
  });

  it('find the first non-finite entry', () => {
    expect(() => checkAllFinite('input', new Float32Array([1, 2, Number.NaN]))).toThrowError(
      'input: expected finite values, got NaN at flat index 2',
    );
    expect(() => checkAllFinite('input', [1, 2, 3])).not.toThrow();
  });

  it('accept powers of two only, with the argument named', () => {
    expect([1, 2, 4, 512, 2 ** 30].every(isPowerOfTwo)).toBe(true);
    expect([0, 3, 400, 0.5, -4, Number.NaN].some(isPowerOfTwo)).toBe(false);
    expect(checkPowerOfTwo('nFft', 512)).toBe(512);
    expect(() => checkPowerOfTwo('nFft', 400)).toThrowError(
      new ArgumentError('nFft: expected a power of two, got 400'),
    );
    expect(() => checkPowerOfTwo('nFft', 0)).toThrow(OutOfRangeError);
    expect(() => checkPowerOfTwo('nFft', '512')).toThrow(ArgumentError);
  });
});
