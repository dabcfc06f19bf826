import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcessEngine } from '@tenzo/engines';
import { threadEngine } from '@tenzo/engines/node';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCHMARK_NAMES, benchmarkFunction } from '../benchmarks/functions.js';
import { benchmarkModuleSource } from '../benchmarks/moduleSource.js';
import { htbbApprox } from '../htbb/htbbApprox.js';
import { htbbMinimize } from '../htbb/htbbOptimize.js';
import { ttCross } from '../tt/ttCross.js';
import { BlackBox } from './blackBox.js';

// HTBB and TT-cross through an evaluation engine give the in-process result bit for bit, with the
// same evaluation count: the engine sees exactly the new unique points of each batch.
const dir = mkdtempSync(join(tmpdir(), 'tenzo-decomp-engines-'));
function writeModule(name: (typeof BENCHMARK_NAMES)[number], d: number): string {
  const file = join(dir, `${name}-${d}.mjs`);
  writeFileSync(file, benchmarkModuleSource(benchmarkFunction(name, d)));
  return file;
}

const d = 64;
const alpine = writeModule('Alpine', d);
const threads = threadEngine({ module: alpine, export: 'batch', kind: 'batched', threads: 2 });
afterAll(() => threads.close());

describe('evaluation engines under BlackBox', () => {
  it('benchmarkModuleSource: the module equals benchmarkFunction(...).batch bit for bit, all 14 functions', async () => {
    for (const name of BENCHMARK_NAMES) {
      const bf = benchmarkFunction(name, 12);
      const { batch } = (await import(writeModule(name, 12))) as { batch: typeof bf.batch };
      const count = 200;
      const points = Int32Array.from({ length: count * 12 }, (_, k) => (k * 2654435761) % bf.n);
      expect(batch(points, count, 12), name).toEqual(await bf.batch(points, count, 12));
    }
  });

  it('htbbApprox at d = 64 on 2 worker threads: the in-process interpolant and evaluation count', async () => {
    const bf = benchmarkFunction('Alpine', d);
    const opts = { d, n: bf.n, sweeps: 4, seed: 7 };
    const ref = await htbbApprox(bf.batch, opts);
    const viaThreads = await htbbApprox(threads, opts);
    expect(viaThreads.ht).toEqual(ref.ht);
    expect(viaThreads.evaluations).toBe(ref.evaluations);
    expect(viaThreads.requests).toBe(ref.requests);
    expect(viaThreads.box.batches).toBe(ref.box.batches);
    const viaEngine = await htbbApprox(inProcessEngine(bf.batch as never), opts);
    expect(viaEngine.ht).toEqual(ref.ht);
  });

  it('htbbMinimize and ttCross through a BlackBox or the engine itself on worker threads equal their in-process runs', async () => {
    const bf = benchmarkFunction('Alpine', d);
    const mopts = { d, n: bf.n, budget: 3000, seed: 3 };
    const ref = await htbbMinimize(bf.batch, mopts);
    const got = await htbbMinimize(new BlackBox(threads, { n: bf.n, d, budget: 3000 }), mopts);
    expect(got.value).toBe(ref.value);
    expect(got.index).toEqual(ref.index);
    expect(got.evaluations).toBe(ref.evaluations);
    const topts = { d, n: bf.n, sweeps: 2, seed: 5 };
    const tRef = await ttCross(bf.batch, topts);
    const tGot = await ttCross(new BlackBox(threads, { n: bf.n, d }), topts);
    expect(tGot.tt).toEqual(tRef.tt);
    expect(tGot.evaluations).toBe(tRef.evaluations);
    // the engine itself, as htbbApprox takes it, with a budget that ends the run early
    const tEngine = await ttCross(threads, { ...topts, budget: 4000 });
    const tEngineRef = await ttCross(bf.batch, { ...topts, budget: 4000 });
    expect(tEngine.tt).toEqual(tEngineRef.tt);
    expect(tEngine.evaluations).toBe(tEngineRef.evaluations);
    expect(tEngine.evaluations).toBeLessThanOrEqual(4000);
    expect(tEngine.box.engine).toBe(threads);
  });
});
