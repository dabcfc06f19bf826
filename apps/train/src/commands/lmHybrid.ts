import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, type FlagValues, formatTable, linePlotSvg } from '@tenzo/cli';
import { progressBar, writeReport } from '@tenzo/cli/node';
import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { randomWindows } from '@tenzo/data';
import { loadCorpusTokens } from '@tenzo/data/node';
import {
  checkRemoteFlag,
  connectRemote,
  executorFor,
  remoteDeviceFlag,
  threadsFlag,
} from '@tenzo/devices/node';
import {
  describeFfnVariant,
  driftFlags,
  estimatorFlags,
  ffnVariantDevice,
  GPT_FFN_VARIANTS,
  type GptFfnVariant,
  gptWithFfnVariant,
  hybridOptimizers,
  type LayerDevice,
  layerFlags,
  layerOptions,
  type QueryCounts,
  replacedBlocks,
  totalQueries,
  withoutDefaultEstimator,
} from '@tenzo/hybrid';
import { AdamW, clipGradNorm, type NextTokenBatch, nextTokenBatch, nextTokenLoss } from '@tenzo/nn';
import { meanLoss, sameSettings, Trainer, validationCurve } from '@tenzo/train';
import { fileCheckpoint, readResultsFile, runConfig, writeRunFiles } from '@tenzo/train/node';
import * as v from 'valibot';
import { LmVariantSchema, type VariantResult } from '../training/resultFiles.js';

