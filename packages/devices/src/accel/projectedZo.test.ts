import { Rng, StateError } from '@tenzo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { clementsMesh, reckMesh } from '../mesh/mziMesh.js';
import { mrrWeightBank } from '../mrr/weightBank.js';
import { detectorNoise, gaussianNoise } from '../noise/outputNoise.js';
import { slmPhaseMatrix } from '../slm/phaseMatrix.js';
import { ZO_CHUNKS } from './executor.js';
import type { inProcess } from './inProcess.js';
import type { ProjectedZoRequest } from './projectedZo.js';
import { fillGaussian, fillSignBits } from './streams.js';
import { workerPool } from './workerPool.js';

const dIn = 12;
const dOut = 10;
const B = 7;

function problem(seed: number) {
  const rng = new Rng(seed);
  const P = rng.fillNormal(new Float64Array(B * dIn)) as Float64Array;
  const W = rng.fillNormal(new Float64Array(B * dOut)) as Float64Array;
  return { rng, P, W };
}

function contract(Y: Float64Array, W: Float64Array): number {
  let s = 0;
  for (let k = 0; k < Y.length; k++) s += Y[k]! * W[k]!;
  return s;
}

/** the direction of stream i as ±1 or N(0, 1) entries */
function direction(kind: 'gaussian' | 'rademacher', p: number, key: readonly [number, number], i: number) {
  const u = new Float64Array(p);
  const st = new Int32Array(4);
  if (kind === 'gaussian') fillGaussian(u, p, key[0], key[1], i, st);
  else {
    const bits = new Int32Array((p + 31) >>> 5);
    fillSignBits(bits, p, key[0], key[1], i, st);
    for (let k = 0; k < p; k++) u[k] = (bits[k >>> 5]! >>> (k & 31)) & 1 ? 1 : -1;
  }
  return u;
}

const devices = {
  slm: () => slmPhaseMatrix({ dIn, dOut }),
  mrr: () => mrrWeightBank({ dIn, dOut }),
  // a lossy mesh with more modes than inputs or outputs (padding and truncation on both sides)
  mzi: () => clementsMesh({ dIn, dOut, n: 14, lossDb: 0.2 }),
  reck: () => reckMesh({ dIn, dOut }),
};

