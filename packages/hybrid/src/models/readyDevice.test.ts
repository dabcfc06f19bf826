import { ArgumentError, Rng } from '@tenzo/core';
import { slmPhaseMatrix } from '@tenzo/devices';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { HybridMlp } from './hybridMlp.js';
import { HybridTdnn } from './hybridTdnn.js';

// a device built beforehand (in training: `await remoteDevice(...)`) stands where makeDevice's would
const layer = { rank: 2, zoSamples: 4, sketchSamples: 4, seed: 0 };
const mlp = { inputs: 6, width: 8, outputs: 3, dropout: 0, deviceSeed: 0, layer };
const tdnn = {
  features: 6,
  frames: 10,
  channels: 8,
  blocks: [
    [5, 1],
    [3, 2],
  ] as [number, number][],
  embedding: 8,
  classes: 3,
  dropout: 0,
  deviceSeed: 0,
  layer,
};

describe('hybrid models with a ready device', () => {
  it('HybridMlp and HybridTdnn on a given device equal the ones that built the same simulator', async () => {
    const x = randn([4, 6], new Rng(3));
    const built = new HybridMlp({ ...mlp, device: 'slm' }, new Rng(0), new Rng(1), new Rng(2));
    const given = new HybridMlp(
      { ...mlp, device: slmPhaseMatrix({ dIn: 8, dOut: 8, seed: 0 }) },
      new Rng(0),
      new Rng(1),
      new Rng(2),
    );
    expect((await given.forward(x)).toFlat()).toEqual((await built.forward(x)).toFlat());
    const xt = randn([4, 10, 6], new Rng(3));
    const tBuilt = new HybridTdnn({ ...tdnn, device: 'slm' }, new Rng(0), new Rng(1), new Rng(2));
    const tGiven = new HybridTdnn(
      { ...tdnn, device: slmPhaseMatrix({ dIn: 8, dOut: 8, seed: 0 }) },
      new Rng(0),
      new Rng(1),
      new Rng(2),
    );
    expect((await tGiven.forward(xt)).toFlat()).toEqual((await tBuilt.forward(xt)).toFlat());
  });

  it('refuse a device of another width, naming it', () => {
    const wrong = slmPhaseMatrix({ dIn: 8, dOut: 5 });
    expect(() => new HybridMlp({ ...mlp, device: wrong }, new Rng(0), new Rng(1), new Rng(2))).toThrowError(
      new ArgumentError(`HybridMlp: device: expected a 8 → 8 device (width), got '${wrong.name}' 8 → 5`),
    );
    expect(() => new HybridTdnn({ ...tdnn, device: wrong }, new Rng(0), new Rng(1), new Rng(2))).toThrowError(
      new ArgumentError(
        `HybridTdnn: device: expected a 8 → 8 device (the embedding), got '${wrong.name}' 8 → 5`,
      ),
    );
  });
});
