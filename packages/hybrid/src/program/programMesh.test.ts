import { Rng, ShapeError } from '@tenzo/core';
import { slmPhaseMatrix, usvMesh } from '@tenzo/devices';
import { multilayerPerceptron } from '@tenzo/nn';
import { fromTypedArray } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { makeDevice } from '../makeDevice.js';
import { HybridMlp } from '../models/hybridMlp.js';
import { relativeError } from './fit.js';
import { initFromDigital } from './initFromDigital.js';
import { programMesh } from './programMesh.js';

/** a trained-like target: Gaussian entries of scale 1/√d_in */
function gaussianW(seed: number, rows: number, cols: number): Float64Array {
  const W = new Rng(seed).fillNormal(new Float64Array(rows * cols)) as Float64Array;
  return W.map((w) => w / Math.sqrt(cols));
}

describe('programMesh (usv MZI layer from the SVD)', () => {
  // square, wide, tall, and odd widths (a padding mode on each mesh)
  for (const [dIn, dOut] of [
    [8, 8],
    [12, 6],
    [5, 9],
    [7, 7],
  ] as const) {
    it(`${dOut}×${dIn}: an ideal layer realises W exactly (to rounding), measured by queries`, async () => {
      const W = gaussianW(dIn + dOut, dOut, dIn);
      const dev = usvMesh({ dIn, dOut, phaseScreens: true, seed: 1 });
      const res = await programMesh(dev, W);
      expect(res.initialError).toBeGreaterThan(0.5); // a random start is nowhere near W
      expect(res.error).toBeLessThan(1e-10);
      expect(Array.from(dev.params())).toEqual(Array.from(res.omega));
      // the reported error is the matrix error of what was left on the device
      expect(relativeError(dev.exact.matrix(res.omega), res.gain, W)).toBeLessThan(1e-10);
      // σ_0 = 1 carries the largest singular value: the gain is ‖W‖₂
      const uPhases = 2 * dev.meshU.layout.blockCount + dev.meshU.layout.n;
      const sigma = res.omega.subarray(res.omega.length - uPhases - dev.rank, res.omega.length - uPhases);
      expect(sigma[0]).toBeCloseTo(1, 12);
      expect(Math.min(...sigma)).toBeGreaterThanOrEqual(0);
      // two reads of the identity probes: the start and the programmed setting
      expect(res.queries.inputs).toBe(2 * dIn);
    });
  }

  it('a rank-deficient W (σ = 0 on the null space); insertion loss: mostly a common scale, taken by the gain', async () => {
    const u = new Rng(2).fillNormal(new Float64Array(6)) as Float64Array;
    const v = new Rng(3).fillNormal(new Float64Array(6)) as Float64Array;
    const W = new Float64Array(36);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) W[i * 6 + j] = u[i]! * v[j]!;
    const res = await programMesh(usvMesh({ dIn: 6, dOut: 6, phaseScreens: true }), W);
    expect(res.error).toBeLessThan(1e-10);
    const lossy = usvMesh({ dIn: 6, dOut: 6, phaseScreens: true, lossDb: 0.3 });
    const l = await programMesh(lossy, gaussianW(4, 6, 6));
    // a rectangular mesh's edge modes skip a cell every other column, so the loss is not quite
    // uniform over the paths: a small real error, reported
    expect(l.error).toBeGreaterThan(1e-4);
    expect(l.error).toBeLessThan(0.05);
    // 0.3 dB per cell over both meshes' depths: a gain above ‖W‖₂ makes up for the common part
    const ideal = await programMesh(usvMesh({ dIn: 6, dOut: 6, phaseScreens: true }), gaussianW(4, 6, 6));
    expect(l.gain).toBeGreaterThan(1.2 * ideal.gain);
  });

  it('phase DAC bits and phase noise leave a real error, which is reported', async () => {
    const W = gaussianW(5, 8, 8);
    const q = await programMesh(usvMesh({ dIn: 8, dOut: 8, phaseScreens: true, phaseBits: 6 }), W);
    expect(q.error).toBeGreaterThan(1e-3);
    expect(q.error).toBeLessThan(0.3);
    const noisy = await programMesh(
      usvMesh({ dIn: 8, dOut: 8, phaseScreens: true, phaseNoise: 0.01, seed: 2 }),
      W,
    );
    expect(noisy.error).toBeGreaterThan(1e-4);
    expect(noisy.error).toBeLessThan(0.2);
  });

  it('refuses another device, a usv layer without phase screens and a W of the wrong size', async () => {
    await expect(programMesh(slmPhaseMatrix({ dIn: 4, dOut: 4 }), gaussianW(1, 4, 4))).rejects.toThrow(
      /programMesh: device expected a usv MZI layer .*got 'slm/,
    );
    await expect(programMesh(usvMesh({ dIn: 4, dOut: 4 }), gaussianW(1, 4, 4))).rejects.toThrow(
      /programMesh: device expected a usv layer built with phaseScreens: true/,
    );
    const dev = usvMesh({ dIn: 4, dOut: 4, phaseScreens: true });
    await expect(programMesh(dev, new Float64Array(5))).rejects.toThrow(ShapeError);
    await expect(programMesh(dev, gaussianW(1, 4, 4), { probes: new Float64Array(3) })).rejects.toThrow(
      /programMesh: probes expected a Float64Array of rows×4/,
    );
    expect(() => makeDevice('slm', 4, { seed: 0, rank: 2, phaseScreens: true })).toThrow(
      /makeDevice: phaseScreens expected only with kind 'usv'/,
    );
  });

  it('initFromDigital programs a usv hybrid from the trained network: it computes what the network did', async () => {
    const digital = multilayerPerceptron(
      { inputs: 20, hidden: [8, 8], outputs: 3, dropout: 0 },
      new Rng(5),
      new Rng(6),
    );
    const net = new HybridMlp(
      {
        inputs: 20,
        width: 8,
        outputs: 3,
        dropout: 0,
        device: 'usv',
        phaseScreens: true,
        center: false,
        deviceBias: true,
        layer: { rank: 4, zoSamples: 4, sketchSamples: 4, seed: 1 },
        deviceSeed: 1,
      },
      new Rng(1),
      new Rng(2),
      new Rng(3),
    );
    const x = fromTypedArray(new Rng(9).fillNormal(new Float32Array(16 * 20)) as Float32Array, [16, 20]);
    const probes = Float64Array.from(net.pre.forward(x).data);
    const { from, program } = await initFromDigital(net, digital.stateDict(), { probes });
    expect(from.replaced).toBe('2.');
    expect(program.error).toBeLessThan(1e-9);
    net.eval();
    const want = digital.forward(x).data;
    const got = (await net.forward(x)).data;
    // float32 digital layers around a float64 device: agreement to float32 rounding
    for (let k = 0; k < want.length; k++) expect(got[k]).toBeCloseTo(want[k]!, 4);
  });
});
