import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { toJsonValue } from './toJsonValue.js';

describe('toJsonValue', () => {
  it('turns typed arrays, maps, sets, bigints and non-finite numbers into plain JSON', () => {
    const value = {
      acc: new Float32Array([0.5, 0.25]),
      ids: new BigInt64Array([3n]),
      loss: Number.NaN,
      steps: 10n,
      byClass: new Map([[1, 0.9]]),
      tags: new Set(['a']),
      skip: undefined,
      list: [1, undefined, Number.POSITIVE_INFINITY],
    };
    expect(toJsonValue(value)).toEqual({
      acc: [0.5, 0.25],
      ids: ['3'],
      loss: null,
      steps: '10',
      byClass: { '1': 0.9 },
      tags: ['a'],
      list: [1, null, null],
    });
  });
  it('keeps shared (non-cyclic) references and rejects cycles with the path', () => {
    const shared = { a: 1 };
    expect(toJsonValue({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
    const cyc: Record<string, unknown> = { a: { b: {} } };
    (cyc.a as Record<string, Record<string, unknown>>).b!.c = cyc;
    expect(() => toJsonValue(cyc)).toThrow(ArgumentError);
    expect(() => toJsonValue(cyc)).toThrow('$.a.b.c: expected acyclic data');
  });
});