describe('projected ZO query (simulator fast path)', () => {
  for (const [name, make] of Object.entries(devices)) {
    for (const kind of ['gaussian', 'rademacher'] as const) {
      it(`${name}, ${kind}: equals the materialised queries to rounding, direction by direction`, async () => {
        const dev = make();
        const { rng, P, W } = problem(1);
        const omega = dev.initParams(rng);
        const mu = 1e-3;
        const q = 9;
        const key: [number, number] = [0x1234567, -0x2345678];
        const res = await dev.projectedZo.estimate({ P, W, omega, q, mu, directions: kind, key });
        const ref = makeRef(dev, P, W, omega);
        const grad = new Float64Array(omega.length);
        for (let i = 0; i < q; i++) {
          const u = direction(kind, omega.length, key, i);
          const w = omega.map((v, k) => v + mu * u[k]!);
          const d = (contract(await ref.query(P, w), W) - ref.base) / mu;
          expect(res.diffs[i]).toBeCloseTo(d, 6);
          expect(Math.abs(res.diffs[i]! - d)).toBeLessThan(1e-8 * (1 + Math.abs(d)) + 1e-12 / mu);
          for (let k = 0; k < grad.length; k++) grad[k]! += (d / q) * u[k]!;
        }
        for (let k = 0; k < grad.length; k++) expect(res.grad[k]!).toBeCloseTo(grad[k]!, 6);
      });
    }
  }

  it('clamps a step at the SLM bounds exactly as the device saturates', async () => {
    const dev = slmPhaseMatrix({ dIn, dOut });
    const { P, W } = problem(2);
    // half the phases sit within μ of a bound
    const omega = new Float64Array(dIn * dOut).map((_, k) => (k % 2 ? 2e-4 : 2 * Math.PI - 1e-4));
    const mu = 1e-3;
    for (const kind of ['gaussian', 'rademacher'] as const) {
      const key: [number, number] = [7, 8];
      const res = await dev.projectedZo.estimate({ P, W, omega, q: 5, mu, directions: kind, key });
      const ref = makeRef(dev, P, W, omega);
      for (let i = 0; i < 5; i++) {
        const u = direction(kind, omega.length, key, i);
        const w = omega.map((v, k) => v + mu * u[k]!);
        const d = (contract(await ref.query(P, w), W) - ref.base) / mu;
        expect(Math.abs(res.diffs[i]! - d)).toBeLessThan(1e-7 * (1 + Math.abs(d)));
      }
    }
  });

  for (const [name, make] of [
    ['slm', () => slmPhaseMatrix({ dIn: 40, dOut: 30 })],
    ['mzi', () => clementsMesh({ dIn: 40, dOut: 30 })],
  ] as const)
    it(`${name}: is bit-identical in process and on 2 or 3 worker threads`, async () => {
      const dev = make();
      const rng = new Rng(3);
      const P = rng.fillNormal(new Float64Array(5 * 40)) as Float64Array;
      const W = rng.fillNormal(new Float64Array(5 * 30)) as Float64Array;
      const omega = dev.initParams(rng);
      const req: ProjectedZoRequest = { P, W, omega, q: 37, mu: 1e-4, directions: 'gaussian', key: [11, 12] };
      const one = await dev.projectedZo.estimate(req);
      for (const threads of [2, 3]) {
        const pool = workerPool({ threads, minWork: 0 });
        pools.push(pool);
        for (const directions of ['gaussian', 'rademacher'] as const) {
          const a = await dev.projectedZo.estimate({ ...req, directions, executor: pool });
          const b = directions === 'gaussian' ? one : await dev.projectedZo.estimate({ ...req, directions });
          expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
          expect(Array.from(a.diffs)).toEqual(Array.from(b.diffs));
        }
        // the chunks really ran on the pool: two estimates of min(q, 16) direction chunks and
        // 16 slices of the partials' sum, plus the SLM's G = WᵀP row blocks with their per-entry
        // tables (two per thread) each
        expect(pool.completed).toBe(
          2 * (Math.min(37, ZO_CHUNKS) + ZO_CHUNKS + (name === 'slm' ? 2 * threads : 0)),
        );
      }
    });

  for (const [name, make] of [
    ['slm', () => slmPhaseMatrix({ dIn: 40, dOut: 32 })],
    ['mrr', () => mrrWeightBank({ dIn: 40, dOut: 32 })],
  ] as const)
    it(`${name}: forms G = WᵀP by row blocks on 2 or 3 threads, bit-identical to the whole product`, async () => {
      // 16 probed rows: each block of ≥ 5 rows of G is a ≥ 5×40×16 product, large enough to shard
      const dev = make();
      const rng = new Rng(5);
      const P = rng.fillNormal(new Float64Array(16 * 40)) as Float64Array;
      const W = rng.fillNormal(new Float64Array(16 * 32)) as Float64Array;
      const omega = dev.initParams(rng);
      for (const directions of ['gaussian', 'rademacher'] as const) {
        const req: ProjectedZoRequest = { P, W, omega, q: 21, mu: 1e-4, directions, key: [3, 4] };
        const one = await dev.projectedZo.estimate(req);
        for (const threads of [2, 3]) {
          const pool = workerPool({ threads, minWork: 0 });
          pools.push(pool);
          const a = await dev.projectedZo.estimate({ ...req, executor: pool });
          expect(Array.from(a.grad)).toEqual(Array.from(one.grad));
          expect(Array.from(a.diffs)).toEqual(Array.from(one.diffs));
          // 'fields' row blocks (two per thread), 16 direction chunks, 16 reduce slices, per estimate
          expect(pool.completed).toBe(2 * threads + 2 * ZO_CHUNKS);
        }
      }
    });

  it('draws Gaussian readout noise exactly in distribution: ⟨ε, W⟩ ~ N(0, σ²‖W‖²)', async () => {
    const sigma = 0.05;
    const dev = slmPhaseMatrix({ dIn, dOut, outputNoise: [gaussianNoise(sigma)], seed: 9 });
    const clean = slmPhaseMatrix({ dIn, dOut });
    const { rng, P, W } = problem(6);
    const omega = dev.initParams(rng);
    const mu = 1e-3;
    const q = 4000;
    const key: [number, number] = [21, 22];
    const ref = makeRef(clean, P, W, omega);
    // given the noiseless baseline, d_i·μ − (noiseless difference) is the query's own noise
    const noisy = await dev.projectedZo.estimate({
      P,
      W,
      omega,
      q,
      mu,
      directions: 'rademacher',
      key,
      base: ref.base,
    });
    const exact = await clean.projectedZo.estimate({ P, W, omega, q, mu, directions: 'rademacher', key });
    const norm = Math.sqrt(W.reduce((s, w) => s + w * w, 0));
    let m = 0;
    let v = 0;
    for (let i = 0; i < q; i++) {
      const z = ((noisy.diffs[i]! - exact.diffs[i]!) * mu) / (sigma * norm);
      m += z / q;
      v += (z * z) / q;
    }
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(q));
    expect(Math.abs(v - 1)).toBeLessThan(6 * Math.sqrt(2 / q));
  });

  it('is unavailable, with the reason, where it would not be exact', async () => {
    const drift = slmPhaseMatrix({ dIn, dOut, drift: 1e-3 });
    const adc = mrrWeightBank({ dIn, dOut, outputNoise: [detectorNoise({ bits: 8, range: [-4, 4] })] });
    const dac = slmPhaseMatrix({ dIn, dOut, phaseBits: 8 });
    expect(clementsMesh({ dIn, dOut, readout: 'intensity' }).projectedZo.unavailable).toMatch(/intensity/);
    expect(clementsMesh({ dIn, dOut, block: 'threeMzi' }).projectedZo.unavailable).toMatch(/classical/);
    expect(clementsMesh({ dIn, dOut, phaseNoise: 0.01 }).projectedZo.unavailable).toMatch(/phase noise/);
    expect(drift.projectedZo.unavailable).toMatch(/drift/);
    expect(adc.projectedZo.unavailable).toMatch(/detector/);
    expect(dac.projectedZo.unavailable).toMatch(/quantisation/);
    const { rng, P, W } = problem(7);
    const omega = dac.initParams(rng);
    await expect(
      dac.projectedZo.estimate({ P, W, omega, q: 2, mu: 1e-2, directions: 'gaussian', key: [1, 2] }),
    ).rejects.toBeInstanceOf(StateError);
  });

  it('names the function and argument on bad input', async () => {
    const dev = slmPhaseMatrix({ dIn, dOut });
    const { rng, P, W } = problem(8);
    const omega = dev.initParams(rng);
    const base = { P, W, omega, q: 2, mu: 1e-4, directions: 'gaussian' as const, key: [1, 2] as const };
    await expect(dev.projectedZo.estimate({ ...base, q: 0 })).rejects.toThrow(/projectedZo.estimate: q/);
    await expect(
      dev.projectedZo.estimate({ ...base, executor: {} as unknown as typeof inProcess }),
    ).rejects.toThrow(/executor expected a ZoExecutor/);
    await expect(dev.projectedZo.estimate({ ...base, base: Number.NaN })).rejects.toThrow(/base/);
    await expect(dev.projectedZo.estimate({ ...base, key: [1.5, 2] })).rejects.toThrow(/key expected/);
    const bad = omega.slice();
    bad[3] = Number.POSITIVE_INFINITY;
    await expect(dev.projectedZo.estimate({ ...base, omega: bad })).rejects.toThrow(/omega/);
    await expect(dev.projectedZo.estimate({ ...base, W: W.subarray(1) })).rejects.toThrow(/W length/);
    await expect(dev.projectedZo.estimate({ ...base, omega: omega.subarray(1) })).rejects.toThrow(
      /ω has length/,
    );
  });
});

const pools: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** a second device of the same kind, queried the ordinary (materialised) way at ω */
function makeRef(
  dev: {
    query(X: Float64Array, w?: Float64Array): Promise<Float64Array>;
    querySync(X: Float64Array, w?: Float64Array): Float64Array;
  },
  P: Float64Array,
  W: Float64Array,
  omega: Float64Array,
) {
  const base = contract(dev.querySync(P, omega), W);
  return { base, query: (X: Float64Array, w: Float64Array) => dev.query(X, w) };
}
