import { ArgumentError, checkInt, checkNumber, checkOneOf, describeValue, Rng } from '@tenzo/core';
import { randomWindows } from '@tenzo/data';
import { AdamW, clipGradNorm, cosineLR, type LRSchedule, type Parameter, withWarmup } from '@tenzo/nn';
import { noGrad } from '@tenzo/tensor';
import type { BalanceForm } from '../losses/loadBalancing.js';
import type { DistillOptions, MtpLM } from '../model/mtpLM.js';
import { checkTokenIds } from '../tokenIds.js';

/**
 * Options of `trainMtp`: the token stream, steps, batch size and sequence length, the regime (from scratch
 * or heads only), the AdamW schedule (learning rates, warm-up, weight decay, clipping), load balancing,
 * optional distillation, the `Rng` and a per-step callback.
 */
export interface TrainMtpOptions {
  /** training token stream */
  tokens: ArrayLike<number>;
  steps: number;
  batchSize: number;
  /** positions per window (the trunk's input length) */
  seqLen: number;
  /** 'scratch': trunk and heads; 'heads': heads only on a frozen trunk (and frozen unembedding) */
  regime?: 'scratch' | 'heads';
  lr?: number;
  minLr?: number;
  warmupSteps?: number;
  weightDecay?: number;
  /** global gradient-norm clip (default 1) */
  clip?: number;
  balance?: BalanceForm;
  balanceCoef?: number;
  /**
   * KL distillation from a teacher's next-token distributions (e.g. the base model the trunk
   * came from): loss = (1 − coef)·joint + coef·CE(teacher) + λ·balance; off when absent
   */
  distill?: DistillOptions;
  rng: Rng;
  /** called after every step with its record */
  onStep?: (s: TrainStep) => void;
}

/**
 * One training step of `trainMtp`: its index, learning rate, loss and its parts (joint, first-token,
 * distillation KL), the experts' usage and the gradient norm.
 */
export interface TrainStep {
  step: number;
  lr: number;
  loss: number;
  joint: number;
  firstToken: number;
  /** KL to the teacher (nats per n-token block), with `distill` */
  distillKl?: number;
  usage: Float64Array;
  gradNorm: number;
}

/** The optimizer of {@link trainMtp}'s settings (`steps`, `regime`, `lr`, `minLr`, `warmupSteps`, `weightDecay`). */
export interface MtpOptimizer {
  readonly regime: 'scratch' | 'heads';
  /** what trains: every parameter ('scratch') or the heads' ('heads', trunk frozen) */
  readonly params: Parameter[];
  /** AdamW (weight decay 0.01, β2 0.99) */
  readonly optimizer: AdamW;
  /** linear warm-up, then cosine to lr/10 (or minLr) */
  readonly schedule: LRSchedule;
}

/**
 * The optimizer and schedule `trainMtp` trains with, for loops of one's own (e.g. `@tenzo/train`'s
 * Trainer, with checkpoints): AdamW over `params`, warm-up then cosine decay.
 */
export function mtpOptimizer(
  model: MtpLM,
  opts: Pick<TrainMtpOptions, 'steps' | 'regime' | 'lr' | 'minLr' | 'warmupSteps' | 'weightDecay'>,
  fn = 'mtpOptimizer',
): MtpOptimizer {
  if (typeof opts !== 'object' || opts === null)
    throw new ArgumentError(`${fn}: opts: expected an options object, got ${describeValue(opts)}`);
  const steps = checkInt(`${fn}: steps`, opts.steps, { positive: true });
  const regime = checkOneOf(`${fn}: regime`, opts.regime ?? 'scratch', ['scratch', 'heads'] as const);
  const lr = checkNumber(`${fn}: lr`, opts.lr ?? 3e-3, { gt: 0 });
  const params = regime === 'scratch' ? model.parameters() : model.heads.parameters();
  const optimizer = new AdamW(params, { lr, weightDecay: opts.weightDecay ?? 0.01, beta2: 0.99 });
  const schedule = withWarmup(
    cosineLR({ lr, totalSteps: Math.max(1, steps - (opts.warmupSteps ?? 0)), minLr: opts.minLr ?? lr / 10 }),
    opts.warmupSteps ?? 0,
  );
  return { regime, params, optimizer, schedule };
}

