import { describe, expect, it } from 'vitest';
import { checkAllFinite, checkInt, checkNumber, checkOneOf } from './checks.js';
import { NonFiniteError, OutOfRangeError, TenzoError } from './errors.js';

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
});
