import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../errors.js';
import { parseJsonStrict } from './parseJsonStrict.js';

describe('parseJsonStrict', () => {
  it('parses what JSON.parse parses, to equal values (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(JSON.stringify(parseJsonStrict(text, 'x'))).toBe(JSON.stringify(JSON.parse(text)));
      }),
      { numRuns: 300, seed: 1 },
    );
    expect(parseJsonStrict(' {"a": [1, -2.5e-3, "\\u00e9\\n", true, null]} ', 'x')).toEqual({
      a: [1, -0.0025, 'é\n', true, null],
    });
  });

  it('rejects duplicate keys, a byte-order mark and trailing text, naming the source and path', () => {
    expect(() => parseJsonStrict('{"a": 1, "b": {"c": 1, "c": 2}}', 'f.json')).toThrow(
      /f\.json: duplicate key "c" at character \d+ \(in b\)/,
    );
    expect(() => parseJsonStrict('\ufeff{}', 'f.json')).toThrow(/byte-order mark/);
    expect(() => parseJsonStrict('{} x', 'f.json')).toThrow(/trailing characters/);
    expect(() => parseJsonStrict('{"a": 01}', 'f.json')).toThrow(FormatError);
    expect(() => parseJsonStrict('{"a": NaN}', 'f.json')).toThrow(FormatError);
    expect(() => parseJsonStrict('{"a": "x', 'f.json')).toThrow(/unterminated string/);
    expect(() => parseJsonStrict('[[[[1]]]]', 'f.json', { maxDepth: 3 })).toThrow(/deeper than 3/);
    expect(() => parseJsonStrict('{"a":1,"b":2,"c":3}', 'f.json', { maxMembers: 2 })).toThrow(/more than 2/);
  });

  it('keeps __proto__ as an own key of a null-prototype object', () => {
    const v = parseJsonStrict('{"__proto__": {"polluted": 1}}', 'x') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws anything but a FormatError on garbage (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseJsonStrict(s, 'x');
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
        }
      }),
      { numRuns: 1000, seed: 2 },
    );
  });
});
