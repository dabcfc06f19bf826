import { ArgumentError, Rng } from '@tenzo/core';
import { Adam, AdamW, cosineLR, Linear, withWarmup } from '@tenzo/nn';
import { describe, expect, it } from 'vitest';
import { hybridOptimizers } from './hybridOptimizers.js';
import { makeDevice } from './makeDevice.js';
import { PhysicalLayer } from './physicalLayer.js';

const layer = (seed: number) =>
  new PhysicalLayer(makeDevice('slm', 8, { seed, rank: 2 }), new Rng(seed), {
    rank: 2,
    zoSamples: 2,
    sketchSamples: 2,
  });

describe('hybridOptimizers', () => {
  it('warm-up + cosine for the digital weights, cosine Adam for every unfrozen layer ω and gain', () => {
    const net = new Linear(4, 4, new Rng(0));
    const digital = new AdamW(net.parameters(), { lr: 0.01 });
    const [a, b, frozen] = [layer(1), layer(2), layer(3)];
    frozen.frozen = true;
    const { optimizers, schedules } = hybridOptimizers({
      digital,
      lr: 0.01,
      warmup: 10,
      totalSteps: 100,
      minLr: 0.001,
      physical: [a, b, frozen],
      device: { lr: 0.1, beta1: 0.5 },
    });
    expect(Object.keys(optimizers)).toEqual(['digital', 'device']);
    expect(optimizers.digital).toBe(digital);
    const device = optimizers.device as Adam;
    expect(device).toBeInstanceOf(Adam);
    expect(device.beta1).toBe(0.5);
    // two layers' ω and gain; the frozen layer has none
    expect(device.params).toEqual([a.omega, a.gain, b.omega, b.gain]);
    expect(device.names).toEqual(['device0.omega', 'device0.gain', 'device1.omega', 'device1.gain']);
    const want = withWarmup(cosineLR({ lr: 0.01, totalSteps: 90, minLr: 0.001 }), 10);
    for (const s of [0, 5, 10, 50, 99]) expect(schedules.digital!(s)).toBe(want(s));
    expect(schedules.device!(100)).toBeCloseTo(0, 15);
    expect(schedules.device!(0)).toBe(0.1);
  });

  it("names a single layer's parameters device.omega/device.gain and gives no device optimizer when all are frozen", () => {
    const net = new Linear(4, 4, new Rng(0));
    const single = hybridOptimizers({
      digital: new AdamW(net.parameters(), { lr: 0.01 }),
      lr: 0.01,
      warmup: 0,
      totalSteps: 10,
      physical: [layer(1)],
      device: { lr: 0.1 },
    });
    expect((single.optimizers.device as Adam).names).toEqual(['device.omega', 'device.gain']);
    const f = layer(2);
    f.frozen = true;
    const none = hybridOptimizers({
      digital: new AdamW(net.parameters(), { lr: 0.01 }),
      lr: 0.01,
      warmup: 0,
      totalSteps: 10,
      physical: [f],
      device: { lr: 0.1 },
    });
    expect(Object.keys(none.optimizers)).toEqual(['digital']);
    expect(Object.keys(none.schedules)).toEqual(['digital']);
    expect(() =>
      hybridOptimizers({
        digital: {} as never,
        lr: 1,
        warmup: 0,
        totalSteps: 1,
        physical: [],
        device: { lr: 1 },
      }),
    ).toThrow(ArgumentError);
  });
});
