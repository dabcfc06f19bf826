import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@tenzo/core';
import { clementsMesh, mrrWeightBank, type PhysicalDevice, slmPhaseMatrix } from '@tenzo/devices';
import { PhysicalLayer } from '@tenzo/hybrid';
import { Adam } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { type BenchRow, measure, type SuiteContext } from '../harness.js';

export type HybridDeviceKind = 'slm' | 'mrr' | 'mzi';

function makeDevice(kind: HybridDeviceKind, d: number): PhysicalDevice {
  if (kind === 'slm') return slmPhaseMatrix({ dIn: d, dOut: d });
  if (kind === 'mrr') return mrrWeightBank({ dIn: d, dOut: d });
  return clementsMesh({ dIn: d, dOut: d });
}

export interface HybridStepCase {
  device: HybridDeviceKind;
  /** d_in = d_out */
  d: number;
  batch: number;
  rank: number;
  /** M_BB = M_SM */
  samples: number;
  /** tenzo only: probe each ZO direction with the top-k singular directions of Ȳᵀ X (0: off) */
  batchRank?: number;
}

/** The PyTorch re-implementation of the same step: apps/bench/scripts, from dist/ or src/suites/. */
export const TORCH_SCRIPT = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'scripts'), join(here, '..', '..', 'scripts')].map((d) =>
    join(d, 'hybrid_step_torch.py'),
  );
  return candidates.find((f) => existsSync(f)) ?? candidates[0]!;
})();

/**
 * The device side of one hybrid training step, as `tenzo-train mnist --device …` runs it: forward
 * query of the batch, backward through the rank-r surrogate, the ZO ω-gradient from M_BB
 * perturbed batch queries, an Adam step on ω, and the implicit-KSL surrogate update (2(r + M_SM)
 * queries) that the next forward triggers. The digital layers around it are left out: they cost
 * the same in every mode (~15 ms per MNIST step here).
 */
export async function hybridStep(c: HybridStepCase, seed: number, quick: boolean): Promise<BenchRow> {
  const rng = new Rng(seed);
  const layer = new PhysicalLayer(makeDevice(c.device, c.d), rng, {
    rank: c.rank,
    zoSamples: c.samples,
    sketchSamples: c.samples,
    seed,
    batchRank: c.batchRank ?? 0,
  });
  const opt = new Adam(layer.deviceParameters(), { lr: 1e-2 });
  const x = randn([c.batch, c.d], rng).setRequiresGrad();
  const dy = randn([c.batch, c.d], rng);
  const step = async () => {
    const y = await layer.forward(x);
    y.mul(dy).sum().backward();
    await layer.estimateParamGrad();
    opt.step();
    opt.zeroGrad();
    x.grad = null;
  };
  const m = await measure(
    step,
    quick ? { warmup: 1, minSamples: 2, minTimeMs: 0 } : { warmup: 2, minSamples: 5, minTimeMs: 3000 },
  );
  return {
    suite: 'hybrid',
    case: caseName(c),
    impl: (c.batchRank ?? 0) > 0 ? `tenzo, batch rank ${c.batchRank}` : 'tenzo',
    ...m,
    note: `${((m.medianMs * 125) / 1000).toFixed(1)} s per 8,000-digit epoch`,
  };
}

function caseName(c: HybridStepCase): string {
  return `${c.device} ${c.d}x${c.d} batch ${c.batch} r=${c.rank} M=${c.samples}`;
}

/**
 * A python with torch: $TENZO_PYTHON, else `python3` on the PATH, else Debian's /usr/bin/python3
 * (where apt's python3-torch lives when the PATH has another python); null when none has it.
 */
export function torchPython(): string | null {
  const candidates = [process.env.TENZO_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The same step in PyTorch (scripts/hybrid_step_torch.py), timed in its own process. */
export function torchHybridStep(
  c: HybridStepCase,
  seed: number,
  quick: boolean,
  python = 'python3',
): BenchRow {
  const out = execFileSync(
    python,
    [
      TORCH_SCRIPT,
      '--device',
      c.device,
      '--d',
      String(c.d),
      '--batch',
      String(c.batch),
      '--rank',
      String(c.rank),
      '--samples',
      String(c.samples),
      '--seed',
      String(seed),
      '--min-time',
      quick ? '0' : '3',
      '--min-samples',
      quick ? '2' : '5',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as {
    medianMs: number;
    minMs: number;
    samples: number;
    threads: number;
    torch: string;
  };
  return {
    suite: 'hybrid',
    case: caseName(c),
    impl: 'pytorch',
    medianMs: r.medianMs,
    minMs: r.minMs,
    samples: r.samples,
    note: `torch ${r.torch}, ${r.threads} threads; ${((r.medianMs * 125) / 1000).toFixed(1)} s per epoch`,
  };
}

/**
 * One hybrid device step per device at the setting (784-256-[device 256→256]-10, batch 64,
 * r = 10, M_BB = M_SM = 100; quick: 32×32, M = 8), tenzo (also with --batch-rank 8) vs a PyTorch re-implementation of the
 * reference algorithm when python3 has torch (Debian's python3-torch; never a dependency).
 */
export async function hybridSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const python = torchPython();
  const base = ctx.quick
    ? { d: 32, batch: 16, rank: 4, samples: 8 }
    : { d: 256, batch: 64, rank: 10, samples: 100 };
  for (const device of ['slm', 'mrr', 'mzi'] as const) {
    const c = { device, ...base };
    // the paper's estimator, then low-rank batch compression (k = 8 ≪ B = 64 inputs per direction)
    for (const batchRank of [0, ctx.quick ? 4 : 8]) {
      const row = await hybridStep({ ...c, batchRank }, ctx.seed, ctx.quick);
      rows.push(row);
      ctx.onRow?.(row);
    }
    if (python !== null) {
      const t = torchHybridStep(c, ctx.seed, ctx.quick, python);
      rows.push(t);
      ctx.onRow?.(t);
    }
  }
  return rows;
}
