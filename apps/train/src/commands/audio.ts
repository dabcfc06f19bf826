import { defineCommand, type FlagValues } from '@tenzo/cli';
import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { batchCount, COMMANDS, DIGITS, fitStandardizer, type KeywordFeatures } from '@tenzo/data';
import { type ResolvedAudioData, resolveAudioData } from '@tenzo/data/node';
import { connectRemote, DEVICE_FLAG_PREFIXES, executorFor, threadsFlag } from '@tenzo/devices/node';
import {
  DEVICE_KINDS,
  type DeviceKind,
  driftFlags,
  estimatorFlags,
  estimatorLabel,
  HybridTdnn,
  hybridOptimizers,
  imperfectionFlags,
  imperfectionsOf,
  initTdnnFromDigital,
  layerFlags,
  layerOptions,
  withoutDefaultEstimator,
} from '@tenzo/hybrid';
import { optimizerFor } from '@tenzo/nn';
import { loadSafetensors } from '@tenzo/nn/node';
import { fromTypedArray } from '@tenzo/tensor';
import { type ClassifierEpoch, classifierEpoch, heldOutMetrics } from '@tenzo/train';
import { epochTable, runConfig, writeClassifierFiles } from '@tenzo/train/node';
import { loadEspeakKeywords } from '../audio/espeak.js';
import { trainClassifier } from '../training/classifierRun.js';

export const AUDIO_DATA = ['keywords', 'keywords20', 'synthetic'] as const;

/**
 * `--data keywords20`: the harder spoken-keyword task — the ten digits and the ten Speech Commands
 * core words (20 classes), half the training clips per class (150; 50 test clips of the unseen
 * voices) and more noise (SNR −5…15 dB instead of 0…30), so that what the d→d projection
 * contributes shows in test accuracy.
 */
export const KEYWORDS20 = {
  keywords: [...DIGITS, ...COMMANDS],
  clipsPerClass: 150,
  testClipsPerClass: 50,
  snrDb: [-5, 15] as [number, number],
} as const;

export const audioCommand = defineCommand({
  description:
    'train a TDNN keyword classifier (dilated Conv1d blocks, statistics pooling) whose d→d embedding projection can be a simulated physical device',
  flags: {
    ...threadsFlag,
    data: {
      type: 'string',
      default: 'keywords',
      meta: 'name|path',
      help: 'clips: keywords = eSpeak NG spoken digits (generated once, cached under runs/cache; test voices unseen), keywords20 = the harder task (20 words: digits and commands, 150 clips per class, SNR −5…15 dB), synthetic = feature-level stand-in, or a folder: Speech Commands style (<label>/*.wav, its validation_list.txt / testing_list.txt) or UrbanSound8K (metadata/UrbanSound8K.csv, audio/fold1..10)',
    },
    fold: {
      type: 'integer',
      default: 10,
      min: 1,
      max: 10,
      help: "with an UrbanSound8K --data: the held-out test fold (the dataset paper's 10-fold protocol: report the mean over folds 1..10)",
    },
    dataSeed: {
      type: 'integer',
      default: 0,
      min: 0,
      help: 'seed of the generated clips (separate from --seed so runs share one cached dataset)',
    },
    features: {
      type: 'enum',
      choices: ['logmel', 'mfcc'],
      default: 'logmel',
      help: 'with --data keywords or a folder: 40 log-mel bands or 13 MFCCs per 10 ms frame',
    },
    epochs: { type: 'integer', default: 10, min: 1, max: 1000, help: 'passes over the training clips' },
    batchSize: { type: 'integer', default: 32, min: 2, max: 4096, help: 'clips per step' },
    lr: { type: 'number', default: 3e-3, gt: 0, max: 10, help: 'peak learning rate (AdamW, cosine)' },
    warmup: { type: 'integer', default: 50, min: 0, help: 'linear warm-up steps before the cosine decay' },
    weightDecay: { type: 'number', default: 0.01, min: 0, help: 'decoupled weight decay' },
    channels: { type: 'integer', default: 64, min: 1, max: 1024, help: 'channels C of the TDNN blocks' },
    embedding: {
      type: 'integer',
      default: 64,
      min: 2,
      max: 1024,
      help: 'embedding width d = size of the projection (device d→d)',
    },
    dropout: { type: 'number', default: 0.1, min: 0, lt: 1, help: 'dropout before the classifier' },
    labelSmoothing: { type: 'number', default: 0.1, min: 0, max: 1, help: 'label smoothing' },
    device: {
      type: 'enum',
      choices: DEVICE_KINDS,
      prefixes: DEVICE_FLAG_PREFIXES,
      default: 'none',
      help: 'the d→d projection: none = digital Linear, identity = removed, else a simulated device or a served one, remote:http://host:port (token from $TENZO_DEVICE_TOKEN)',
    },
    init: {
      type: 'string',
      meta: 'file',
      help: "with a device: start from a trained digital run's model.safetensors (same --data, --channels, --embedding): its layers load, the device is programmed to its projection (no centring, a digital bias after the device), then the hybrid fine-tunes",
    },
    ...layerFlags,
    ...estimatorFlags,
    mu: {
      type: 'number',
      gt: 0,
      help: 'with --device: ZO finite-difference step (default 1e-4; with --phase-bits one DAC level 2π/2^bits)',
    },
    ...imperfectionFlags,
    ...driftFlags,
    out: { type: 'string', default: 'runs/audio', meta: 'dir', help: 'folder for checkpoint, report, plot' },
    resume: { type: 'boolean', help: 'continue from <out>/checkpoint.safetensors if present' },
  },
});

