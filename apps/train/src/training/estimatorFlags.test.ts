import { describe, expect, it } from 'vitest';
import { estimatorLabel, estimatorOptions, withoutDefaultEstimator } from './estimatorFlags.js';

describe('estimator flags', () => {
  it('M_SM follows --samples unless given; the label names only what differs from the paper', () => {
    expect(estimatorOptions({ samples: 100, batchRank: 0 })).toEqual({
      zoSamples: 100,
      sketchSamples: 100,
      batchRank: 0,
    });
    expect(estimatorOptions({ samples: 800, sketchSamples: 100, batchRank: 8 })).toEqual({
      zoSamples: 800,
      sketchSamples: 100,
      batchRank: 8,
    });
    expect(estimatorLabel({ batchRank: 0 })).toBe('');
    expect(estimatorLabel({ sketchSamples: 100, batchRank: 8 })).toBe(', M_SM = 100, batch rank 8');
  });

  it('drops batchRank = 0 from resume configs, so older runs still match', () => {
    expect(withoutDefaultEstimator({ seed: 1, batchRank: 0 })).toEqual({ seed: 1 });
    expect(withoutDefaultEstimator({ seed: 1, batchRank: 4 })).toEqual({ seed: 1, batchRank: 4 });
  });
});