/** The variants (`@tenzo/hybrid`'s GPT_FFN_VARIANTS): what fills the replaced blocks' feed-forward slot. */
export const LM_VARIANTS = GPT_FFN_VARIANTS;
export type LmVariant = GptFfnVariant;

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
      type: 'string',
      default: 'last',
      meta: 'last|all|k',
      help: 'blocks whose feed-forward slot the variant fills: the last, all, or the last k (the others keep the MLP)',
    },
    corpus: {
      type: 'string',
      default: 'text',
      meta: 'name|path',
      help: "text: the Brown corpus; code: TypeScript's lib.*.d.ts; or a path as for lm (char tokens; a .bin's ids as they are)",
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
    ...remoteDeviceFlag,
    ...driftFlags,
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
    seeds: {
      type: 'range',
      min: 0,
      help: 'run these seeds (e.g. 0..2) instead of --seed, each under <out>/seed-<s>, then a table of every seed, the mean and sd, and the strictly-between check on the means',
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

/** `--device-layers` as gptWithFfnVariant's `replace`: 'last', 'all' or the last k blocks (checked against --layers). */
export function deviceLayersOf(flags: Flags): 'last' | 'all' | number {
  const raw = flags.deviceLayers;
  const replace = raw === 'last' || raw === 'all' || !/^\d+$/.test(raw) ? raw : Number(raw);
  replacedBlocks('--device-layers', replace, flags.layers);
  return replace as 'last' | 'all' | number;
}

/** "the last block", "every block", "the last 2 blocks": what `--device-layers` replaces, for messages and plots. */
function describeDeviceLayers(flags: Flags): string {
  const replace = deviceLayersOf(flags);
  if (replace === 'last' || replace === 1) return 'the last block';
  if (replace === 'all' || replace === flags.layers) return 'every block';
  return `the last ${replace} blocks`;
}

function configOf(flags: Flags, corpusFingerprint?: string): Record<string, unknown> {
  const config = withoutDefaultEstimator(runConfig(flags, ['variants', 'device', 'seeds']));
  return corpusFingerprint ? { ...config, corpusFingerprint } : config;
}

/**
 * Trains one variant from the seed's initialisation on the seed's batches and returns its record.
 * Every variant sees the same training windows and the same validation windows. `device`: the
 * served device of the remote variants.
 */
export async function trainVariant(
  variant: LmVariant,
  flags: Flags,
  data: { train: Int32Array; validation: Int32Array; vocabSize: number; fingerprint?: string },
  device?: LayerDevice,
): Promise<VariantResult> {
  const t0 = performance.now();
  const root = new Rng(flags.seed);
  const [init, dataRng, evalRng, layer, ffn] = [
    root.fork(),
    root.fork(),
    root.fork(),
    root.fork(),
    root.fork(),
  ];
  const gptConfig = { vocabSize: data.vocabSize, maxSeqLen: flags.seqLen, dModel: flags.dModel };
  const { gpt, physical, replacedBlocks, digital } = gptWithFfnVariant(
    {
      variant,
      gpt: { ...gptConfig, nLayers: flags.layers, nHeads: flags.heads },
      replace: deviceLayersOf(flags),
      rank: flags.rank,
      seed: flags.seed,
      layer: layerOptions(flags, executorFor(flags.threads)),
      center: flags.center,
      ...(device ? { device } : {}),
    },
    { init, layer, ffn },
  );
  const digitalParams = digital.map(([, p]) => p);
  const { optimizers, schedules } = hybridOptimizers({
    digital: new AdamW(
      digitalParams,
      { lr: flags.lr, weightDecay: 0.01, beta2: 0.99 },
      digital.map(([n]) => n),
    ),
    lr: flags.lr,
    warmup: flags.warmup,
    totalSteps: flags.steps,
    minLr: flags.lr / 10,
    physical,
    // the reference trains ω and the output gain with Adam (lr 1e-2) on a cosine schedule
    device: { lr: flags.deviceLr },
    deviceName: (i) => `device${i}`,
  });
  const [B, T, steps] = [flags.batchSize, flags.seqLen, flags.steps];
  const evalSet = Array.from({ length: flags.evalBatches }, () =>
    nextTokenBatch(randomWindows(data.validation, B, T + 1, evalRng), B, T),
  );
  const loss = (b: NextTokenBatch) => nextTokenLoss(gpt, b);
  // the validation curve, the step time and the first device's surrogate cosine are checkpointed
  const bar = progressBar({ label: variant, total: steps, unit: 'steps' });
  const tracker = validationCurve({
    validate: () => meanLoss(gpt, evalSet, loss),
    every: flags.evalEvery,
    totalSteps: steps,
    sample: () => physical[0]?.lastSurrogateCosine,
    progress: bar,
  });
  await tracker.start();
  const { history } = await new Trainer<NextTokenBatch & { size: number }>({
    model: gpt,
    optimizers,
    schedules,
    epochs: 1,
    stepsPerEpoch: steps,
    order: dataRng,
    batches: function* (_epoch, rng) {
      for (let k = 0; k < steps; k++)
        yield { size: B, ...nextTokenBatch(randomWindows(data.train, B, T + 1, rng), B, T) };
    },
    step: async (b) => ({ loss: await loss(b) }),
    afterBackward: () => clipGradNorm(digitalParams, 1),
    physical,
    checkpoint: fileCheckpoint(join(flags.out, 'runs', variant, 'checkpoint.safetensors')),
    resume: flags.resume === true,
    checkpointEvery: flags.checkpointEvery,
    config: configOf(flags, data.fingerprint) as StateRecord,
    callbacks: [tracker],
  }).fit();
  const curve = tracker.curve as VariantResult['curve'];
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
  const captured = history[0]!.captured;
  return {
    variant,
    ffn: describeFfnVariant(variant, flags.dModel, flags.rank),
    replacedBlocks,
    parameters: digital.reduce((s, [, p]) => s + p.size, 0),
    deviceParameters: physical.reduce((s, p) => s + p.omega.size, 0),
    curve,
    valLoss: final.valLoss,
    trainLoss: final.trainLoss!,
    queries,
    surrogateCosine: tracker.sampleMean,
    ...(flags.batchRank > 0 && captured !== undefined ? { batchCaptured: captured } : {}),
    secondsPerStep: tracker.trainSeconds / steps,
    seconds: (performance.now() - t0) / 1000,
  };
}

const shown = (curve: VariantResult['curve']) => (curve.length > 2 ? curve.slice(1) : curve);

/** Is a strictly between b (worse) and c (better)? */
const between = (a: number, worse: number, better: number) => a < worse && a > better;

/** One seed (`--seed`) of lm-hybrid; `--seeds` runs through runLmHybridSeeds (lmHybridSeeds.ts). */
export async function runLmHybrid(flags: Flags): Promise<Results> {
  if (flags.seeds !== undefined)
    throw new ArgumentError(
      'runLmHybrid: flags.seeds: expected undefined (one --seed; runLmHybridSeeds runs --seeds)',
    );
  const variants = parseVariants(flags.variants);
  const replacing = describeDeviceLayers(flags);
  if (flags.dModel % flags.heads !== 0)
    throw new ArgumentError(`--d-model: expected a multiple of --heads ${flags.heads}, got ${flags.dModel}`);
  if (flags.rank > flags.dModel)
    throw new ArgumentError(`--rank: expected ≤ --d-model ${flags.dModel}, got ${flags.rank}`);
  const data = loadCorpusTokens(flags.corpus, { flag: '--corpus' });
  const config = configOf(flags, data.fingerprint);
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
    // by name: flags typed in another order, or the seed set by --seeds, are the same settings
    if (!sameSettings(saved.config, config))
      throw new ArgumentError(
        `--resume: ${resultsPath} was made with other settings (${JSON.stringify(saved.config)}); use the same flags or another --out`,
      );
    results = saved;
  }
  const remote = variants.some((x) => ffnVariantDevice(x) === 'remote');
  if (
    checkRemoteFlag(flags.device, remote, '--variants') &&
    replacedBlocks('--device-layers', deviceLayersOf(flags), flags.layers).length > 1
  )
    throw new ArgumentError(
      `--device-layers: a remote variant fills one block with the served device; expected 'last' or 1, got '${flags.deviceLayers}'`,
    );
  const device = (await connectRemote(flags.device ?? '', flags.dModel, flags.seed)) ?? undefined;
  console.error(
    `${data.name}: ${data.train.length.toLocaleString('en')} train / ${data.validation.length.toLocaleString('en')} validation chars (vocab ${data.vocabSize}); ` +
      `GPT ${flags.layers}×${flags.dModel}, ${flags.heads} heads, batch ${flags.batchSize}×${flags.seqLen} = ${flags.batchSize * flags.seqLen} token rows per step; ` +
      `replacing the FFN of ${replacing}; rank ${flags.rank}, M_BB = M_SM = ${flags.samples}`,
  );
  for (const v of variants) {
    if (results.variants[v]) {
      console.error(`${v}: done in ${resultsPath}, skipped`);
      continue;
    }
    results.variants[v] = await trainVariant(v, flags, data, device);
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
      if (ffnVariantDevice(r.variant) === null) continue;
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
      name: data.name,
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
        title: `${data.name}: GPT ${flags.layers}×${flags.dModel}, FFN of ${replacing} replaced (seed ${flags.seed})`,
        xLabel: 'step',
        yLabel: `validation loss (nats/${data.tokenizer ? 'char' : 'token'})`,
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
