import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, type FlagValues, formatTable, linePlotSvg } from '@tenzo/cli';
import { progressBar, writeReport } from '@tenzo/cli/node';
import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { randomWindows } from '@tenzo/data';
import {
  DeviceFfn,
  LowRankFfn,
  makeDevice,
  PhysicalLayer,
  type QueryCounts,
  totalQueries,
} from '@tenzo/hybrid';
import {
  Adam,
  AdamW,
  clipGradNorm,
  cosineLR,
  crossEntropy,
  type FeedForward,
  GPT,
  Linear,
  type Optimizer,
  type Parameter,
  withWarmup,
} from '@tenzo/nn';
import { noGradAsync, Tensor } from '@tenzo/tensor';
import { Trainer, type TrainerCallback } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';
import * as v from 'valibot';
import { estimatorFlags, estimatorOptions, withoutDefaultEstimator } from '../training/estimatorFlags.js';
import { layerFlags } from '../training/layerFlags.js';
import { LmVariantSchema, readResultsFile } from '../training/resultFiles.js';
import { runConfig } from '../training/resumeFlags.js';
import { writeRunFiles } from '../training/runFiles.js';
import { executorFor, threadsFlag } from '../training/threads.js';
import { loadCorpus, makeTokenizer } from './lm.js';

/**
 * What fills the feed-forward slot of the replaced blocks:
 * digital: the usual MLP (d → 4d → d, GELU) in every block — the reference;
 * removed: no feed-forward sub-layer (attention only) — the "FFN removed" baseline;
 * lowrank: a digital rank-r map d → r → d; linear: a digital full d → d map;
 * slm / mrr / mzi: one simulated device d → d trained by ZO + surrogate;
 * frozen-*: the same device kept at its initialisation.
 */
export const LM_VARIANTS = [
  'digital',
  'removed',
  'lowrank',
  'linear',
  'slm',
  'mrr',
  'mzi',
  'frozen-slm',
  'frozen-mrr',
  'frozen-mzi',
] as const;
export type LmVariant = (typeof LM_VARIANTS)[number];

export const lmHybridCommand = defineCommand({
  description:
    "the paper's nanoGPT experiment at small scale: a char-level GPT whose feed-forward block in the last (or every) layer is one simulated device d → d, against the digital model, the FFN removed, and a digital low-rank FFN; validation loss per variant (resumable)",
  flags: {
    ...threadsFlag,
    variants: {
      type: 'string',
      default: 'digital,removed,lowrank,slm,mrr',
      help: `comma-separated variants (${LM_VARIANTS.join(', ')})`,
    },
    deviceLayers: {
      type: 'enum',
      choices: ['last', 'all'],
      default: 'last',
      help: 'blocks whose feed-forward slot the variant fills (the others keep the MLP)',
    },
    corpus: {
      type: 'enum',
      choices: ['text', 'code'],
      default: 'text',
      help: "text: the Brown corpus; code: TypeScript's lib.*.d.ts",
    },
    steps: { type: 'integer', default: 1000, min: 1, help: 'optimizer steps per variant' },
    batchSize: { type: 'integer', default: 16, min: 1, help: 'windows per step' },
    seqLen: { type: 'integer', default: 64, min: 2, max: 1024, help: 'positions per window' },
    lr: { type: 'number', default: 3e-3, gt: 0, help: 'peak learning rate of the digital weights (AdamW)' },
    warmup: { type: 'integer', default: 20, min: 0, help: 'linear warm-up steps (digital weights)' },
    dModel: { type: 'integer', default: 64, min: 8, help: 'model width d (the device is d → d)' },
    layers: { type: 'integer', default: 2, min: 1, help: 'decoder blocks' },
    heads: { type: 'integer', default: 4, min: 1, help: 'attention heads' },
    rank: { ...layerFlags.rank, help: 'surrogate rank r, and the rank of the digital low-rank FFN' },
    samples: { ...layerFlags.samples, help: 'M_BB = M_SM (ZO directions, sketch probes) per step' },
    mu: { type: 'number', default: 1e-4, gt: 0, help: 'ZO finite-difference step' },
    ...estimatorFlags,
    deviceLr: { ...layerFlags.deviceLr, help: 'Adam learning rate of ω and the output gain (cosine)' },
    center: {
      ...layerFlags.center,
      help: 'subtract the per-token mean of the device outputs (--no-center for the raw readout)',
    },
    evalEvery: { type: 'integer', default: 100, min: 1, help: 'steps between validation losses' },
    evalBatches: {
      type: 'integer',
      default: 8,
      min: 1,
      help: 'validation batches (the same windows for every variant)',
    },
    out: {
      type: 'string',
      default: 'runs/lm-hybrid',
      meta: 'dir',
      help: 'folder for results.json, report.json and the plot',
    },
    resume: {
      type: 'boolean',
      help: 'skip the variants already in <out>/results.json (same settings) and continue an interrupted one from its checkpoint',
    },
    checkpointEvery: {
      type: 'integer',
      default: 100,
      min: 1,
      help: 'checkpoint a variant every N steps (under <out>/runs/<variant>), so --resume continues inside it',
    },
  },
});

