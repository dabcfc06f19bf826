import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { subset } from './dataset.js';

describe('subset', () => {
  const ds = {
    images: Float32Array.from([0, 0, 1, 1, 2, 2]),
    labels: Uint8Array.from([5, 6, 7]),
    n: 3,
    height: 1,
    width: 2,
  };
  it('copies the chosen rows in order and keeps other fields', () => {
    const s = subset(ds, [2, 0]);
    expect(s).toEqual({
      images: Float32Array.from([2, 2, 0, 0]),
      labels: Uint8Array.from([7, 5]),
      n: 2,
      height: 1,
      width: 2,
    });
    s.images[0] = 9;
    expect(ds.images[4]).toBe(2);
  });
  it('rejects indices outside the dataset', () => {
    expect(() => subset(ds, [3])).toThrow(ArgumentError);
    expect(() => subset(ds, [3])).toThrow('indices[0]: expected an integer in [0, 3), got 3');
  });
});
