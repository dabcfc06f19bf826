import { ArgumentError, Rng } from '@tenzo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { mrrWeightBank } from '../mrr/weightBank.js';
import { gaussianNoise } from '../noise/outputNoise.js';
import type { SimulatedDevice } from '../simulatedDevice.js';
import { slmPhaseMatrix } from '../slm/phaseMatrix.js';
import type { ZoExecutor } from './executor.js';
import { inProcess } from './inProcess.js';
import { workerPool } from './workerPool.js';

// 40 inputs, 32 outputs: every query below is large enough to shard (9×40×32 multiply-adds and
// more), in output blocks of at least 5 outputs
const dIn = 40;
const dOut = 32;

const pool2 = workerPool({ threads: 2, minWork: 0 });
const pool3 = workerPool({ threads: 3, minWork: 0 });
afterAll(async () => {
  await Promise.all([pool2.close(), pool3.close()]);
});

const devices: Record<string, () => SimulatedDevice> = {
  slm: () => slmPhaseMatrix({ dIn, dOut }),
  'slm, quantised, crosstalk, readout noise': () =>
    slmPhaseMatrix({
      dIn,
      dOut,
      phaseBits: 6,
      pixelCrosstalk: 0.05,
      outputNoise: [gaussianNoise(0.01)],
      seed: 3,
    }),
  mrr: () => mrrWeightBank({ dIn, dOut }),
  'mrr, drift and readout noise': () =>
    mrrWeightBank({ dIn, dOut, drift: 1e-3, outputNoise: [gaussianNoise(0.02)], seed: 4 }),
  'mrr, voltage, thermal crosstalk': () =>
    mrrWeightBank({ dIn, dOut, param: 'voltage', thermalCrosstalk: 0.1, phaseBias: 0.2 }),
  'mrr, add-drop': () => mrrWeightBank({ dIn, dOut, ring: 'addDrop' }),
  'mrr, channel spacing': () => mrrWeightBank({ dIn, dOut, channelSpacing: 0.3 }),
};

/** A run of queries that rebuilds A, reuses it, changes ω and the batch size. */
function script(
  dev: SimulatedDevice,
  seed: number,
): { X: Float64Array; omega: Float64Array; exact?: Float64Array }[] {
  const rng = new Rng(seed);
  const w1 = dev.initParams(rng);
  const w2 = dev.initParams(rng);
  const X = (rows: number) => rng.fillNormal(new Float64Array(rows * dIn)) as Float64Array;
  // `exact`: the side interface builds A for another ω first (the cache must not be taken for w1's)
  return [
    { X: X(9), omega: w1 },
    { X: X(9), omega: w1 },
    { X: X(11), omega: w1, exact: w2 },
    { X: X(23), omega: w2 },
    { X: X(9), omega: w2 },
    { X: X(31), omega: w1 },
  ];
}

describe('SimulatedDevice.queryOn (sharded queries)', () => {
  for (const [name, make] of Object.entries(devices)) {
    it(`${name}: answers and counts bit for bit like query, on 1, 2 and 3 threads`, async () => {
      const ref = make();
      const steps = script(ref, 1);
      const expected = steps.map((s) => ref.querySync(s.X, s.omega));
      const side = (dev: SimulatedDevice, w: Float64Array | undefined) => {
        if (w !== undefined)
          (dev as unknown as { exact: { matrix(w: Float64Array): unknown } }).exact.matrix(w);
      };
      for (const executor of [inProcess, pool2, pool3]) {
        const dev = make();
        const before = executor === inProcess ? 0 : (executor as typeof pool2).completed;
        for (const [i, s] of steps.entries()) {
          side(dev, s.exact);
          expect(Array.from(await dev.queryOn(executor, s.X, s.omega))).toEqual(Array.from(expected[i]!));
        }
        expect(dev.ledger.snapshot()).toEqual({
          ...ref.ledger.snapshot(),
          wallMs: dev.ledger.snapshot().wallMs,
        });
        // and the pools really sharded every query, into two output blocks per thread
        if (executor !== inProcess)
          expect((executor as typeof pool2).completed - before).toBe(steps.length * 2 * executor.threads);
      }
    });
  }

  it('stays in this thread below the pool threshold, with the same answer', async () => {
    const pool = workerPool({ threads: 2 });
    try {
      const ref = slmPhaseMatrix({ dIn, dOut });
      const dev = slmPhaseMatrix({ dIn, dOut });
      const [s] = script(ref, 2);
      expect(Array.from(await dev.queryOn(pool, s!.X, s!.omega))).toEqual(
        Array.from(ref.querySync(s!.X, s!.omega)),
      );
      expect(pool.completed).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('forgets a matrix whose build failed, so the next query rebuilds it', async () => {
    const failing: ZoExecutor = {
      threads: 2,
      shared: true,
      minWork: 0,
      run: () => Promise.reject(new Error('worker lost')),
    };
    for (const make of [devices.slm!, devices.mrr!]) {
      const ref = make();
      const dev = make();
      const [s] = script(ref, 3);
      await expect(dev.queryOn(failing, s!.X, s!.omega)).rejects.toThrow('worker lost');
      expect(Array.from(await dev.queryOn(pool2, s!.X, s!.omega))).toEqual(
        Array.from(ref.querySync(s!.X, s!.omega)),
      );
    }
  });

  it('refuses an executor that is not one', async () => {
    const dev = slmPhaseMatrix({ dIn, dOut });
    const [s] = script(dev, 4);
    for (const bad of [null, {}, 'pool', { run: 1 }])
      await expect(dev.queryOn(bad as unknown as ZoExecutor, s!.X, s!.omega)).rejects.toThrow(ArgumentError);
  });
});
