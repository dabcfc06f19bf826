import { ArgumentError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import {
  driftOptions,
  estimatorFlags,
  estimatorOptions,
  imperfectionsOf,
  layerFlags,
  layerOptions,
} from './layerFlags.js';
import { makeDevice } from './makeDevice.js';
import { convFrontWidth } from './models/convFront.js';
import { convFrontOf, frontFlags } from './models/frontFlags.js';
import { PhysicalLayer } from './physicalLayer.js';

const paper = {
  samples: 100,
  batchRank: 0,
  sketchEstimator: 'gaussian',
  backwardProbes: 0,
  backwardEstimator: 'gaussian',
  directions: 'gaussian',
  simulation: 'projected',
} as const;

describe('layer flags', () => {
  it("defaults are the paper's settings; M_SM follows --samples unless given", () => {
    expect(layerFlags.rank.default).toBe(10);
    expect(layerFlags.samples.default).toBe(100);
    expect(estimatorFlags.sketchEstimator.default).toBe('gaussian');
    expect(estimatorOptions(paper)).toEqual({
      zoSamples: 100,
      sketchSamples: 100,
      batchRank: 0,
      sketchEstimator: 'gaussian',
      backwardProbes: 0,
      backwardEstimator: 'gaussian',
      directions: 'gaussian',
      simulation: 'projected',
      trackSurrogateQuality: false,
    });
    expect(
      estimatorOptions({
        samples: 800,
        sketchSamples: 100,
        batchRank: 8,
        sketchEstimator: 'lstsq',
        backwardProbes: 100,
        backwardEstimator: 'orthogonal',
        directions: 'rademacher',
        simulation: 'materialised',
        surrogateCosine: true,
      }),
    ).toEqual({
      zoSamples: 800,
      sketchSamples: 100,
      batchRank: 8,
      sketchEstimator: 'lstsq',
      backwardProbes: 100,
      backwardEstimator: 'orthogonal',
      directions: 'rademacher',
      simulation: 'materialised',
      trackSurrogateQuality: true,
    });
    expect(estimatorOptions({ ...paper, sketchSamples: 30 }, 'pool')).toMatchObject({
      sketchSamples: 30,
      executor: 'pool',
    });
  });

  it('drift: off without --drift-every, a threshold alone is an error', () => {
    expect(driftOptions({})).toEqual({});
    expect(driftOptions({ driftEvery: 5 })).toEqual({ drift: { every: 5 } });
    expect(driftOptions({ driftEvery: 5, driftThreshold: 0.01 })).toEqual({
      drift: { every: 5, threshold: 0.01 },
    });
    expect(() => driftOptions({ driftThreshold: 0.1 })).toThrow(
      new ArgumentError('--drift-threshold: needs --drift-every <steps>, got --drift-threshold 0.1 alone'),
    );
  });

  it('layerOptions: the flags a command has, the layer defaults for the rest; a PhysicalLayer takes them', () => {
    const o = layerOptions({ ...paper, rank: 3, seed: 7, mu: 1e-3, driftEvery: 4 });
    expect(o).toMatchObject({ rank: 3, seed: 7, mu: 1e-3, zoSamples: 100, drift: { every: 4 } });
    expect('mode' in o || 'rebuildEvery' in o).toBe(false);
    const layer = new PhysicalLayer(makeDevice('slm', 8, { seed: 1, rank: 3 }), new Rng(1), o);
    expect(layer.options).toMatchObject({ rank: 3, seed: 7, mu: 1e-3, drift: { every: 4, threshold: 0.05 } });
    expect(layerOptions({ ...paper, rank: 3, seed: 7, mode: 'exact', rebuildEvery: 2 })).toMatchObject({
      mode: 'exact',
      rebuildEvery: 2,
    });
  });

  it('imperfections need a simulated device', () => {
    expect(imperfectionsOf({ noise: 0, phaseBits: 0 }, 'none')).toEqual({});
    expect(imperfectionsOf({ noise: 0.01, phaseBits: 4 }, 'mrr')).toEqual({ noise: 0.01, phaseBits: 4 });
    expect(() => imperfectionsOf({ noise: 0.01, phaseBits: 0 }, 'identity')).toThrow(
      new ArgumentError('--noise: needs a simulated --device, got --device identity'),
    );
    expect(() => imperfectionsOf({ noise: 0, phaseBits: 3 }, 'remote:http://127.0.0.1:1')).toThrow(
      /--phase-bits: needs a simulated --device/,
    );
  });

  it('front flags: the default conv front gives 64 device inputs; dense none', () => {
    const conv = { front: 'conv', convChannels: 16, convKernel: 14, convStride: 14, convPadding: 0 } as const;
    expect(frontFlags.convChannels.default).toBe(16);
    expect(convFrontWidth(convFrontOf(conv, 28, 28)!)).toBe(64);
    expect(convFrontOf({ ...conv, front: 'dense' }, 28, 28)).toBeUndefined();
  });
});
