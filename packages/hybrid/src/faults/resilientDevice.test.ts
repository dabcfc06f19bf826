import { Rng } from '@tenzo/core';
import { InvalidRowsError, RemoteDeviceError, slmPhaseMatrix } from '@tenzo/devices';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { PhysicalLayer } from '../physicalLayer.js';
import { scriptedDevice } from './faultyDevice.test-util.js';
import { ResilientDevice, zeroFaults } from './resilientDevice.js';

const policy = { rowRetries: 3, queryRetries: 1 };

describe('ResilientDevice', () => {
  it('re-queries only the invalid rows and returns the answer the clean device gives', async () => {
    const clean = slmPhaseMatrix({ dIn: 6, dOut: 5, seed: 3 });
    // first call: rows 1 and 4 NaN; the re-query of those two: its row 1 (batch row 4) NaN again
    const dev = scriptedDevice((c) => (c === 0 ? { nanRows: [1, 4] } : c === 1 ? { nanRows: [1] } : 'ok'));
    const counts = zeroFaults();
    const r = new ResilientDevice(dev, policy, counts);
    const X = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i));
    const w = clean.initParams(new Rng(1));
    expect(await r.query(X, w)).toEqual(await clean.query(X, w));
    expect(counts.rowRequeries).toBe(3);
    expect(dev.calls).toBe(3);
  });

  it('gives up after rowRetries with an InvalidRowsError naming the batch rows', async () => {
    const dev = scriptedDevice(() => ({ nanRows: [0, 2] }));
    const counts = zeroFaults();
    const r = new ResilientDevice(dev, { rowRetries: 2, queryRetries: 0 }, counts);
    const w = dev.initParams(new Rng(1));
    const err = await r.query(new Float64Array(18).fill(0.5), w).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidRowsError);
    expect(err.rows).toEqual([0]);
    expect(err.message).toMatch(/still invalid after 2 re-queries/);
    expect(counts.rowRequeries).toBe(2 + 1);
  });

  it('re-sends a query the device gave up on (exhausted) but not a refused one', async () => {
    const dev = scriptedDevice((c) => (c === 0 ? 'gone' : 'ok'));
    const counts = zeroFaults();
    const r = new ResilientDevice(dev, policy, counts);
    const w = dev.initParams(new Rng(1));
    await expect(r.query(new Float64Array(6).fill(1), w)).resolves.toHaveLength(5);
    expect(counts.queryRetries).toBe(1);
    const gone = new ResilientDevice(
      scriptedDevice(() => 'gone'),
      policy,
      zeroFaults(),
    );
    await expect(gone.query(new Float64Array(6), w)).rejects.toBeInstanceOf(RemoteDeviceError);
  });
});

describe('PhysicalLayer fault policy and drift monitor', () => {
  it('a layer on a NaN-dropping black box trains exactly as on the clean one', async () => {
    const run = async (plan: Parameters<typeof scriptedDevice>[0]) => {
      const layer = new PhysicalLayer(
        scriptedDevice(plan),
        new Rng(1),
        { rank: 3, zoSamples: 4, sketchSamples: 4 },
        'float64',
      );
      const x = randn([4, 6], new Rng(2), { dtype: 'float64' });
      for (let s = 0; s < 3; s++) {
        const y = await layer.forward(x);
        y.sum().backward();
        await layer.estimateParamGrad();
        (layer.omega.data as Float64Array)[0]! += 0.01 * (layer.omega.grad!.data[0] ?? 0);
      }
      return { omega: Array.from(layer.omega.data), faults: layer.faults };
    };
    const clean = await run(() => 'ok');
    const faulty = await run((c) => (c % 7 === 3 ? { nanRows: [0] } : 'ok'));
    expect(faulty.omega).toEqual(clean.omega);
    expect(faulty.faults.rowRequeries).toBeGreaterThan(0);
    expect(clean.faults.rowRequeries).toBe(0);
  });

  it('drift above the threshold rebuilds the surrogate exactly and warns; none below it', async () => {
    const make = (gain: (c: number) => number) => {
      const dev = scriptedDevice(() => 'ok', { gain });
      const opts = {
        rank: 3,
        zoSamples: 4,
        sketchSamples: 4,
        drift: { every: 2, threshold: 0.05, probes: 4 },
      };
      return new PhysicalLayer(dev, new Rng(1), opts, 'float64');
    };
    const steps = async (layer: PhysicalLayer) => {
      const x = randn([4, 6], new Rng(2), { dtype: 'float64' });
      for (let s = 0; s < 6; s++) {
        (await layer.forward(x)).sum().backward();
        await layer.estimateParamGrad();
      }
    };
    const steady = make(() => 1);
    await steps(steady);
    expect(steady.faults.driftChecks).toBe(2);
    expect(steady.faults.driftRebuilds).toBe(0);
    expect(steady.takeWarnings()).toEqual([]);
    const drifting = make((c) => 1 + 0.004 * c);
    await steps(drifting);
    expect(drifting.faults.driftRebuilds).toBeGreaterThan(0);
    expect(drifting.queries.rebuild).toBe(6 * (1 + drifting.faults.driftRebuilds));
    const warnings = drifting.takeWarnings();
    expect(warnings).toHaveLength(drifting.faults.driftRebuilds);
    expect(warnings[0]).toMatch(/output drift .* above 0.05: surrogate rebuilt exactly/);
    expect(drifting.takeWarnings()).toEqual([]);
  });

  it('simulators are queried directly (no fault policy in the way)', () => {
    const layer = new PhysicalLayer(slmPhaseMatrix({ dIn: 4, dOut: 4 }), new Rng(1), { rank: 2 });
    expect(layer.faults).toEqual({ ...zeroFaults(), retries: 0, timeouts: 0, rejectedResponses: 0 });
  });
});