export type LmHybridFlags = FlagValues<typeof lmHybridCommand.flags>;
type Flags = LmHybridFlags;

export interface VariantResult {
  variant: LmVariant;
  /** what fills the replaced blocks' feed-forward slot */
  ffn: string;
  replacedBlocks: number[];
  /** trainable digital parameters */
  parameters: number;
  /** device parameters ω (all replaced blocks), 0 for digital variants */
  deviceParameters: number;
  /** validation loss (nats/char) at step 0, every evalEvery steps, and at the end */
  curve: { step: number; valLoss: number; trainLoss: number | null }[];
  valLoss: number;
  /** mean training loss over the last evalEvery steps */
  trainLoss: number;
  /** device queries during training (all replaced blocks), by purpose, and per step */
  queries: (QueryCounts & { perStep: number }) | null;
  /** mean cosine(surrogate x̄, Aᵀȳ) over training, first replaced block */
  surrogateCosine: number | null;
  /** with --batch-rank: mean share of ‖Ȳᵀ X‖² the ZO probes carried (all devices) */
  batchCaptured?: number;
  secondsPerStep: number;
  seconds: number;
}

interface Results {
  config: Record<string, unknown>;
  variants: Partial<Record<LmVariant, VariantResult>>;
}

export function parseVariants(s: string): LmVariant[] {
  const out = s
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (out.length === 0) throw new ArgumentError('--variants: expected at least one variant, got none');
  for (const v of out) {
    if (!(LM_VARIANTS as readonly string[]).includes(v))
      throw new ArgumentError(`--variants: expected entries of ${LM_VARIANTS.join(', ')}, got '${v}'`);
  }
  return out as LmVariant[];
}

function configOf(flags: Flags): Record<string, unknown> {
  return withoutDefaultEstimator(runConfig(flags, ['variants']));
}

function deviceKindOf(v: LmVariant): 'slm' | 'mrr' | 'mzi' | null {
  const k = v.replace('frozen-', '');
  return k === 'slm' || k === 'mrr' || k === 'mzi' ? k : null;
}

function describe(v: LmVariant, f: Flags): string {
  const d = f.dModel;
  switch (v) {
    case 'digital':
      return `MLP ${d}→${4 * d}→${d}`;
    case 'removed':
      return 'none (attention only)';
    case 'lowrank':
      return `digital rank-${f.rank} ${d}→${f.rank}→${d}`;
    case 'linear':
      return `digital linear ${d}→${d}`;
    default:
      return `${v.startsWith('frozen-') ? 'frozen ' : ''}${deviceKindOf(v)!.toUpperCase()} ${d}→${d}`;
  }
}

/** windows [B, T + 1] → ids [B, T] (float tensor) and next-token targets (B·T). */
function split(windows: Int32Array, b: number, t: number): { ids: Tensor; targets: Int32Array } {
  const ids = new Float32Array(b * t);
  const targets = new Int32Array(b * t);
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < t; j++) {
      ids[r * t + j] = windows[r * (t + 1) + j]!;
      targets[r * t + j] = windows[r * (t + 1) + j + 1]!;
    }
  }
  return { ids: new Tensor(ids, [b, t], 'float32'), targets };
}

async function lossOf(gpt: GPT, ids: Tensor, targets: Int32Array): Promise<Tensor> {
  const logits = await gpt.forwardAsync(ids);
  return crossEntropy(logits.reshape([targets.length, gpt.config.vocabSize]), targets);
}

/**
 * Trains one variant from the seed's initialisation on the seed's batches and returns its record.
 * Every variant sees the same training windows and the same validation windows.
 */