/**
 * Trains an MtpLM on random windows of a token stream with AdamW, linear warm-up + cosine decay
 * and gradient clipping. Returns the per-step records.
 */
export function trainMtp(model: MtpLM, opts: TrainMtpOptions): TrainStep[] {
  if (typeof opts !== 'object' || opts === null || !(opts.rng instanceof Rng))
    throw new ArgumentError(`trainMtp: opts: expected options with an rng, got ${describeValue(opts)}`);
  const steps = checkInt('trainMtp: steps', opts.steps, { positive: true });
  const b = checkInt('trainMtp: batchSize', opts.batchSize, { positive: true });
  const t = checkInt('trainMtp: seqLen', opts.seqLen, { positive: true, max: model.config.maxSeqLen });
  checkTokenIds('trainMtp: tokens', opts.tokens, model.config.vocabSize);
  const { regime, params, optimizer: opt, schedule } = mtpOptimizer(model, { ...opts, steps }, 'trainMtp');
  const n = model.config.n;
  const history: TrainStep[] = [];
  model.train();
  for (let step = 0; step < steps; step++) {
    const windows = randomWindows(opts.tokens, b, t + n, opts.rng);
    const res = model.windowLoss(windows, b, t, {
      frozenTrunk: regime === 'heads',
      ...(opts.balance ? { balance: opts.balance } : {}),
      ...(opts.balanceCoef !== undefined ? { balanceCoef: opts.balanceCoef } : {}),
      ...(opts.distill !== undefined ? { distill: opts.distill } : {}),
    });
    model.zeroGrad();
    res.loss.backward();
    const gradNorm = clipGradNorm(params, opts.clip ?? 1);
    opt.lr = schedule(step);
    opt.step();
    const rec: TrainStep = {
      step,
      lr: opt.lr,
      loss: res.loss.item(),
      joint: res.joint.item(),
      firstToken: res.firstToken.item(),
      ...(res.distill ? { distillKl: res.distill.kl } : {}),
      usage: res.usage,
      gradNorm,
    };
    history.push(rec);
    opts.onStep?.(rec);
  }
  model.zeroGrad();
  model.eval();
  return history;
}

/**
 * Held-out losses of a multi-token model: joint and first-token negative log-likelihoods (nats), each
 * expert's mean gate weight and the share of positions it wins.
 */
export interface EvalResult {
  joint: number;
  firstToken: number;
  /** mean gate weight per expert */
  usage: Float64Array;
  /** fraction of positions routed (argmax) to each expert */
  routed: Float64Array;
}

/** Mean losses over `batches` random windows of a token stream (no graph). */
export function evaluateMtp(
  model: MtpLM,
  tokens: ArrayLike<number>,
  opts: { batches: number; batchSize: number; seqLen: number; rng: Rng },
): EvalResult {
  if (typeof opts !== 'object' || opts === null || !(opts.rng instanceof Rng))
    throw new ArgumentError(
      `evaluateMtp: opts: expected { batches, batchSize, seqLen, rng }, got ${describeValue(opts)}`,
    );
  checkInt('evaluateMtp: batches', opts.batches, { positive: true });
  checkInt('evaluateMtp: batchSize', opts.batchSize, { positive: true });
  checkInt('evaluateMtp: seqLen', opts.seqLen, { positive: true, max: model.config.maxSeqLen });
  checkTokenIds('evaluateMtp: tokens', tokens, model.config.vocabSize);
  const n = model.config.n;
  const r = model.config.rank;
  let joint = 0;
  let first = 0;
  const usage = new Float64Array(r);
  const routed = new Float64Array(r);
  noGrad(() => {
    for (let i = 0; i < opts.batches; i++) {
      const w = randomWindows(tokens, opts.batchSize, opts.seqLen + n, opts.rng);
      const res = model.windowLoss(w, opts.batchSize, opts.seqLen, { balance: 'none' });
      joint += res.joint.item() / opts.batches;
      first += res.firstToken.item() / opts.batches;
      for (let a = 0; a < r; a++) {
        usage[a]! += res.usage[a]! / opts.batches;
        routed[a]! += res.routed[a]! / opts.batches;
      }
    }
  });
  return { joint, firstToken: first, usage, routed };
}
