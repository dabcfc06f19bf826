import { FormatError, Rng, type StateRecord } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './codec.js';

const bits = (a: ArrayLike<number>) => Array.from(new Uint8Array(new Float64Array(Array.from(a)).buffer));

describe('encodeState / decodeState', () => {
  it('round-trips every value kind exactly: ±∞, NaN, −0, typed arrays, nesting', () => {
    const state: StateRecord = {
      a: 1.5,
      edge: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, -0, 0, 5e-324],
      s: 'text',
      b: true,
      n: null,
      f64: new Float64Array([Math.PI, -0, Number.NaN]),
      f32: new Float32Array([0.1, 3]),
      i32: new Int32Array([-(2 ** 31), 2 ** 31 - 1]),
      u32: new Uint32Array([0, 2 ** 32 - 1]),
      nested: { list: [{ x: new Float64Array([1]) }, [2, 3]] },
    };
    const back = decodeState(encodeState(state));
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect(bits(back.f64 as Float64Array)).toEqual(bits(state.f64 as Float64Array));
    expect(back.f32).toEqual(state.f32);
    expect(back.i32).toEqual(state.i32);
    expect(back.u32).toEqual(state.u32);
    const edge = back.edge as number[];
    expect(edge[0]).toBe(Number.POSITIVE_INFINITY);
    expect(edge[1]).toBe(Number.NEGATIVE_INFINITY);
    expect(edge[2]).toBeNaN();
    expect(Object.is(edge[3], -0)).toBe(true);
    expect(Object.is(edge[4], 0)).toBe(true);
    expect(edge[5]).toBe(5e-324);
    expect(back.nested).toEqual(state.nested);
    expect([back.a, back.s, back.b, back.n]).toEqual([1.5, 'text', true, null]);
  });

  it('keeps random float64 values bit for bit (property)', () => {
    const rng = new Rng(1);
    for (let t = 0; t < 50; t++) {
      const xs = Array.from({ length: 20 }, () => (rng.normal() * 10 ** rng.int(600)) / 10 ** 300);
      const back = decodeState(encodeState({ xs, arr: Float64Array.from(xs) }));
      expect(bits(back.xs as number[])).toEqual(bits(xs));
      expect(bits(back.arr as Float64Array)).toEqual(bits(xs));
    }
  });

  it('leaves out object members that are undefined (absent optional settings)', () => {
    expect(decodeState(encodeState({ a: 1, b: undefined as never }))).toEqual({ a: 1 });
  });

  it('copies: changing the source after encoding changes nothing', () => {
    const a = new Float64Array([1, 2]);
    const enc = encodeState({ a });
    a[0] = 9;
    expect(Array.from(decodeState(enc).a as Float64Array)).toEqual([1, 2]);
  });

  it('rejects what it cannot store or read, naming the path', () => {
    expect(() => encodeState({ x: new Uint8Array(2) as never })).toThrow(/'x' is a Uint8Array/);
    expect(() => encodeState({ $x: 1 })).toThrow(/reserves/);
    expect(() => encodeState({ f: (() => 1) as never })).toThrow(FormatError);
    expect(() => decodeState({ arrays: {}, json: '{' })).toThrow(/does not parse/);
    expect(() => decodeState({ arrays: {}, json: '[1]' })).toThrow(/object at the top/);
    expect(() => decodeState({ arrays: {}, json: '{"a":{"$array":"a","type":"Float64Array"}}' })).toThrow(
      /'a' refers to array "a", which is missing/,
    );
    expect(() =>
      decodeState({
        arrays: { a: new Float64Array([0.5]) },
        json: '{"a":{"$array":"a","type":"Int32Array"}}',
      }),
    ).toThrow(/not a Int32Array value/);
    expect(() => decodeState({ arrays: {}, json: '{"a":{"$number":"7"}}' })).toThrow(/\$number/);
  });
});
