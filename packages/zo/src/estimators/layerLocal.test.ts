import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { layerParamGrad, type ParamQueryable, replayLayerParamGrad } from './layerLocal.js';

/** A small device linear in x: A(ω) = cos(ω)/√d_in (the SLM reference model), with counters. */
function slmLike(dIn: number, dOut: number) {
  let inputs = 0;
  const dev: ParamQueryable & {
    inputs(): number;
    vjp(X: Float64Array, Yb: Float64Array, w: Float64Array): Float64Array;
  } = {
    inputSize: dIn,
    outputSize: dOut,
    paramSize: dIn * dOut,
    async query(X, w) {
      const B = X.length / dIn;
      inputs += B;
      const Y = new Float64Array(B * dOut);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < dOut; i++) {
          let s = 0;
          for (let j = 0; j < dIn; j++) s += (Math.cos(w![i * dIn + j]!) / Math.sqrt(dIn)) * X[b * dIn + j]!;
          Y[b * dOut + i] = s;
        }
      return Y;
    },
    inputs: () => inputs,
    vjp(X, Yb, w) {
      const B = X.length / dIn;
      const g = new Float64Array(dIn * dOut);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < dOut; i++)
          for (let j = 0; j < dIn; j++)
            g[i * dIn + j]! +=
              (-Math.sin(w[i * dIn + j]!) / Math.sqrt(dIn)) * Yb[b * dOut + i]! * X[b * dIn + j]!;
      return g;
    },
  };
  return dev;
}

const cosine = (a: Float64Array, b: Float64Array) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    aa += a[k]! ** 2;
    bb += b[k]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};

describe('layerParamGrad (METHODS.md §1.2)', () => {
  const dIn = 6;
  const dOut = 4;
  const B = 32;
  const rng = new Rng(1);
  const X = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
  const Yb = rng.fillNormal(new Float64Array(B * dOut)) as Float64Array;
  const w = rng.fillUniform(new Float64Array(dIn * dOut), 0, 3) as Float64Array;

  it('batch compression gives the same estimate with d_out instead of B inputs per direction', async () => {
    const dev = slmLike(dIn, dOut);
    const plain = await layerParamGrad(dev, w, X, Yb, { q: 20, mu: 1e-4, rng: new Rng(5) });
    const used = dev.inputs();
    const comp = await layerParamGrad(dev, w, X, Yb, { q: 20, mu: 1e-4, rng: new Rng(5), compress: 'auto' });
    expect(comp.compressed).toBe(true);
    expect(plain.inputs).toBe(21 * B);
    expect(comp.inputs).toBe(21 * dOut);
    expect(dev.inputs() - used).toBe(21 * dOut);
    for (let k = 0; k < w.length; k++) expect(comp.grad[k]).toBeCloseTo(plain.grad[k]!, 6);
  });

  it('converges to the exact ω̄ as M grows (cosine ≥ 0.99 at M = 3000) and replays from its seed', async () => {
    const dev = slmLike(dIn, dOut);
    const exact = dev.vjp(X, Yb, w);
    const est = await layerParamGrad(dev, w, X, Yb, { q: 3000, mu: 1e-5, rng: new Rng(6), compress: true });
    expect(cosine(est.grad, exact)).toBeGreaterThan(0.99);
    const small = await layerParamGrad(dev, w, X, Yb, { q: 10, mu: 1e-5, rng: new Rng(6), compress: true });
    expect(cosine(small.grad, exact)).toBeLessThan(0.9);
    expect(Array.from(replayLayerParamGrad(w.length, est.seed, est.diffs))).toEqual(Array.from(est.grad));
  });

  it('a known baseline f_ω(X) saves one batch of queries', async () => {
    const dev = slmLike(dIn, dOut);
    const base = await dev.query(X, w);
    const r = await layerParamGrad(dev, w, X, Yb, { q: 3, rng: new Rng(7), baseline: base });
    expect(r.inputs).toBe(3 * B);
    expect(r.calls).toBe(3);
  });
});
