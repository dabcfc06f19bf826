import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, makeDevice, type SimulatedDeviceKind } from './makeDevice.js';

const SIMULATED = DEVICE_KINDS.filter((k): k is SimulatedDeviceKind => k !== 'none' && k !== 'identity');

describe('makeDevice', () => {
  it('builds a d×d device of every simulated kind; the same seed gives the same device', async () => {
    expect(SIMULATED).toEqual(['slm', 'mrr', 'mzi', 'usv', 'monarch', 'matvec', 'lowrank']);
    const X = new Float64Array(3 * 6);
    new Rng(2).fillNormal(X);
    for (const kind of SIMULATED) {
      const a = makeDevice(kind, 6, { seed: 4, rank: 2 });
      const b = makeDevice(kind, 6, { seed: 4, rank: 2, noise: 0 });
      expect([a.inputSize, a.outputSize]).toEqual([6, 6]);
      const w = a.initParams(new Rng(1));
      a.setParams(w);
      b.setParams(w);
      expect(Array.from(await a.query(X))).toEqual(Array.from(await b.query(X)));
    }
  });

  it('relative output noise perturbs each read-out by about σ·|y|', async () => {
    const dev = makeDevice('matvec', 32, { seed: 0, rank: 4, noise: 0.01 });
    const clean = makeDevice('matvec', 32, { seed: 0, rank: 4 });
    const w = dev.initParams(new Rng(1));
    dev.setParams(w);
    clean.setParams(w);
    const X = new Float64Array(64 * 32);
    new Rng(2).fillNormal(X);
    const y = await dev.query(X);
    const y0 = await clean.query(X);
    let num = 0;
    let den = 0;
    for (let i = 0; i < y.length; i++) {
      num += (y[i]! - y0[i]!) ** 2;
      den += y0[i]! ** 2;
    }
    expect(Math.sqrt(num / den)).toBeGreaterThan(0.008);
    expect(Math.sqrt(num / den)).toBeLessThan(0.012);
  });

  it('phase bits reach SLM, MRR, the meshes and Monarch and are refused for digital controls', () => {
    for (const kind of ['slm', 'mrr', 'mzi', 'usv', 'monarch'] as const) {
      const dev = makeDevice(kind, 4, { seed: 0, rank: 2, phaseBits: 3 }) as unknown as {
        phaseBits: number | null;
      };
      expect(dev.phaseBits).toBe(3);
    }
    expect(() => makeDevice('lowrank', 4, { seed: 0, rank: 2, phaseBits: 3 })).toThrowError(
      "makeDevice: phaseBits: device 'lowrank' is a digital control without phases",
    );
    expect(() => makeDevice('none' as SimulatedDeviceKind, 4, { seed: 0, rank: 2 })).toThrowError(
      "makeDevice: kind expected one of slm, mrr, mzi, usv, monarch, matvec, lowrank, got 'none'",
    );
  });
});
