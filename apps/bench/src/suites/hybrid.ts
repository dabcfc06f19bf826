import { cpus } from 'node:os';
import { ArgumentError, Rng } from '@tenzo/core';
import {
  clementsMesh,
  mrrWeightBank,
  type PhysicalDevice,
  slmPhaseMatrix,
  type ZoExecutor,
} from '@tenzo/devices';
import { type WorkerPool, workerPool } from '@tenzo/devices/node';
import { PhysicalLayer, type PhysicalLayerOptions } from '@tenzo/hybrid';
import { Adam } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import {
  type BenchRow,
  type Implementation,
  type InterleaveOptions,
  interleavedRows,
  measureInterleaved,
  type SuiteContext,
} from '../harness.js';
import { TORCH_MISSING, TorchPeer, type TorchPeerOptions, torchPython } from '../peers/torchPeer.js';
import { type TenzoHybridSetting, tenzoHybridSettings } from './hybridSettings.js';
import { parallelCeiling } from './parallelCeiling.js';

export type HybridDeviceKind = 'slm' | 'mrr' | 'mzi';
export const HYBRID_DEVICES: readonly HybridDeviceKind[] = ['slm', 'mrr', 'mzi'];

/** tenzo's simulator of each device at its defaults (the reference's formulas and init). */
export function makeDevice(kind: HybridDeviceKind, d: number): PhysicalDevice {
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
}

/** The reference's shape (784-256-[device 256→256]-10, batch 64, r = 10, M_BB = M_SM = 100). */
export const REFERENCE_SHAPE = { d: 256, batch: 64, rank: 10, samples: 100 } as const;
/** --quick: tiny, for the unit test */
export const QUICK_SHAPE = { d: 16, batch: 8, rank: 2, samples: 4 } as const;

/** Steps of one 8,000-digit MNIST epoch at batch 64. */
export const STEPS_PER_EPOCH = 125;

export function caseName(c: HybridStepCase): string {
  return `${c.device} ${c.d}x${c.d} batch ${c.batch} r=${c.rank} M=${c.samples}`;
}

/**
 * The device side of one hybrid training step, as `tenzo-train mnist --device …` runs it: forward
 * query of the batch, backward through the rank-r surrogate, the ZO ω-gradient from M_BB
 * perturbed batch queries, an Adam step on ω (lr 1e-2), and the implicit-KSL surrogate update
 * (2(r + M_SM) queries) that the next forward triggers. The digital layers around it are left
 * out: they cost the same in every mode (~15 ms per MNIST step here). Returns one step.
 */
export function tenzoHybridStep(
  c: HybridStepCase,
  setting: TenzoHybridSetting,
  seed: number,
  executor: ZoExecutor | null = null,
): () => Promise<void> {
  if (setting.threads > 1 && (setting.layerOptions.simulation !== 'projected' || executor === null)) {
    throw new ArgumentError(
      `tenzo-bench hybrid: setting '${setting.label}' asks for ${setting.threads} threads, which only simulation 'projected' with a worker pool uses`,
    );
  }
  const rng = new Rng(seed);
  const options: PhysicalLayerOptions = {
    rank: c.rank,
    zoSamples: c.samples,
    sketchSamples: c.samples,
    seed,
    ...setting.layerOptions,
    ...(setting.threads > 1 ? { executor } : {}),
  };
  const layer = new PhysicalLayer(makeDevice(c.device, c.d), rng, options);
  const opt = new Adam(layer.deviceParameters(), { lr: 1e-2 });
  const x = randn([c.batch, c.d], rng).setRequiresGrad();
  const dy = randn([c.batch, c.d], rng);
  return async () => {
    const y = await layer.forward(x);
    y.mul(dy).sum().backward();
    await layer.estimateParamGrad();
    opt.step();
    opt.zeroGrad();
    x.grad = null;
  };
}

export interface TorchPeerSpec extends TorchPeerOptions {
  label: string;
}

/** The PyTorch peers (each one server process for the whole suite): loop and batched ZO, 1 and all threads. */
export function torchPeerSpecs(threads = cpus().length): TorchPeerSpec[] {
  return (['loop', 'batched'] as const).flatMap((variant) =>
    [...new Set([1, threads])].map((t) => ({
      label: `pytorch f32 ${variant} ${t} thread${t === 1 ? '' : 's'}`,
      variant,
      threads: t,
    })),
  );
}

/** Every ratio of `tenzo-bench hybrid` is against the reference as it runs on Debian. */
export const HYBRID_BASELINE = 'pytorch f32 loop 1 thread';

/** A hybrid row: the device and the implied seconds per 8,000-digit epoch, for the JSON report. */
export interface HybridRow extends BenchRow {
  /** the device stepped, or 'machine' for the parallel-ceiling row (parallelCeiling) */
  device: HybridDeviceKind | 'machine';
  epochSeconds: number;
  /**
   * multi-threaded tenzo rows: the step's speed-up over the same setting on 1 thread, the median
   * over the interleaved rounds of (1-thread time / this row's time)
   */
  threadScaling?: number;
}

/** The median over rounds of a[k] / b[k] (rounds measured side by side). */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const r = a.map((t, k) => t / b[k]!).sort((x, y) => x - y);
  const m = r.length >> 1;
  return r.length % 2 === 1 ? r[m]! : (r[m - 1]! + r[m]!) / 2;
}

