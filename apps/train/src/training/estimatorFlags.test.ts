import { describe, expect, it } from 'vitest';
import {
  estimatorLabel,
  estimatorOptions,
  rebuildArgv,
  rebuildLabel,
  withoutDefaultEstimator,
} from './estimatorFlags.js';

describe('estimator flags', () => {
  it('M_SM follows --samples unless given; the label names only what differs from the paper', () => {
    expect(estimatorOptions({ samples: 100, batchRank: 0, sketchEstimator: 'gaussian' })).toEqual({
      zoSamples: 100,
      sketchSamples: 100,
      batchRank: 0,
      sketchEstimator: 'gaussian',
    });
    expect(
      estimatorOptions({ samples: 800, sketchSamples: 100, batchRank: 8, sketchEstimator: 'lstsq' }),
    ).toEqual({
      zoSamples: 800,
      sketchSamples: 100,
      batchRank: 8,
      sketchEstimator: 'lstsq',
    });
    expect(estimatorLabel({ batchRank: 0, sketchEstimator: 'gaussian' })).toBe('');
    expect(estimatorLabel({ sketchSamples: 100, batchRank: 8, sketchEstimator: 'orthogonal' })).toBe(
      ', M_SM = 100, batch rank 8, orthogonal sketch',
    );
  });

  it('drops the paper-default estimator settings from resume configs, so older runs still match', () => {
    expect(withoutDefaultEstimator({ seed: 1, batchRank: 0, sketchEstimator: 'gaussian' })).toEqual({
      seed: 1,
    });
    expect(withoutDefaultEstimator({ seed: 1, batchRank: 4, sketchEstimator: 'gaussian' })).toEqual({
      seed: 1,
      batchRank: 4,
    });
    expect(withoutDefaultEstimator({ seed: 1, batchRank: 0, sketchEstimator: 'lstsq' })).toEqual({
      seed: 1,
      sketchEstimator: 'lstsq',
    });
  });

  it("passes --rebuild-every on only when it asks for rebuilds (0 is the paper's KSL alone)", () => {
    expect(rebuildArgv({ rebuildEvery: 0 })).toEqual([]);
    expect(rebuildLabel({ rebuildEvery: 0 })).toBe('');
    expect(rebuildArgv({ rebuildEvery: 3 })).toEqual(['--rebuild-every', '3']);
    expect(rebuildLabel({ rebuildEvery: 1 })).toBe(', rebuild every 1');
  });
});
