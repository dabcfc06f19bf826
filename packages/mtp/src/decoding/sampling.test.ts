import { OutOfRangeError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { sampleFrom, samplingDistribution } from './sampling.js';

const logp = Float64Array.from([0.5, 0.2, 0.15, 0.1, 0.05], Math.log);

describe('samplingDistribution: top-p (nucleus)', () => {
  it('keeps the smallest most-likely set reaching p, renormalised', () => {
    expect(Array.from(samplingDistribution(logp, { topP: 0.5 }))).toEqual([1, 0, 0, 0, 0]);
    const q = samplingDistribution(logp, { topP: 0.8 });
    // 0.5 + 0.2 = 0.7 < 0.8, so the third token joins: mass 0.85
    expect(q[0]).toBeCloseTo(0.5 / 0.85, 14);
    expect(q[2]).toBeCloseTo(0.15 / 0.85, 14);
    expect(q[3]).toBe(0);
    expect(q[4]).toBe(0);
    expect(Array.from(samplingDistribution(logp, { topP: 1 }))).toEqual(
      Array.from(samplingDistribution(logp, {})),
    );
  });

  it('applies after temperature and top-k, breaks ties by token id, and never empties the set', () => {
    const flat = new Float64Array(4).fill(Math.log(0.25));
    expect(Array.from(samplingDistribution(flat, { topP: 0.3 }))).toEqual([0.5, 0.5, 0, 0]);
    expect(Array.from(samplingDistribution(flat, { topP: 1e-9 }))).toEqual([1, 0, 0, 0]);
    const q = samplingDistribution(logp, { topK: 2, topP: 0.99 });
    expect(q[0]! + q[1]!).toBeCloseTo(1, 14);
    // a high temperature flattens the distribution, so the nucleus grows
    const hot = samplingDistribution(logp, { temperature: 5, topP: 0.8 });
    expect(Array.from(hot).filter((x) => x > 0).length).toBeGreaterThan(3);
  });

  it('draws only from the nucleus', () => {
    const q = samplingDistribution(logp, { topP: 0.7 });
    const rng = new Rng(1);
    for (let i = 0; i < 500; i++) expect(sampleFrom(q, rng)).toBeLessThan(2);
  });

  it('refuses a topP outside (0, 1]', () => {
    for (const topP of [0, -0.1, 1.5, Number.NaN])
      expect(() => samplingDistribution(logp, { topP })).toThrow(/topP/);
    expect(() => samplingDistribution(logp, { topP: 2 })).toThrow(OutOfRangeError);
  });
});
