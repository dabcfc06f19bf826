import { Rng, ShapeError } from '@tenzo/core';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { KVCache, LayerKVCache } from './kvCache.js';

const kv = (t: number, seed: number, dtype: 'float32' | 'float64' = 'float64') =>
  randn([1, 2, t, 3], new Rng(seed), { dtype });

/** Positions [from, to) of a [1, 2, T, 3] tensor, per head, as plain numbers. */
function positions(x: { toFlat(): ArrayLike<number>; shape: readonly number[] }, from: number, to: number) {
  const t = x.shape[2]!;
  const flat = Array.from(x.toFlat());
  return [0, 1].map((h) => flat.slice((h * t + from) * 3, (h * t + to) * 3));
}

describe('LayerKVCache', () => {
  it('keeps the appended positions in order; truncate rolls back without losing the kept ones', () => {
    const c = new LayerKVCache();
    const [k1, v1, k2, v2, k3, v3] = [kv(3, 1), kv(3, 2), kv(4, 3), kv(4, 4), kv(2, 5), kv(2, 6)];
    c.append(k1, v1);
    const all = c.append(k2, v2);
    expect(c.length).toBe(7);
    expect(all.k.shape).toEqual([1, 2, 7, 3]);
    expect(positions(all.k, 3, 7)).toEqual(positions(k2, 0, 4));
    // a rejected draft: keep 5 of the 7 positions, then append 2 new ones
    c.truncate(5);
    expect(c.length).toBe(5);
    expect(c.k!.shape).toEqual([1, 2, 5, 3]);
    expect(positions(c.v!, 0, 5)).toEqual(positions(all.v, 0, 5));
    const next = c.append(k3, v3);
    expect(next.k.shape).toEqual([1, 2, 7, 3]);
    expect(positions(next.k, 0, 3)).toEqual(positions(k1, 0, 3));
    expect(positions(next.k, 3, 5)).toEqual(positions(k2, 0, 2));
    expect(positions(next.k, 5, 7)).toEqual(positions(k3, 0, 2));
    expect(positions(next.v, 5, 7)).toEqual(positions(v3, 0, 2));
    c.truncate(0);
    expect(c.length).toBe(0);
    expect(c.k).toBeNull();
    expect(c.append(k3, v3).k.shape).toEqual([1, 2, 2, 3]);
  });

  it('refuses keys of another shape or dtype than the cache, and rolls forward never', () => {
    const c = new LayerKVCache();
    c.append(kv(2, 1), kv(2, 2));
    expect(() => c.append(randn([1, 3, 1, 3], new Rng(1), { dtype: 'float64' }), kv(1, 2))).toThrow(
      ShapeError,
    );
    expect(() => c.append(kv(1, 1, 'float32'), kv(1, 2, 'float32'))).toThrow(
      /LayerKVCache.append: k expected \[1, 2, T, 3\] float64 like the cache, got \[1, 2, 1, 3\] float32/,
    );
    expect(() => c.append(randn([2, 3], new Rng(1)), kv(1, 2))).toThrow(/expected \[B, H, T, headDim\]/);
    expect(() => c.append(kv(1, 1), kv(2, 2))).toThrow(/k and v expected the same number of positions/);
    expect(c.length).toBe(2);
    c.truncate(1);
    expect(() => c.truncate(2)).toThrow('LayerKVCache.truncate: length expected ≤ 1, got 2');
    const all = new KVCache(3);
    expect(all.length).toBe(0);
  });
});
