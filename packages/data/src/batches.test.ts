import { ArgumentError, Rng, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { batchCount, batches } from './batches.js';

// n = 10 rows of d = 3; row i holds [i, i + 0.5, -i], label i % 4.
const n = 10;
const data = {
  images: Float32Array.from(
    { length: n * 3 },
    (_, k) => [Math.floor(k / 3), Math.floor(k / 3) + 0.5, -Math.floor(k / 3)][k % 3]!,
  ),
  labels: Int32Array.from({ length: n }, (_, i) => i % 4),
  n,
};

describe('batches', () => {
  it('visits every index exactly once per epoch, rows and labels together', () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const b of batches(data, { batchSize: 4, seed: 3 })) {
      sizes.push(b.size);
      expect(b.y).toBeInstanceOf(Int32Array);
      expect(b.x).toHaveLength(b.size * 3);
      for (let k = 0; k < b.size; k++) {
        const i = b.indices[k]!;
        seen.push(i);
        expect([...b.x.subarray(k * 3, k * 3 + 3)]).toEqual([i, i + 0.5, -i]);
        expect(b.y[k]).toBe(i % 4);
      }
    }
    expect(sizes).toEqual([4, 4, 2]);
    expect(seen.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(seen).not.toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('drops the short last batch on request and counts batches', () => {
    expect([...batches(data, { batchSize: 4, seed: 1, dropLast: true })].map((b) => b.size)).toEqual([4, 4]);
    expect(batchCount(10, 4)).toBe(3);
    expect(batchCount(10, 4, true)).toBe(2);
  });

  it('is reproducible for a seed, advances a shared rng, and keeps order without shuffle', () => {
    const order = (opts: Parameters<typeof batches>[1]) =>
      [...batches(data, opts)].flatMap((b) => [...b.indices]);
    expect(order({ batchSize: 3, seed: 5 })).toEqual(order({ batchSize: 3, seed: 5 }));
    const rng = new Rng(5);
    const epoch1 = order({ batchSize: 3, rng });
    const state = rng.getState();
    const epoch2 = order({ batchSize: 3, rng });
    expect(epoch1).toEqual(order({ batchSize: 3, seed: 5 }));
    expect(epoch2).not.toEqual(epoch1);
    // resuming from a checkpointed state replays epoch 2
    expect(order({ batchSize: 3, rng: Rng.fromState(state) })).toEqual(epoch2);
    expect(order({ batchSize: 3, shuffle: false })).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('fails at the call on bad arguments', () => {
    expect(() => batches(data, { batchSize: 4 })).toThrow(ArgumentError);
    expect(() => batches(data, { batchSize: 0, seed: 1 })).toThrow(
      'batchSize: expected an integer >= 1, got 0',
    );
    expect(() => batches({ ...data, labels: new Int32Array(3) }, { batchSize: 2, seed: 1 })).toThrow(
      ShapeError,
    );
  });
});