export type AudioFlags = FlagValues<typeof audioCommand.flags>;
type Flags = AudioFlags;

/** An epoch of the audio report (device queries: the training steps' only). */
export type AudioEpochRecord = ClassifierEpoch;

export interface AudioRunOptions {
  /** test hook: stop after this many epochs of this run, as if interrupted (the checkpoint stays) */
  stopAfterEpochs?: number;
  /** use these clips instead of loading `--data` */
  data?: KeywordFeatures;
}

/** Settings that must match to resume: a folder's fingerprint too, and --fold only for UrbanSound8K. */
function configOf(flags: Flags, data: Partial<ResolvedAudioData>): StateRecord {
  const config = withoutDefaultEstimator(runConfig(flags, data.kind === 'urbansound8k' ? [] : ['fold']));
  return (data.fingerprint ? { ...config, dataFingerprint: data.fingerprint } : config) as StateRecord;
}

/** The clips `--data` names (eSpeak NG keywords, cached; the synthetic stand-in; or a folder: `resolveAudioData`). */
export async function loadAudioData(
  flags: Pick<Flags, 'data' | 'dataSeed' | 'features'> & { fold?: number },
): Promise<ResolvedAudioData> {
  const { dataSeed: seed, features, fold: testFold = 10 } = flags;
  if (flags.data === 'keywords20') {
    const keywords = () => loadEspeakKeywords({ seed, features, ...KEYWORDS20 });
    const data = await resolveAudioData('keywords', { flag: '--data', seed, features, keywords });
    return { ...data, name: 'keywords20' };
  }
  const keywords = () => loadEspeakKeywords({ seed, features });
  return resolveAudioData(flags.data, { flag: '--data', seed, features, testFold, keywords });
}

