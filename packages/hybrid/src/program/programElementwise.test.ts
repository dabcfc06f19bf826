import { Rng, ShapeError } from '@tenzo/core';
import { clementsMesh, mrrWeightBank, slmPhaseMatrix } from '@tenzo/devices';
import { multilayerPerceptron } from '@tenzo/nn';
import { fromTypedArray, randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridMlp } from '../models/hybridMlp.js';
import { PhysicalLayer } from '../physicalLayer.js';
import { relativeError } from './fit.js';
import { initFromDigital } from './initFromDigital.js';
import { applyProgram } from './programDevice.js';
import { programElementwise } from './programElementwise.js';

const dIn = 12;
const dOut = 8;
/** a trained-like target: Gaussian entries of scale 1/√d_in */
function gaussianW(seed: number, rows = dOut, cols = dIn): Float64Array {
  const W = new Rng(seed).fillNormal(new Float64Array(rows * cols)) as Float64Array;
  return W.map((w) => w / Math.sqrt(cols));
}

describe('programElementwise (calibration sweep, inversion, measure-and-correct)', () => {
  it('SLM: a random W to about 1 %, honestly reported, from queries only', async () => {
    const W = gaussianW(1);
    const dev = slmPhaseMatrix({ dIn, dOut });
    const res = await programElementwise(dev, W);
    expect(res.initialError).toBeGreaterThan(0.9); // the reference init: A ≈ 0
    expect(res.error).toBeLessThan(0.03);
    // the reported error (identity probes) is the matrix error of the setting left on the device
    expect(Array.from(dev.params())).toEqual(Array.from(res.omega));
    expect(relativeError(dev.exact.matrix(res.omega), res.gain, W)).toBeCloseTo(res.error, 10);
    // 65 sweep levels + 3 correction reads, and 1 + 4 error reads (the identity probes by default)
    expect(res.queries.inputs).toBe((65 + 3 + 5) * dIn);
  });

  it('microrings with thermal crosstalk: the correction rounds remove what the sweep cannot see', async () => {
    const W = gaussianW(2);
    const dev = mrrWeightBank({ dIn, dOut, thermalCrosstalk: 0.05 });
    const res = await programElementwise(dev, W, { rounds: 4 });
    expect(res.history).toHaveLength(5);
    expect(res.history[0]!).toBeGreaterThan(0.05);
    expect(res.error).toBeLessThan(0.5 * res.history[0]!);
    expect(res.error).toBe(Math.min(...res.history));
  });

  it('applyProgram makes the next training forward rebuild the surrogate at the programmed ω', async () => {
    const dev = slmPhaseMatrix({ dIn, dOut });
    const layer = new PhysicalLayer(dev, new Rng(0), { rank: 3, zoSamples: 4, sketchSamples: 4 });
    layer.train();
    const x = randn([5, dIn], new Rng(13));
    await layer.forward(x);
    expect(layer.queries.rebuild).toBe(dIn); // built once, at the initial ω
    applyProgram(layer, await programElementwise(dev, gaussianW(4)));
    await layer.forward(x);
    expect(layer.queries.rebuild).toBe(2 * dIn); // rebuilt, not integrated across the jump
    expect(layer.queries.surrogate).toBe(0);
  });

  it('refuses a mesh, a bad range and a W of the wrong size, naming the argument', async () => {
    await expect(programElementwise(clementsMesh({ dIn: 4, dOut: 4 }), gaussianW(3, 4, 4))).rejects.toThrow(
      /programElementwise: device expected one parameter per matrix entry/,
    );
    const dev = slmPhaseMatrix({ dIn, dOut });
    await expect(programElementwise(dev, new Float64Array(5))).rejects.toThrow(ShapeError);
    await expect(programElementwise(dev, gaussianW(1), { range: [1, 1] })).rejects.toThrow(
      /programElementwise: range expected \[lo, hi\]/,
    );
    await expect(programElementwise(dev, gaussianW(1), { levels: 1 })).rejects.toThrow(/levels/);
  });
});

describe('initFromDigital (pretrained start)', () => {
  const spec = (deviceBias: boolean, center: boolean) => ({
    inputs: 20,
    width: 8,
    outputs: 3,
    dropout: 0,
    device: 'slm' as const,
    center,
    deviceBias,
    layer: { rank: 4, zoSamples: 4, sketchSamples: 4, seed: 1 },
    deviceSeed: 1,
  });
  const digital = multilayerPerceptron(
    { inputs: 20, hidden: [8, 8], outputs: 3, dropout: 0 },
    new Rng(5),
    new Rng(6),
  );
  const tensors = digital.stateDict();

  it('the hybrid computes what the trained digital network did, up to the programming error', async () => {
    const net = new HybridMlp(spec(true, false), new Rng(1), new Rng(2), new Rng(3));
    const x = fromTypedArray(new Rng(9).fillNormal(new Float32Array(16 * 20)) as Float32Array, [16, 20]);
    const probes = Float64Array.from(net.pre.forward(x).data);
    const { from, program } = await initFromDigital(net, tensors, { probes });
    expect(from).toEqual({ front: '0.', replaced: '2.', readout: '4.' });
    expect(program.error).toBeLessThan(0.05);
    net.eval();
    const want = digital.forward(x).data;
    const got = (await net.forward(x)).data;
    let num = 0;
    let den = 0;
    for (let k = 0; k < want.length; k++) {
      num += (got[k]! - want[k]!) ** 2;
      den += want[k]! ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(0.05);
  });

  it('refuses a net without the device bias, with centring, or a file of another shape', async () => {
    await expect(
      initFromDigital(new HybridMlp(spec(false, false), new Rng(1), new Rng(2), new Rng(3)), tensors),
    ).rejects.toThrow(/deviceBias: true/);
    await expect(
      initFromDigital(new HybridMlp(spec(true, true), new Rng(1), new Rng(2), new Rng(3)), tensors),
    ).rejects.toThrow(/center: false/);
    const wide = multilayerPerceptron(
      { inputs: 20, hidden: [8, 8, 8], outputs: 3, dropout: 0 },
      new Rng(5),
      new Rng(6),
    );
    const net = new HybridMlp(spec(true, false), new Rng(1), new Rng(2), new Rng(3));
    await expect(initFromDigital(net, wide.stateDict())).rejects.toThrow(
      /exactly 3 Linear layers .*got 4: 0\., 2\., 4\., 6\./,
    );
    const extra = { ...tensors, 'norm.weight': tensors['0.bias']! };
    await expect(initFromDigital(net, extra)).rejects.toThrow(/got also norm\.weight/);
    const other = multilayerPerceptron(
      { inputs: 20, hidden: [8, 6], outputs: 3, dropout: 0 },
      new Rng(5),
      new Rng(6),
    );
    await expect(initFromDigital(net, other.stateDict())).rejects.toThrow(
      /'2\.weight' \(the layer the device replaces\) expected \[8, 8\], got \[6, 8\]/,
    );
  });
});
