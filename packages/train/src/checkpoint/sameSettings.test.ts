import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameSettings } from './sameSettings.js';

const json = fc.jsonValue();

/** `v` with every object's members in a new order (arrays keep theirs). */
function reorder(v: unknown, pick: (n: number) => number): unknown {
  if (Array.isArray(v)) return v.map((x) => reorder(x, pick));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v);
  const out: [string, unknown][] = [];
  while (entries.length > 0) {
    const [k, x] = entries.splice(pick(entries.length), 1)[0]!;
    out.push([k, reorder(x, pick)]);
  }
  return Object.fromEntries(out);
}

describe('sameSettings', () => {
  it('ignores the order of object members, at any depth (property)', () => {
    fc.assert(
      fc.property(json, fc.array(fc.nat(), { minLength: 1 }), (v, picks) => {
        let i = 0;
        const shuffled = reorder(v, (n) => picks[i++ % picks.length]! % n);
        expect(sameSettings(v, shuffled)).toBe(true);
        expect(sameSettings(shuffled, v)).toBe(true);
      }),
    );
  });

  it('is JSON equality otherwise (property)', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const sorted = (x: unknown) =>
          JSON.stringify(
            reorder(x, () => 0),
            (_k, y) =>
              y !== null && typeof y === 'object' && !Array.isArray(y)
                ? Object.fromEntries(Object.entries(y).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
                : y,
          );
        expect(sameSettings(a, b)).toBe(sorted(a) === sorted(b));
      }),
    );
  });

  it('compares flags typed in another order as the same, and a changed or added flag as different', () => {
    const typed = { steps: 600, seed: 0, lr: 2e-3, corpus: 'text', seeds: undefined };
    expect(sameSettings(typed, { corpus: 'text', lr: 2e-3, steps: 600, seed: 0 })).toBe(true);
    expect(sameSettings(typed, { corpus: 'text', lr: 2e-3, steps: 600, seed: 1 })).toBe(false);
    expect(sameSettings(typed, { corpus: 'text', lr: 2e-3, steps: 600, seed: 0, rank: 10 })).toBe(false);
    expect(sameSettings({ layers: [1, 2] }, { layers: [2, 1] })).toBe(false);
    expect(sameSettings({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toBe(true);
  });

  it('is false, never a throw, for what JSON cannot write', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(sameSettings({ n: 1n }, { n: 1n })).toBe(false);
    expect(sameSettings(cyclic, cyclic)).toBe(false);
    expect(sameSettings({ f: () => 1 }, { f: () => 1 })).toBe(false);
    // undefined and null (a missing config) are the same empty setting, as JSON writes them
    expect(sameSettings(undefined, null)).toBe(true);
  });
});