export async function runAudio(flags: Flags, runOpts: AudioRunOptions = {}): Promise<AudioEpochRecord[]> {
  const started = performance.now();
  const imperfections = imperfectionsOf(flags, flags.device);
  // a served device can be kept at its initial ω too (the sweeps' frozen cells)
  if (flags.freezeDevice && (flags.device === 'none' || flags.device === 'identity'))
    throw new ArgumentError(`--freeze-device: needs a device, got --device ${flags.device}`);
  const data: KeywordFeatures & Partial<ResolvedAudioData> = runOpts.data ?? (await loadAudioData(flags));
  const { frames: T, features: F } = data;
  const d = T * F;
  // per-bin statistics of every training frame (global CMVN): nothing about the test voices leaks in
  const standardize = fitStandardizer(data.train.x, F);
  const x = { train: standardize(data.train.x), test: standardize(data.test.x) };
  const train = { images: x.train, labels: data.train.labels, n: data.train.n };

  const root = new Rng(flags.seed);
  const initRng = root.fork();
  const dropoutRng = root.fork();
  const orderRng = root.fork();
  const layerRng = root.fork();
  const remote = await connectRemote(flags.device, flags.embedding, flags.seed);
  const model = new HybridTdnn(
    {
      features: F,
      frames: T,
      channels: flags.channels,
      blocks: [
        [5, 1],
        [3, 2],
        [3, 3],
      ],
      embedding: flags.embedding,
      classes: data.classNames.length,
      dropout: flags.dropout,
      device: remote ?? (flags.device as DeviceKind),
      center: flags.center && flags.init === undefined,
      ...(flags.init === undefined ? {} : { deviceBias: true, phaseScreens: flags.device === 'usv' }),
      deviceSeed: flags.seed,
      layer: layerOptions(flags, executorFor(flags.threads)),
      imperfections,
    },
    initRng,
    dropoutRng,
    layerRng,
  );
  const physical = model.physical;
  if (physical && flags.freezeDevice) physical.frozen = true;
  const evaluate = heldOutMetrics(model, (t) => model.forward(t), x.test, data.test.labels, d, 256);
  const program = flags.init && (await initTdnnFromDigital(model, loadSafetensors(flags.init).tensors));
  let init: StateRecord | null = null;
  if (program) {
    const { error, initialError, gain, queries } = program;
    const startAccuracy = (await evaluate()).testAccuracy!; // the programmed start, before fine-tuning
    init = { file: flags.init!, error, initialError, gain, queries: { ...queries }, startAccuracy };
    console.error(
      `--init ${flags.init}: device programmed to the projection with matrix error ${error.toPrecision(3)} (from ${initialError.toPrecision(3)}), ${queries.inputs} query rows; test accuracy before fine-tuning ${(100 * startAccuracy).toFixed(2)}%`,
    );
  }
  // BatchNorm needs two clips per batch: drop a trailing single clip (it is seen another epoch)
  const dropLast = train.n % flags.batchSize === 1;
  const { optimizers, schedules } = hybridOptimizers({
    digital: optimizerFor('adamw', model.digitalParameters(), {
      lr: flags.lr,
      weightDecay: flags.weightDecay,
    }),
    lr: flags.lr,
    warmup: flags.warmup,
    totalSteps: flags.epochs * batchCount(train.n, flags.batchSize, dropLast),
    physical: physical ? [physical] : [],
    device: { lr: flags.deviceLr },
  });

  const config = configOf(flags, data);
  const shape = model.describe();
  console.error(
    `audio: ${train.n} train / ${data.test.n} test clips (${data.source}), ${shape}, ${model.parameterCount().toLocaleString('en')} parameters` +
      (physical
        ? `, ${flags.mode}, rank ${flags.rank}, M = ${flags.samples}${estimatorLabel(flags)}` +
          (flags.noise > 0 ? `, output noise ${flags.noise}` : '') +
          (flags.phaseBits > 0
            ? `, ${flags.phaseBits}-bit phases, μ = ${physical.options.mu.toPrecision(3)}`
            : '') +
          (flags.freezeDevice ? ', device frozen' : '')
        : ''),
  );
  // queries of the training steps only (the evaluation's forward passes come after)
  const records = await trainClassifier({
    train,
    batchSize: flags.batchSize,
    dropLast,
    order: orderRng,
    epochs: flags.epochs,
    model,
    optimizers,
    schedules,
    logits: (batch) => model.forward(fromTypedArray(batch.x, [batch.size, T, F])),
    labelSmoothing: flags.labelSmoothing,
    physical: physical ? [physical] : [],
    countEvaluationQueries: false,
    evaluate,
    rngs: { dropout: dropoutRng },
    out: flags.out,
    resume: flags.resume === true,
    checkpointEvery: 0,
    config,
    stopAfterEpochs: runOpts.stopAfterEpochs,
  });
  const history = records.map(classifierEpoch);
  if (runOpts.stopAfterEpochs !== undefined && history.length < flags.epochs) return history;

  const last = history[history.length - 1]!;
  console.log(epochTable(history, physical !== null));
  const wallSeconds = (performance.now() - started) / 1000;
  console.log(
    `\ntest accuracy ${(100 * last.testAccuracy).toFixed(2)}% on ${data.test.n} held-out clips (${data.testLabel?.replace(/^test \((.*)\)$/, '$1') ?? 'unseen speakers'}, seed ${flags.seed}, ${wallSeconds.toFixed(1)} s this run)`,
  );
  const trainSeconds = history.reduce((s, h) => s + h.seconds, 0);
  const report = {
    command: 'audio',
    seed: flags.seed,
    config,
    model: {
      shape,
      parameters: model.parameterCount(),
      device: flags.device,
      // the ZO step actually used (one DAC level with --phase-bits unless --mu is given)
      ...(physical ? { mu: physical.options.mu } : {}),
    },
    data: {
      source: data.source,
      train: train.n,
      test: data.test.n,
      frames: T,
      features: F,
      classes: data.classNames,
    },
    ...(init ? { init } : {}),
    epochs: history,
    final: {
      testAccuracy: last.testAccuracy,
      testLoss: last.testLoss,
      secondsPerEpoch: trainSeconds / history.length,
      ...(last.deviceQueries ? { queriesPerStep: last.deviceQueries.perStep } : {}),
    },
    wallSecondsThisRun: wallSeconds,
    trainSecondsTotal: trainSeconds,
  };
  writeClassifierFiles(flags, {
    report,
    model,
    history,
    title: `${data.fingerprint ? data.name : 'keywords'}: ${flags.device === 'none' ? 'digital' : flags.device} (seed ${flags.seed})`,
    names: { train: 'train (running)', test: data.testLabel ?? 'test (unseen speakers)' },
  });
  return history;
}