export async function trainVariant(
  variant: LmVariant,
  flags: Flags,
  data: { train: Int32Array; validation: Int32Array; vocabSize: number },
): Promise<VariantResult> {
  const t0 = performance.now();
  const root = new Rng(flags.seed);
  const initRng = root.fork();
  const dataRng = root.fork();
  const evalRng = root.fork();
  const layerRng = root.fork();
  const ffnRng = root.fork();
  const L = flags.layers;
  const replaced = flags.deviceLayers === 'all' ? Array.from({ length: L }, (_, i) => i) : [L - 1];
  const kind = deviceKindOf(variant);
  const frozen = variant.startsWith('frozen-');
  const physical: PhysicalLayer[] = [];
  const factory = (layer: number, d: number): FeedForward | null | undefined => {
    if (!replaced.includes(layer) || variant === 'digital') return undefined;
    if (variant === 'removed') return null;
    if (variant === 'lowrank') return new LowRankFfn(d, flags.rank, ffnRng);
    if (variant === 'linear') return new Linear(d, d, ffnRng, { bias: false });
    const seed = flags.seed * 1000 + layer;
    const layerDev = new PhysicalLayer(makeDevice(kind!, d, { seed, rank: flags.rank }), layerRng, {
      rank: flags.rank,
      ...estimatorOptions(flags, executorFor(flags.threads)),
      mu: flags.mu,
      seed,
    });
    layerDev.frozen = frozen;
    physical.push(layerDev);
    return new DeviceFfn(layerDev, { center: flags.center });
  };
  const gpt = new GPT(
    {
      vocabSize: data.vocabSize,
      maxSeqLen: flags.seqLen,
      dModel: flags.dModel,
      nLayers: L,
      nHeads: flags.heads,
    },
    initRng,
    { ffn: factory },
  );
  const deviceParams = new Set<Parameter>(physical.flatMap((p) => p.deviceParameters()));
  const digital = gpt.namedParameters().filter(([, p]) => !deviceParams.has(p));
  const optimizers: { opt: Optimizer; schedule: (step: number) => number }[] = [
    {
      opt: new AdamW(
        digital.map(([, p]) => p),
        { lr: flags.lr, weightDecay: 0.01, beta2: 0.99 },
        digital.map(([n]) => n),
      ),
      schedule: withWarmup(
        cosineLR({
          lr: flags.lr,
          totalSteps: Math.max(1, flags.steps - flags.warmup),
          minLr: flags.lr / 10,
        }),
        flags.warmup,
      ),
    },
  ];
  if (physical.length > 0 && !frozen) {
    // the reference trains ω and the output gain with Adam (lr 1e-2) on a cosine schedule
    const named = physical.flatMap((p, i) =>
      p.deviceParameters().map((q, j) => [`device${i}.${j === 0 ? 'omega' : 'gain'}`, q] as const),
    );
    optimizers.push({
      opt: new Adam(
        named.map(([, q]) => q),
        { lr: flags.deviceLr },
        named.map(([n]) => n),
      ),
      schedule: cosineLR({ lr: flags.deviceLr, totalSteps: flags.steps }),
    });
  }

  const B = flags.batchSize;
  const T = flags.seqLen;
  const evalSet = Array.from({ length: flags.evalBatches }, () =>
    split(randomWindows(data.validation, B, T + 1, evalRng), B, T),
  );
  const validate = async (): Promise<number> => {
    gpt.eval();
    let s = 0;
    await noGradAsync(async () => {
      for (const e of evalSet) s += (await lossOf(gpt, e.ids, e.targets)).item();
    });
    gpt.train();
    return s / evalSet.length;
  };

  const steps = flags.steps;
  // the validation curve, the running train-loss window, the step time and the first device's
  // surrogate cosine live in a callback whose state goes into the checkpoint with the rest
  let curve: VariantResult['curve'] = [{ step: 0, valLoss: await validate(), trainLoss: null }];
  let window: number[] = [];
  let trainSeconds = 0;
  let cosSum = 0;
  let cosCount = 0;
  let mark = 0;
  const bar = progressBar({ label: variant, total: steps, unit: 'steps' });
  const tracker: TrainerCallback = {
    onEpochStart: ({ stepInEpoch }) => {
      if (stepInEpoch > 0) bar.tick(stepInEpoch);
      mark = performance.now();
    },
    onStep: async ({ globalStep, loss }) => {
      trainSeconds += (performance.now() - mark) / 1000;
      const c = physical[0]?.lastSurrogateCosine;
      if (c != null) {
        cosSum += c;
        cosCount++;
      }
      window.push(loss);
      const last = globalStep === steps;
      if (globalStep % flags.evalEvery === 0 || last) {
        const trainLoss = window.reduce((x, y) => x + y, 0) / window.length;
        curve.push({ step: globalStep, valLoss: await validate(), trainLoss });
        if (!last) window = [];
      }
      bar.tick(1, { loss: loss.toFixed(3), val: curve[curve.length - 1]!.valLoss.toFixed(3) });
      mark = performance.now();
    },
    state: () => ({
      curve: JSON.stringify(curve),
      window: Float64Array.from(window),
      trainSeconds,
      cosSum,
      cosCount,
    }),
    load: (st) => {
      curve = JSON.parse(st.curve as string) as VariantResult['curve'];
      window = Array.from(st.window as Float64Array);
      trainSeconds = st.trainSeconds as number;
      cosSum = st.cosSum as number;
      cosCount = st.cosCount as number;
    },
  };
  const runDir = join(flags.out, 'runs', variant);
  const { history } = await new Trainer<{ size: number; ids: Tensor; targets: Int32Array }>({
    model: gpt,
    optimizers: Object.fromEntries(optimizers.map(({ opt }, i) => [i === 0 ? 'digital' : 'device', opt])),
    schedules: Object.fromEntries(
      optimizers.map(({ schedule }, i) => [i === 0 ? 'digital' : 'device', schedule]),
    ),
    epochs: 1,
    stepsPerEpoch: steps,
    order: dataRng,
    batches: function* (_epoch, rng) {
      for (let k = 0; k < steps; k++)
        yield { size: B, ...split(randomWindows(data.train, B, T + 1, rng), B, T) };
    },
    step: async (b) => ({ loss: await lossOf(gpt, b.ids, b.targets) }),
    afterBackward: () =>
      clipGradNorm(
        digital.map(([, p]) => p),
        1,
      ),
    physical,
    checkpoint: fileCheckpoint(join(runDir, 'checkpoint.safetensors')),
    resume: flags.resume === true,
    checkpointEvery: flags.checkpointEvery,
    config: configOf(flags) as StateRecord,
    callbacks: [tracker],
  }).fit();
  const final = curve[curve.length - 1]!;
  bar.done({ val: final.valLoss.toFixed(4) });
  let queries: VariantResult['queries'] = null;
  const spentAll = history[0]!.deviceQueries;
  if (physical.length > 0 && spentAll !== undefined) {
    const { perStep: _p, ...counts } = spentAll;
    const spent = counts as unknown as QueryCounts;
    // validation forwards are counted apart: remove them from the training tally
    spent.forward -= physical.length * (curve.length - 1) * evalSet.length * B * T;
    queries = { ...spent, perStep: totalQueries(spent) / steps };
  }
  const capturedCount = history[0]!.captured !== undefined ? 1 : 0;
  const capturedMean = history[0]!.captured ?? 0;
  return {
    variant,
    ffn: describe(variant, flags),
    replacedBlocks: variant === 'digital' ? [] : replaced,
    parameters: digital.reduce((s, [, p]) => s + p.size, 0),
    deviceParameters: physical.reduce((s, p) => s + p.omega.size, 0),
    curve,
    valLoss: final.valLoss,
    trainLoss: final.trainLoss!,
    queries,
    surrogateCosine: cosCount > 0 ? cosSum / cosCount : null,
    ...(flags.batchRank > 0 && capturedCount > 0 ? { batchCaptured: capturedMean } : {}),
    secondsPerStep: trainSeconds / steps,
    seconds: (performance.now() - t0) / 1000,
  };
}

