import { DTypeError, OutOfRangeError, ShapeError, StateError, TenzoError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { customOp } from './autograd/customOp.js';
import { tensor, zeros } from './creation.js';
import { oneHot } from './ops/indexing.js';
import { concat } from './ops/shape.js';

describe('bad input gives typed errors naming the op, argument and values', () => {
  it('shape mismatch names both shapes and the op', () => {
    expect(() => zeros([2, 3]).add(zeros([4]))).toThrowError(
      new ShapeError('add: shapes [2, 3] and [4] cannot be broadcast together'),
    );
    expect(() => zeros([2, 3]).matmul(zeros([4, 5]))).toThrowError(
      /matmul: inner dimensions differ: \[2, 3\] × \[4, 5\] \(3 vs 4\)/,
    );
    expect(() => zeros([6]).reshape([4, 2])).toThrowError(
      /reshape: cannot reshape \[6\] \(6 elements\) into \[4, 2\]/,
    );
    expect(() => concat([zeros([2, 3]), zeros([3, 3])], 1)).toThrowError(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrowError(/ragged/);
  });

  it('mixed dtypes are refused', () => {
    const a = zeros([2], { dtype: 'float32' });
    const b = zeros([2], { dtype: 'float64' });
    expect(() => a.add(b)).toThrowError(DTypeError);
    expect(() => a.add(b)).toThrowError('add: dtypes differ: float32 and float64; cast one operand first');
    expect(() => zeros([2], { dtype: 'int8' as never })).toThrowError(
      /dtype: expected 'float32' or 'float64', got "int8"/,
    );
    expect(a.cast('float64').add(b).dtype).toBe('float64');
  });

  it('out-of-range axes, indices and settings', () => {
    expect(() => zeros([2, 3]).sum({ axis: 2 })).toThrowError(
      new OutOfRangeError('sum: axis expected an integer in [-2, 1], got 2'),
    );
    expect(() => zeros([2, 3]).gather([3], 1)).toThrowError(
      'gather: indices[0] expected an integer in [0, 3), got 3',
    );
    expect(() => oneHot([1], 0)).toThrowError(/depth expected a positive integer/);
    expect(() => zeros([2]).clamp(1, 0)).toThrowError(OutOfRangeError);
    expect(() => zeros([2, 3]).slice([0, 2], [1, 2])).toThrowError(/slice: axis 1 range \[2, 4\)/);
  });

  it('backward on a non-scalar without a gradient, or without requiresGrad', () => {
    const x = zeros([2]).setRequiresGrad();
    expect(() => x.mul(2).backward()).toThrowError(/single-element output/);
    expect(() => zeros([1]).backward()).toThrowError(StateError);
  });

  it('custom ops whose backward returns a wrong shape are caught', () => {
    const bad = customOp({ name: 'bad', forward: (x) => x.mul(2), backward: (dy) => [dy.sum()] });
    const x = zeros([3]).setRequiresGrad();
    expect(() => bad(x).sum().backward()).toThrowError(
      /backward of 'bad': gradient for input 0 expected shape \[3\], got \[\]/,
    );
  });

  it('all are TenzoErrors with stable codes', () => {
    try {
      zeros([2]).add(zeros([3]));
    } catch (e) {
      expect(e).toBeInstanceOf(TenzoError);
      expect((e as TenzoError).code).toBe('E_SHAPE');
    }
  });
});
