import { describe, expect, it } from 'vitest';
import {
  driftArgv,
  estimatorArgv,
  estimatorLabel,
  rebuildArgv,
  rebuildLabel,
  withoutDefaultEstimator,
} from './flagArgv.js';

describe('estimator flags', () => {
  it('the label names only what differs from the paper', () => {
    const paper = {
      backwardProbes: 0,
      backwardEstimator: 'gaussian',
      directions: 'gaussian',
      simulation: 'projected',
    } as const;
    expect(
      estimatorLabel({
        batchRank: 0,
        sketchEstimator: 'gaussian',
        ...paper,
        directions: 'rademacher',
        simulation: 'materialised',
      }),
    ).toBe(', rademacher, materialised');
    expect(
      estimatorArgv({
        batchRank: 0,
        sketchEstimator: 'gaussian',
        ...paper,
        directions: 'rademacher',
        simulation: 'materialised',
        surrogateCosine: true,
      }),
    ).toEqual(['--directions', 'rademacher', '--simulation', 'materialised', '--surrogate-cosine']);
    expect(estimatorLabel({ batchRank: 0, sketchEstimator: 'gaussian', ...paper })).toBe('');
    expect(estimatorArgv({ batchRank: 0, sketchEstimator: 'gaussian', ...paper })).toEqual([]);
    expect(
      estimatorLabel({ sketchSamples: 100, batchRank: 8, sketchEstimator: 'orthogonal', ...paper }),
    ).toBe(', M_SM = 100, batch rank 8, orthogonal sketch');
    const corrected = {
      batchRank: 0,
      sketchEstimator: 'gaussian',
      backwardProbes: 100,
      directions: 'gaussian',
      simulation: 'projected',
    } as const;
    expect(estimatorLabel({ ...corrected, backwardEstimator: 'gaussian' })).toBe(', M_BW = 100');
    expect(estimatorLabel({ ...corrected, backwardEstimator: 'orthogonal' })).toBe(', M_BW = 100 orthogonal');
    expect(estimatorArgv({ ...corrected, backwardEstimator: 'orthogonal' })).toEqual([
      '--backward-probes',
      '100',
      '--backward-estimator',
      'orthogonal',
    ]);
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
    expect(withoutDefaultEstimator({ seed: 1, backwardProbes: 0, backwardEstimator: 'gaussian' })).toEqual({
      seed: 1,
    });
    expect(withoutDefaultEstimator({ seed: 1, backwardProbes: 50, backwardEstimator: 'orthogonal' })).toEqual(
      { seed: 1, backwardProbes: 50, backwardEstimator: 'orthogonal' },
    );
    // runs from before --simulation were materialised; threads and the diagnostic change no result
    expect(
      withoutDefaultEstimator({ seed: 1, simulation: 'materialised', directions: 'gaussian', threads: 4 }),
    ).toEqual({ seed: 1 });
    expect(
      withoutDefaultEstimator({
        seed: 1,
        simulation: 'projected',
        directions: 'rademacher',
        surrogateCosine: true,
      }),
    ).toEqual({ seed: 1, simulation: 'projected', directions: 'rademacher' });
  });

  it("passes --rebuild-every on only when it asks for rebuilds (0 is the paper's KSL alone)", () => {
    expect(rebuildArgv({ rebuildEvery: 0 })).toEqual([]);
    expect(rebuildLabel({ rebuildEvery: 0 })).toBe('');
    expect(rebuildArgv({ rebuildEvery: 3 })).toEqual(['--rebuild-every', '3']);
    expect(rebuildLabel({ rebuildEvery: 1 })).toBe(', rebuild every 1');
  });

  it('drift flags become argv only when given', () => {
    expect(driftArgv({})).toEqual([]);
    expect(driftArgv({ driftEvery: 5 })).toEqual(['--drift-every', '5']);
    expect(driftArgv({ driftEvery: 5, driftThreshold: 0.1 })).toEqual([
      '--drift-every',
      '5',
      '--drift-threshold',
      '0.1',
    ]);
  });
});
