import { Rng } from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridCnn, type HybridCnnSpec } from '../models/hybridCnn.js';
import { relativeError } from './fit.js';
import { initFromDigital } from './initFromDigital.js';
import { loadDigitalTwin } from './loadDigitalTwin.js';
import { trainedLike } from './trainedLike.js';

// initFromDigital's path for a front that is not one dense Linear: the CNN's conv–BatchNorm stages
// and head load from the digital twin by name, the device is programmed to `middle.weight`.
const spec = (device: HybridCnnSpec['device'], extra: Partial<HybridCnnSpec> = {}): HybridCnnSpec => ({
  image: { height: 8, width: 8, channels: 2 },
  stages: [3, 4],
  width: 6,
  outputs: 3,
  dropout: 0.1,
  device,
  layer: { rank: 4, zoSamples: 4, sketchSamples: 4, seed: 1 },
  deviceSeed: 2,
  ...extra,
});

describe('initFromDigital with the CNN (pretrained start of HybridCnn)', () => {
  const digital = trainedLike(new HybridCnn(spec('none'), new Rng(5), new Rng(6), new Rng(7)));
  const x = new Tensor(new Rng(9).fillNormal(new Float32Array(5 * 128)) as Float32Array, [5, 128], 'float32');
  const hybrid = (device: HybridCnnSpec['device'], extra: Partial<HybridCnnSpec> = {}) =>
    new HybridCnn(
      spec(device, { center: false, deviceBias: true, phaseScreens: device === 'usv', ...extra }),
      new Rng(1),
      new Rng(2),
      new Rng(3),
    );

  for (const [device, tol] of [
    ['slm', 0.05],
    ['mrr', 0.05],
    ['usv', 1e-4],
  ] as const) {
    it(`${device}: the hybrid computes what the digital CNN did, up to the programming error`, async () => {
      const net = hybrid(device);
      net.eval();
      const before = Float64Array.from((await net.forward(x)).data);
      const { from, program } = await initFromDigital(net, digital.stateDict());
      expect(from).toEqual({ front: 'pre.', replaced: 'middle.', readout: 'post.' });
      expect(program.error).toBeLessThan(device === 'usv' ? 1e-9 : 0.05);
      // the BatchNorm statistics came along (eval mode uses them)
      const own = net.stateDict();
      for (const [name, t] of Object.entries(digital.stateDict()))
        if (name.startsWith('pre.')) expect(Array.from(own[name]!.data)).toEqual(Array.from(t.data));
      digital.eval();
      const want = Float64Array.from((await digital.forward(x)).data);
      const got = Float64Array.from((await net.forward(x)).data);
      expect(relativeError(got, 1, want)).toBeLessThan(tol);
      // and it was not already so before the start
      expect(relativeError(before, 1, want)).toBeGreaterThan(0.2);
    });
  }

  it('refuses a net without the bias or with centring, and a file that is not the same digital CNN', async () => {
    await expect(initFromDigital(hybrid('slm', { deviceBias: false }), digital.stateDict())).rejects.toThrow(
      /deviceBias: true/,
    );
    await expect(initFromDigital(hybrid('slm', { center: true }), digital.stateDict())).rejects.toThrow(
      /center: false/,
    );
    const net = hybrid('slm');
    const own = net.stateDict()['pre.0.weight']!.data.slice();
    const { 'middle.bias': _, ...noBias } = digital.stateDict();
    await expect(initFromDigital(net, noBias)).rejects.toThrow(
      /initFromDigital: tensors expected 'middle\.bias' \(a digital network of the same spec\)/,
    );
    const extra = { ...digital.stateDict(), 'head.weight': digital.stateDict()['middle.bias']! };
    await expect(initFromDigital(net, extra)).rejects.toThrow(/got also head\.weight/);
    const narrow = new HybridCnn(spec('none', { stages: [2, 4] }), new Rng(5), new Rng(6), new Rng(7));
    await expect(initFromDigital(net, narrow.stateDict())).rejects.toThrow(
      /tensors 'pre\.0\.weight' expected \[3, 2, 3, 3\], got \[2, 2, 3, 3\]/,
    );
    const wide = new HybridCnn(spec('none', { width: 7 }), new Rng(5), new Rng(6), new Rng(7));
    await expect(initFromDigital(net, wide.stateDict())).rejects.toThrow(
      /tensors 'pre\.9\.weight' expected \[6, 16\], got \[7, 16\]/,
    );
    // the exported loader refuses what is not a net or a state dict, by name
    expect(() => loadDigitalTwin('f', net, null as never, 'middle', 'x')).toThrow(
      /f: tensors: expected an object, got null/,
    );
    expect(() => loadDigitalTwin('f', {} as never, digital.stateDict(), 'middle', 'x')).toThrow(
      /f: net expected a hybrid module, got/,
    );
    // nothing was written by the refused starts
    expect(Array.from(net.stateDict()['pre.0.weight']!.data)).toEqual(Array.from(own));
  });
});
