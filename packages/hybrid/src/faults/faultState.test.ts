import { FormatError, Rng } from '@tenzo/core';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { PhysicalLayer } from '../physicalLayer.js';
import { scriptedDevice } from './faultyDevice.test-util.js';

/** A black box that drops a row now and then and whose output gain creeps with every call. */
const device = () =>
  scriptedDevice((c) => (c % 5 === 2 ? { nanRows: [1] } : 'ok'), { gain: (c) => 1 + 0.004 * c });
const opts = { rank: 3, zoSamples: 4, sketchSamples: 4, drift: { every: 2, threshold: 0.05, probes: 4 } };

async function step(layer: PhysicalLayer): Promise<void> {
  const x = randn([4, 6], new Rng(2), { dtype: 'float64' });
  (await layer.forward(x)).sum().backward();
  await layer.estimateParamGrad();
  const w = layer.omega.data as Float64Array;
  for (let i = 0; i < w.length; i++) w[i]! -= 0.05 * layer.omega.grad!.data[i]!;
}

describe('PhysicalLayer checkpoints keep the fault counters and the drift monitor', () => {
  it('a run resumed mid-way (same device, still running) ends like the uninterrupted one', async () => {
    const whole = new PhysicalLayer(device(), new Rng(1), opts, 'float64');
    for (let s = 0; s < 8; s++) await step(whole);
    const warnings = whole.takeWarnings();
    expect(whole.faults.driftRebuilds).toBeGreaterThan(0);
    expect(whole.faults.rowRequeries).toBeGreaterThan(0);

    const dev = device();
    const first = new PhysicalLayer(dev, new Rng(1), opts, 'float64');
    for (let s = 0; s < 5; s++) await step(first);
    const snapshot = JSON.parse(
      JSON.stringify(first.state(), (_k, v) => (v instanceof Float64Array ? { f64: Array.from(v) } : v)),
      (_k, v) => (v?.f64 ? Float64Array.from(v.f64) : v),
    );
    expect(snapshot.drift.reference).not.toBeNull();
    // the lab's device keeps running; a new process builds the layer again and loads the checkpoint
    const second = new PhysicalLayer(dev, new Rng(1), opts, 'float64');
    second.loadStateDict(first.stateDict());
    second.load(snapshot);
    for (let s = 5; s < 8; s++) await step(second);
    expect(Array.from(second.omega.data)).toEqual(Array.from(whole.omega.data));
    expect(second.faults).toEqual(whole.faults);
    expect([...first.takeWarnings(), ...second.takeWarnings()]).toEqual(warnings);
  });

  it('older checkpoints without the counters load as zero; a monitor state for a layer without one is refused', async () => {
    const layer = new PhysicalLayer(device(), new Rng(1), opts, 'float64');
    await step(layer);
    const { faults: _f, drift: _d, ...old } = layer.state();
    const fresh = new PhysicalLayer(device(), new Rng(1), opts, 'float64');
    fresh.load(old);
    expect(fresh.faults.driftQueries).toBe(0);
    const plain = new PhysicalLayer(
      device(),
      new Rng(1),
      { rank: 3, zoSamples: 4, sketchSamples: 4 },
      'float64',
    );
    expect(() => plain.load(layer.state())).toThrow(FormatError);
    expect(() => plain.load(layer.state())).toThrow(
      /drift: expected null \(this layer has no drift monitor\)/,
    );
    const bad = { ...layer.state(), faults: { ...layer.faults, rowRequeries: -1 } };
    expect(() => fresh.load(bad)).toThrow(/faults\.rowRequeries/);
    const short = {
      ...layer.state(),
      drift: { reference: { omega: new Float64Array(2), Y: new Float64Array(20) }, forwards: 0 },
    };
    expect(() => fresh.load(short)).toThrow(/drift\.reference\.omega/);
  });
});