const shown = (curve: VariantResult['curve']) => (curve.length > 2 ? curve.slice(1) : curve);

/** Is a strictly between b (worse) and c (better)? */
const between = (a: number, worse: number, better: number) => a < worse && a > better;

export async function runLmHybrid(flags: Flags): Promise<Results> {
  const variants = parseVariants(flags.variants);
  if (flags.dModel % flags.heads !== 0)
    throw new ArgumentError(`--d-model: expected a multiple of --heads ${flags.heads}, got ${flags.dModel}`);
  if (flags.rank > flags.dModel)
    throw new ArgumentError(`--rank: expected ≤ --d-model ${flags.dModel}, got ${flags.rank}`);
  const config = configOf(flags);
  const resultsPath = join(flags.out, 'results.json');
  let results: Results = { config, variants: {} };
  if (flags.resume && existsSync(resultsPath)) {
    const saved = readResultsFile(
      resultsPath,
      v.object({
        config: v.record(v.string(), v.unknown()),
        variants: v.record(v.picklist(LM_VARIANTS), LmVariantSchema),
      }),
    ) as Results;
    if (JSON.stringify(saved.config) !== JSON.stringify(config))
      throw new ArgumentError(
        `--resume: ${resultsPath} was made with other settings (${JSON.stringify(saved.config)}); use the same flags or another --out`,
      );
    results = saved;
  }
  const corpus = loadCorpus(flags.corpus);
  const tok = makeTokenizer('char', corpus.train, 0);
  const data = {
    train: tok.encode(corpus.train),
    validation: tok.encode(corpus.validation),
    vocabSize: tok.vocabSize,
  };
  console.error(
    `${corpus.name}: ${data.train.length.toLocaleString('en')} train / ${data.validation.length.toLocaleString('en')} validation chars (vocab ${data.vocabSize}); ` +
      `GPT ${flags.layers}×${flags.dModel}, ${flags.heads} heads, batch ${flags.batchSize}×${flags.seqLen} = ${flags.batchSize * flags.seqLen} token rows per step; ` +
      `replacing the FFN of ${flags.deviceLayers === 'last' ? 'the last block' : 'every block'}; rank ${flags.rank}, M_BB = M_SM = ${flags.samples}`,
  );
  for (const v of variants) {
    if (results.variants[v]) {
      console.error(`${v}: done in ${resultsPath}, skipped`);
      continue;
    }
    results.variants[v] = await trainVariant(v, flags, data);
    writeReport(resultsPath, results);
  }

  const rows = variants.map((v) => results.variants[v]!);
  const ref = results.variants.digital;
  const removed = results.variants.removed;
  console.log(
    formatTable(
      rows.map((r) => ({
        variant: r.variant,
        'feed-forward slot': r.ffn,
        'val loss': r.valLoss,
        'train loss': r.trainLoss,
        params: r.parameters,
        'device ω': r.deviceParameters > 0 ? r.deviceParameters : '–',
        'queries/step': r.queries ? Math.round(r.queries.perStep) : '–',
        'cos(x̄)': r.surrogateCosine ?? '–',
        's/step': r.secondsPerStep,
      })),
      [
        'variant',
        'feed-forward slot',
        { key: 'val loss', number: { fixed: 4 } },
        { key: 'train loss', number: { fixed: 4 } },
        'params',
        'device ω',
        'queries/step',
        { key: 'cos(x̄)', number: { fixed: 2 } },
        { key: 's/step', number: { fixed: 3 } },
      ],
    ),
  );
  if (ref && removed) {
    for (const r of rows) {
      if (deviceKindOf(r.variant) === null) continue;
      const ok = between(r.valLoss, removed.valLoss, ref.valLoss);
      console.log(
        `${r.variant}: validation loss ${r.valLoss.toFixed(4)} ${ok ? 'is' : 'is NOT'} strictly between FFN removed (${removed.valLoss.toFixed(4)}) and digital (${ref.valLoss.toFixed(4)})` +
          (r.queries
            ? `; ${Math.round(r.queries.perStep).toLocaleString('en')} device queries per step (forward ${Math.round(r.queries.forward / flags.steps)}, surrogate ${Math.round(r.queries.surrogate / flags.steps)}, ZO ${Math.round(r.queries.zo / flags.steps)}${r.queries.correction > 0 ? `, backward probes ${Math.round(r.queries.correction / flags.steps)}` : ''}, rebuild ${r.queries.rebuild} once)`
            : ''),
      );
    }
  }
  const report = {
    command: 'lm-hybrid',
    seed: flags.seed,
    config,
    corpus: {
      name: corpus.name,
      trainChars: data.train.length,
      validationChars: data.validation.length,
      vocabSize: data.vocabSize,
    },
    variants: rows,
  };
  writeRunFiles({
    out: flags.out,
    json: flags.json,
    report,
    before: [resultsPath],
    plot: {
      name: 'validation-loss.svg',
      svg: linePlotSvg({
        title: `${corpus.name}: GPT ${flags.layers}×${flags.dModel}, FFN of ${flags.deviceLayers === 'last' ? 'the last block' : 'all blocks'} replaced (seed ${flags.seed})`,
        xLabel: 'step',
        yLabel: 'validation loss (nats/char)',
        // from the first evaluation after step 0: the untrained loss (≈ ln vocab) would flatten the rest
        series: rows.map((r) => ({
          name: `${r.variant}: ${r.ffn}`,
          x: shown(r.curve).map((c) => c.step),
          y: shown(r.curve).map((c) => c.valLoss),
          ...(r.variant === 'digital' || r.variant === 'removed' ? { dashed: true } : {}),
        })),
      }),
    },
  });
  return results;
}
