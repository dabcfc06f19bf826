import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError, StateError } from './errors.js';
import { Rng } from './rng.js';
import { StateReader } from './stateReader.js';

const op = 'Thing.load';

describe('StateReader', () => {
  it('reads numbers, counts, booleans, typed arrays, generator states and nested records', () => {
    const w = new Float64Array([1, -0, Number.NaN]);
    const rng = new Rng(3).getState();
    const r = new StateReader(op, {
      x: Number.NEGATIVE_INFINITY,
      n: 4,
      flag: true,
      w,
      rng,
      inner: { y: null },
      list: [{ k: 1 }, { k: 2 }],
    });
    expect(r.number('x')).toBe(Number.NEGATIVE_INFINITY);
    expect(r.count('n')).toBe(4);
    expect(r.boolean('flag')).toBe(true);
    const copy = r.float64('w', 3);
    expect(Object.is(copy[1], -0) && Number.isNaN(copy[2])).toBe(true);
    copy[0] = 5;
    expect(w[0]).toBe(1); // a copy, not the snapshot's storage
    expect(r.rng('rng')).toEqual(rng);
    expect(r.record('inner').isNull('y')).toBe(true);
    expect(r.list('list').map((e) => e.count('k'))).toEqual([1, 2]);
  });

  it('names the function, the field path, the expectation and the value', () => {
    const r = new StateReader(op, {
      w: new Float64Array(2),
      list: [{ k: -1 }],
      s: 'x',
      inner: { rng: { algorithm: 'xoshiro256**', words: [1, 2], spareNormal: null } },
    });
    expect(() => r.float64('w', 3)).toThrow(ShapeError);
    expect(() => r.float64('w', 3)).toThrow(
      'Thing.load: w: expected a Float64Array of length 3, got Float64Array(2)',
    );
    expect(() => r.float64('missing')).toThrow(FormatError);
    expect(() => r.float64('missing')).toThrow('Thing.load: missing: expected a Float64Array, got undefined');
    expect(() => r.list('list')[0]!.count('k')).toThrow(
      'Thing.load: list[0].k: expected an integer >= 0, got -1',
    );
    expect(() => r.list('list')[0]!.count('k')).toThrow(FormatError);
    expect(() => r.boolean('s')).toThrow('Thing.load: s: expected a boolean, got "x"');
    expect(() => r.record('s')).toThrow(FormatError);
    expect(() => r.record('inner').rng('rng')).toThrow(/Thing\.load: inner\.rng\.words: expected 8 integers/);
    expect(() => new StateReader(op, [1, 2])).toThrow(
      'Thing.load: state: expected a state record, got [1, 2]',
    );
    expect(() => new StateReader(op, null)).toThrow(FormatError);
  });

  it("nested re-labels a part's errors with the caller and the field, keeping shape errors", () => {
    const r = new StateReader(op, { part: {} });
    expect(() =>
      r.nested('part', () => {
        throw new ShapeError('Part.load: a: expected length 2, got 3');
      }),
    ).toThrow(new ShapeError('Thing.load: part: Part.load: a: expected length 2, got 3'));
    expect(() =>
      r.nested('part', () => {
        throw new StateError('Part.load: busy');
      }),
    ).toThrow(FormatError);
    const plain = new Error('not ours');
    expect(() =>
      r.nested('part', () => {
        throw plain;
      }),
    ).toThrow(plain);
  });
});
