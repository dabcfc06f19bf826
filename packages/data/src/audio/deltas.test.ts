import { ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { cmvn } from './cmvn.js';
import { deltas } from './deltas.js';

describe('deltas', () => {
  it('a ramp a·t + b has delta a away from the edges; a constant has delta 0', () => {
    const frames = 10;
    const dim = 2;
    const feat = new Float32Array(frames * dim);
    for (let t = 0; t < frames; t++) {
      feat[t * dim] = 3 * t + 1;
      feat[t * dim + 1] = -4;
    }
    const d = deltas(feat, frames, dim, 2);
    for (let t = 2; t < frames - 2; t++) {
      expect(d[t * dim]).toBeCloseTo(3, 6);
      expect(d[t * dim + 1]).toBe(0);
    }
    // edge frames repeat: at t = 0, (1·(c1 − c0) + 2·(c2 − c0)) / 10 = (3 + 12)/10
    expect(d[0]).toBeCloseTo(1.5, 6);
  });

  it('checks shapes', () => {
    expect(() => deltas(new Float32Array(5), 2, 3)).toThrow(ShapeError);
  });
});

describe('cmvn', () => {
  it('gives each channel zero mean and unit variance over the frames (or zero mean only)', () => {
    const frames = 50;
    const dim = 3;
    const feat = Float64Array.from(
      { length: frames * dim },
      (_, i) => Math.sin(i) * (1 + (i % dim)) + (i % dim) * 7,
    );
    const copy = feat.slice();
    cmvn(feat, frames, dim, { eps: 0 });
    for (let c = 0; c < dim; c++) {
      let m = 0;
      let v = 0;
      for (let t = 0; t < frames; t++) m += feat[t * dim + c]!;
      for (let t = 0; t < frames; t++) v += feat[t * dim + c]! ** 2;
      expect(m / frames).toBeCloseTo(0, 12);
      expect(v / frames).toBeCloseTo(1, 12);
    }
    cmvn(copy, frames, dim, { variance: false });
    for (let c = 0; c < dim; c++) {
      let m = 0;
      for (let t = 0; t < frames; t++) m += copy[t * dim + c]!;
      expect(m / frames).toBeCloseTo(0, 12);
    }
  });

  it('keeps a constant channel finite (0) thanks to eps', () => {
    const feat = new Float32Array(8).fill(5);
    cmvn(feat, 4, 2);
    expect(Array.from(feat)).toEqual(new Array(8).fill(0));
  });
});