export interface HybridSuiteOptions {
  /** devices to time (default all three) */
  devices?: readonly HybridDeviceKind[];
  /** tenzo's settings (default tenzoHybridSettings(ctx.threads)) */
  settings?: readonly TenzoHybridSetting[];
  /** python with torch, or null to time tenzo alone (default: torchPython()) */
  python?: string | null;
  /** the PyTorch peers (default torchPeerSpecs(): loop and batched, 1 and all threads) */
  peers?: readonly TorchPeerSpec[];
}

function rounds(ctx: SuiteContext): InterleaveOptions {
  if (ctx.quick) return { warmup: 1, minRounds: 2, minTimeMs: 0 };
  // an MZI round takes ~1.5 min (the peer builds U from 256 columns for every query), an SLM
  // round a few seconds: the time floor sets the rounds for the fast devices, minRounds the MZI's
  return ctx.full
    ? { warmup: 2, minRounds: 5, minTimeMs: 90_000 }
    : { warmup: 1, minRounds: 3, minTimeMs: 15_000 };
}

/**
 * One hybrid device step per device at the reference's shape (quick: 16×16, M = 4): tenzo in each
 * of its settings and the PyTorch peer (scripts/hybrid_step_torch.py: the reference algorithm in
 * float32, loop and batched ZO, 1 and all threads), timed in interleaved rounds. Ratios are to the
 * reference as it runs on Debian: `pytorch f32 loop 1 thread`.
 */
export async function hybridSuite(ctx: SuiteContext, opts: HybridSuiteOptions = {}): Promise<HybridRow[]> {
  const devices = opts.devices ?? HYBRID_DEVICES;
  const settings = opts.settings ?? tenzoHybridSettings(ctx.threads);
  const python = opts.python === undefined ? torchPython() : opts.python;
  if (python === null) console.log(TORCH_MISSING);
  const shape = ctx.quick ? QUICK_SHAPE : REFERENCE_SHAPE;
  const specs = python === null ? [] : (opts.peers ?? torchPeerSpecs(ctx.threads));
  const peers: TorchPeer[] = [];
  const rows: HybridRow[] = [];
  // one worker pool per thread count, shared by the devices' layers
  const pools = new Map<number, WorkerPool>();
  const poolFor = (threads: number): WorkerPool | null => {
    if (threads <= 1) return null;
    if (!pools.has(threads)) pools.set(threads, workerPool({ threads }));
    return pools.get(threads)!;
  };
  try {
    // started side by side (importing torch takes seconds); the finally closes whichever started
    const started = await Promise.allSettled(specs.map((s) => TorchPeer.start(python!, s)));
    for (const p of started) if (p.status === 'fulfilled') peers.push(p.value);
    const failed = started.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    for (const device of devices) {
      const c: HybridStepCase = { device, ...shape };
      const impls: Implementation[] = settings.map((s) => ({
        name: s.label,
        run: tenzoHybridStep(c, s, ctx.seed, poolFor(s.threads)),
      }));
      for (const [i, peer] of peers.entries()) {
        await peer.setup({ ...c, seed: ctx.seed });
        impls.push({ name: specs[i]!.label, run: async () => (await peer.time(1))[0]!, selfTimed: true });
      }
      const result = await measureInterleaved(impls, {
        ...rounds(ctx),
        ...(peers.length > 0 ? { baseline: HYBRID_BASELINE } : {}),
        onRound: (k) => ctx.onStatus?.(`${device}: ${k} rounds`),
      });
      const deviceRows = interleavedRows(result, { suite: 'hybrid', case: caseName(c) });
      for (const row of deviceRows) {
        const epochSeconds = (row.medianMs * STEPS_PER_EPOCH) / 1000;
        const peer = peers[specs.findIndex((s) => s.label === row.impl)];
        // thread scaling: against the same setting's 1-thread row, round by round
        const twin = deviceRows.find((r) => r.impl === settings.find((s) => s.label === row.impl)?.scalingOf);
        const threadScaling =
          twin === undefined ? undefined : pairedRatio(twin.roundsMs ?? [], row.roundsMs ?? []);
        const hybridRow: HybridRow = {
          ...row,
          device,
          epochSeconds,
          ...(threadScaling === undefined ? {} : { threadScaling }),
          note: `${epochSeconds.toFixed(1)} s per 8,000-digit epoch${peer ? `; torch ${peer.hello.torch}` : ''}${threadScaling === undefined ? '' : `; thread scaling ${threadScaling.toFixed(2)}× over '${twin!.impl}'`}`,
        };
        rows.push(hybridRow);
        ctx.onRow?.(hybridRow);
      }
    }
    // what the machine allows: a kernel without serial work on 1 and N threads, beside the steps
    const threads = Math.max(...settings.map((s) => s.threads));
    if (threads > 1 && !ctx.quick) {
      ctx.onStatus?.('parallel ceiling');
      const c = await parallelCeiling(threads);
      const row: HybridRow = {
        suite: 'hybrid',
        case: 'parallel ceiling: a float64 kernel without serial work',
        impl: `${threads} worker threads against 1`,
        device: 'machine',
        medianMs: c.nThreadsMs,
        minMs: c.nThreadsMs,
        samples: 5,
        epochSeconds: 0,
        threadScaling: c.scaling,
        note: `1 thread ${c.oneThreadMs.toFixed(1)} ms, ${threads} threads ${c.nThreadsMs.toFixed(1)} ms: thread scaling ${c.scaling.toFixed(2)}× is this machine's ceiling`,
      };
      rows.push(row);
      ctx.onRow?.(row);
    }
  } finally {
    for (const peer of peers) await peer.close();
    for (const pool of pools.values()) await pool.close();
  }
  return rows;
}
