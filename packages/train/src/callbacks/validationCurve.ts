import { ArgumentError, checkArray, checkInt, checkObject, describeValue } from '@tenzo/core';
import { Module } from '@tenzo/nn';
import { noGradAsync, type Tensor } from '@tenzo/tensor';
import type { TrainerCallback } from '../types.js';
import { type ProgressSink, resumeSink } from './epochProgress.js';

/** One point of a validation curve. */
export interface CurvePoint {
  /** optimizer steps done (0: before training) */
  readonly step: number;
  /** the held-out loss after `step` steps */
  readonly valLoss: number;
  /** mean training loss over the steps since the previous point (null at step 0) */
  readonly trainLoss: number | null;
}

/**
 * Options of `validationCurve`: how the held-out loss is measured, the steps between points, the run's
 * last step (always a point), a per-step figure averaged over training, and a progress sink.
 */
export interface ValidationCurveOptions {
  /** the held-out loss now (e.g. `meanLoss` over fixed validation batches) */
  readonly validate: () => number | Promise<number>;
  /** steps between validation points */
  readonly every: number;
  /** the run's last step, which always gets a point */
  readonly totalSteps: number;
  /** a per-step figure to average over training (e.g. a layer's `lastSurrogateCosine`); null/undefined skip the step */
  readonly sample?: () => number | null | undefined;
  /** ticked every step with the step's loss and the latest validation loss (3 decimals) */
  readonly progress?: ProgressSink;
}

/** A `Trainer` callback that records a validation curve; read its figures after `fit`. */
export interface ValidationCurve extends TrainerCallback {
  /** the points so far: step 0 (after `start`), every `every` steps, and the last step */
  readonly curve: readonly CurvePoint[];
  /** wall time spent in training steps, validation passes included, across resumes */
  readonly trainSeconds: number;
  /** mean of the `sample` figures over the steps that had one (null when none had) */
  readonly sampleMean: number | null;
  /** validates the untrained model: the curve's step-0 point (call before `fit`; a resume replaces it) */
  start(): Promise<void>;
}

/**
 * The learning curve of a step-based run (a language model trained for a number of steps, as in
 * nanoGPT): the held-out loss at step 0, every `every` steps and at `totalSteps`, each with the
 * mean training loss since the previous point. Everything it has recorded (curve, the open
 * training-loss window, step time, the sample sums) is its checkpointed state, so a resumed run
 * continues the same curve.
 *
 * ```ts
 * const vc = validationCurve({ validate: () => meanLoss(gpt, evalSet, (b) => nextTokenLoss(gpt, b)), every: 100, totalSteps: 1000 });
 * await vc.start();
 * await new Trainer({ ..., callbacks: [vc] }).fit();
 * vc.curve.at(-1); // { step: 1000, valLoss, trainLoss }
 * ```
 */
export function validationCurve(opts: ValidationCurveOptions): ValidationCurve {
  const fn = 'validationCurve';
  checkObject(`${fn}: options`, opts);
  if (typeof opts.validate !== 'function')
    throw new ArgumentError(`${fn}: validate expected a function, got ${describeValue(opts.validate)}`);
  const every = checkInt(`${fn}: every`, opts.every, { positive: true });
  const total = checkInt(`${fn}: totalSteps`, opts.totalSteps, { positive: true });
  let curve: CurvePoint[] = [];
  let window: number[] = [];
  let trainSeconds = 0;
  let sampleSum = 0;
  let sampleCount = 0;
  let mark = 0;
  return {
    get curve() {
      return curve;
    },
    get trainSeconds() {
      return trainSeconds;
    },
    get sampleMean() {
      return sampleCount > 0 ? sampleSum / sampleCount : null;
    },
    async start() {
      curve = [{ step: 0, valLoss: await opts.validate(), trainLoss: null }];
    },
    onEpochStart({ stepInEpoch }) {
      if (stepInEpoch > 0 && opts.progress) resumeSink(opts.progress, stepInEpoch);
      mark = performance.now();
    },
    async onStep({ globalStep, loss }) {
      trainSeconds += (performance.now() - mark) / 1000;
      const s = opts.sample?.();
      if (s != null) {
        sampleSum += s;
        sampleCount++;
      }
      window.push(loss);
      const last = globalStep === total;
      if (globalStep % every === 0 || last) {
        const trainLoss = window.reduce((x, y) => x + y, 0) / window.length;
        curve.push({ step: globalStep, valLoss: await opts.validate(), trainLoss });
        if (!last) window = [];
      }
      opts.progress?.tick(1, { loss: loss.toFixed(3), val: curve[curve.length - 1]!.valLoss.toFixed(3) });
      mark = performance.now();
    },
    state: () => ({
      curve: JSON.stringify(curve),
      window: Float64Array.from(window),
      trainSeconds,
      sampleSum,
      sampleCount,
    }),
    load(st) {
      curve = JSON.parse(st.curve as string) as CurvePoint[];
      window = Array.from(st.window as Float64Array);
      trainSeconds = st.trainSeconds as number;
      sampleSum = st.sampleSum as number;
      sampleCount = st.sampleCount as number;
    },
  };
}

/**
 * The mean of `loss` over `batches` in eval mode without gradients (the model is put back in
 * training mode after): a held-out loss for `validationCurve`. `loss` returns a scalar tensor.
 */
export async function meanLoss<B>(
  model: Module,
  batches: readonly B[],
  loss: (batch: B) => Tensor | Promise<Tensor>,
): Promise<number> {
  if (!(model instanceof Module))
    throw new ArgumentError(`meanLoss: model expected a Module, got ${describeValue(model)}`);
  checkArray('meanLoss: batches', batches);
  if (batches.length === 0)
    throw new ArgumentError('meanLoss: batches expected at least one batch, got none');
  model.eval();
  let s = 0;
  await noGradAsync(async () => {
    for (const b of batches) s += (await loss(b)).item();
  });
  model.train();
  return s / batches.length;
}
