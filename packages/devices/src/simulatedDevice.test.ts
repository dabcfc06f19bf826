import { FormatError, Rng, ShapeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { MatrixDevice } from './controls/matrixDevice.js';
import { clementsMesh } from './mesh/mziMesh.js';
import { mrrWeightBank } from './mrr/weightBank.js';
import { detectorNoise, gaussianNoise } from './noise/outputNoise.js';
import type { SimulatedDevice, SimulatorState } from './simulatedDevice.js';
import { slmPhaseMatrix } from './slm/phaseMatrix.js';

/** What a checkpoint does to a snapshot: typed arrays kept (stored as tensors), the rest through JSON. */
function throughJson<T>(state: T): T {
  const arrays: ArrayBufferView[] = [];
  const text = JSON.stringify(state, (_k, v) => (ArrayBuffer.isView(v) ? { $array: arrays.push(v) - 1 } : v));
  return JSON.parse(text, (_k, v) => (v?.$array === undefined ? v : arrays[v.$array]));
}

/** Queries at moving ω and at the current setting; every output and the ledger (wall time aside). */
async function drive(
  dev: SimulatedDevice,
  omega: Float64Array,
  rng: Rng,
  calls: number,
): Promise<number[][]> {
  const out: number[][] = [];
  for (let k = 0; k < calls; k++) {
    const X = rng.fillNormal(new Float64Array(3 * dev.inputSize)) as Float64Array;
    const w = omega.map((v) => v + 0.01 * rng.normal());
    out.push(Array.from(await dev.query(X, k % 3 === 2 ? undefined : w)));
  }
  const { wallMs: _, ...ledger } = dev.ledger.state();
  out.push(Object.values(ledger), Array.from(dev.params()));
  return out;
}

const devices: [string, () => SimulatedDevice][] = [
  [
    'SLM with Gaussian readout noise',
    () => slmPhaseMatrix({ dIn: 5, dOut: 4, outputNoise: [gaussianNoise(0.01)], seed: 3 }),
  ],
  ['SLM with drift', () => slmPhaseMatrix({ dIn: 5, dOut: 4, drift: 0.02, seed: 3 })],
  [
    'MRR with drift and detector noise',
    () =>
      mrrWeightBank({
        dIn: 4,
        dOut: 3,
        drift: 0.01,
        outputNoise: [detectorNoise({ sigma: 0.01, bits: 10, range: [-4, 4] })],
        seed: 4,
      }),
  ],
  ['MZI mesh with phase noise', () => clementsMesh({ dIn: 4, dOut: 4, phaseNoise: 0.01, seed: 5 })],
];

describe('SimulatedDevice state/load', () => {
  for (const [label, make] of devices) {
    it(`${label}: a device that loads a snapshot answers the following queries bit for bit`, async () => {
      const a = make();
      const omega = a.initParams(new Rng(1));
      const rng = new Rng(2);
      await drive(a, omega, rng, 4);
      const s = a.state();
      const kept = throughJson(s);
      const copy = structuredClone(s);
      const driver = rng.getState();
      const b = make();
      b.load(kept);
      const ya = await drive(a, omega, rng, 5);
      const yb = await drive(b, omega, Rng.fromState(driver), 5);
      expect(yb).toEqual(ya);
      expect(s).toEqual(copy); // querying on did not touch the snapshot
      // and the snapshot is what made them agree: a fresh device answers otherwise
      expect(await drive(make(), omega, Rng.fromState(driver), 5)).not.toEqual(ya);
    });
  }

  it('the projected ZO path (its readout noise draws) continues bit for bit too', async () => {
    const make = () => slmPhaseMatrix({ dIn: 5, dOut: 4, outputNoise: [gaussianNoise(0.01)], seed: 6 });
    const a = make();
    const rng = new Rng(7);
    const omega = a.initParams(rng);
    const P = rng.fillNormal(new Float64Array(2 * 5)) as Float64Array;
    const W = rng.fillNormal(new Float64Array(2 * 4)) as Float64Array;
    const req = { P, W, omega, q: 6, mu: 1e-3, directions: 'gaussian', key: [1, 2] } as const;
    await a.projectedZo.estimate(req);
    const b = make();
    b.load(a.state());
    const [ga, gb] = [await a.projectedZo.estimate(req), await b.projectedZo.estimate(req)];
    expect(Array.from(gb.grad)).toEqual(Array.from(ga.grad));
    expect(b.state().noiseRng).toEqual(a.state().noiseRng);
  });

  it('refuses malformed snapshots with FormatError/ShapeError naming the field, and changes nothing', async () => {
    const dev = slmPhaseMatrix({ dIn: 5, dOut: 4, seed: 1 });
    await dev.query(new Float64Array(5).fill(1), dev.initParams(new Rng(1)));
    const s = dev.state();
    const before = dev.state();
    const bad = (patch: Record<string, unknown>) => () => dev.load({ ...s, ...patch } as SimulatorState);
    expect(bad({ omega: new Float64Array(3) })).toThrow(ShapeError);
    expect(bad({ omega: new Float64Array(3) })).toThrow(
      'slm-phase-matrix 4x5.load: omega: expected a Float64Array of length 20, got Float64Array(3)',
    );
    expect(bad({ omega: Array.from(s.omega) })).toThrow(FormatError);
    expect(bad({ initialised: 1 })).toThrow(/initialised: expected a boolean, got 1/);
    expect(bad({ noiseRng: { ...s.noiseRng, words: [1, 2] } })).toThrow(
      /noiseRng\.words: expected 8 integers/,
    );
    expect(bad({ drift: { offset: new Float64Array(20) } })).toThrow(
      /drift: expected null \(this device has no drift\)/,
    );
    expect(bad({ ledger: undefined })).toThrow(/ledger: expected a state record, got undefined/);
    expect(bad({ ledger: { ...s.ledger, calls: -1 } })).toThrow(
      /ledger\.calls: expected an integer >= 0, got -1/,
    );
    expect(bad({ name: 'mrr-weight-bank 4x5' })).toThrow(FormatError);
    expect(() => dev.load(null as unknown as SimulatorState)).toThrow(FormatError);
    const drifting = new MatrixDevice({ dIn: 2, dOut: 2, drift: 0.1 });
    expect(() => drifting.load({ ...drifting.state(), drift: null })).toThrow(
      /drift: expected a state record, got null/,
    );
    expect(dev.state()).toEqual(before);
  });
});
