import { Rng } from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridTdnn, type HybridTdnnSpec } from '../models/hybridTdnn.js';
import { relativeError } from './fit.js';
import { initTdnnFromDigital } from './initTdnnFromDigital.js';
import { trainedLike } from './trainedLike.js';

const spec = (device: HybridTdnnSpec['device'], extra: Partial<HybridTdnnSpec> = {}): HybridTdnnSpec => ({
  frames: 12,
  features: 5,
  channels: 6,
  embedding: 8,
  classes: 4,
  blocks: [
    [3, 1],
    [3, 2],
  ],
  dropout: 0.1,
  device,
  layer: { rank: 4, zoSamples: 4, sketchSamples: 4, seed: 1 },
  deviceSeed: 2,
  ...extra,
});

describe('initTdnnFromDigital (pretrained start of the TDNN hybrid)', () => {
  const digital = trainedLike(new HybridTdnn(spec('none'), new Rng(5), new Rng(6), new Rng(7)));
  const x = new Tensor(
    new Rng(9).fillNormal(new Float32Array(6 * 12 * 5)) as Float32Array,
    [6, 12, 5],
    'float32',
  );

  for (const [device, tol] of [
    ['slm', 0.05],
    ['usv', 1e-4],
  ] as const) {
    it(`${device}: the hybrid computes what the digital network did, up to the programming error`, async () => {
      const net = new HybridTdnn(
        spec(device, { center: false, deviceBias: true, phaseScreens: device === 'usv' }),
        new Rng(1),
        new Rng(2),
        new Rng(3),
      );
      const program = await initTdnnFromDigital(net, digital.stateDict());
      expect(program.error).toBeLessThan(device === 'usv' ? 1e-9 : 0.05);
      digital.eval();
      net.eval();
      const want = (await digital.forward(x)).data;
      const got = (await net.forward(x)).data;
      expect(relativeError(Float64Array.from(got), 1, Float64Array.from(want))).toBeLessThan(tol);
    });
  }

  it('refuses a net without the bias, with centring, and a file that is not the same digital TDNN', async () => {
    const build = (extra: Partial<HybridTdnnSpec>) =>
      new HybridTdnn(spec('slm', extra), new Rng(1), new Rng(2), new Rng(3));
    await expect(initTdnnFromDigital(build({ center: false }), digital.stateDict())).rejects.toThrow(
      /deviceBias: true/,
    );
    await expect(initTdnnFromDigital(build({ deviceBias: true }), digital.stateDict())).rejects.toThrow(
      /center: false/,
    );
    const net = build({ center: false, deviceBias: true });
    const { 'projection.bias': _, ...noBias } = digital.stateDict();
    await expect(initTdnnFromDigital(net, noBias)).rejects.toThrow(/tensors expected 'projection\.bias'/);
    const extra = { ...digital.stateDict(), 'head.weight': digital.stateDict()['projection.bias']! };
    await expect(initTdnnFromDigital(net, extra)).rejects.toThrow(/got also head\.weight/);
    const wide = new HybridTdnn({ ...spec('none'), embedding: 10 }, new Rng(5), new Rng(6), new Rng(7));
    await expect(initTdnnFromDigital(net, wide.stateDict())).rejects.toThrow(
      /expected \[8, 12\], got \[10, 12\]/,
    );
  });
});
