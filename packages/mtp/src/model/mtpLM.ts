import { ArgumentError, checkNumber, describeValue, type Rng, ShapeError } from '@tenzo/core';
import { GPT, type KVCache, Module, type TransformerConfig } from '@tenzo/nn';
import { noGrad, Tensor } from '@tenzo/tensor';
import { CPHeads, type CPHeadsConfig } from '../heads/cpHeads.js';
import { cpDistillLoss } from '../losses/cpDistillLoss.js';
import {
  type CPLossOptions,
  type CPLossResult,
  cpLoss,
  windowInputs,
  windowTargets,
} from '../losses/cpLoss.js';

/**
 * A multi-token-prediction language model: a transformer's config plus the future tokens n predicted per
 * position, the CP rank and the per-expert map.
 */
export interface MtpLMConfig extends TransformerConfig {
  /** future tokens predicted per position */
  n: number;
  /** CP rank */
  rank: number;
  map?: CPHeadsConfig['map'];
}

/**
 * A teacher for distillation: token ids [B, L] → next-token logits or log-probabilities
 * [B, L, V] at every position (e.g. `(ids) => base.nextTokenLogProbs(ids)` of a trained
 * next-token model). Run without a graph.
 */
export type NextTokenTeacher = (ids: Tensor) => Tensor;

/** Distillation settings of {@link MtpLM.windowLoss}: loss = (1 − β)·joint + β·CE(teacher) + λ·balance. */
export interface DistillOptions {
  readonly teacher: NextTokenTeacher;
  /** β ∈ [0, 1] */
  readonly coef: number;
}

/** The window loss with its distillation parts (present when `distill` was given). */
export interface WindowLossResult extends CPLossResult {
  /** the distillation cross-entropy (nats per block) and KL to the teacher */
  distill?: { crossEntropy: Tensor; kl: number };
}

/**
 * A GPT trunk with CP multi-token heads on its final hidden state, sharing the trunk's (tied)
 * unembedding. The model's next-token distribution is the CP marginal Σ_α w_α P^{(1)}_α; it is
 * what plain autoregressive decoding samples and what speculative decoding must reproduce.
 * State-dict paths: trunk.*, heads.*.
 */
export class MtpLM extends Module {
  readonly trunk: GPT;
  readonly heads: CPHeads;

  constructor(
    readonly config: MtpLMConfig,
    rng: Rng,
  ) {
    super();
    this.trunk = this.registerModule('trunk', new GPT(config, rng));
    this.heads = this.registerModule(
      'heads',
      new CPHeads(
        {
          dModel: config.dModel,
          vocabSize: config.vocabSize,
          n: config.n,
          rank: config.rank,
          ...(config.map ? { map: config.map } : {}),
          ...(config.dtype ? { dtype: config.dtype } : {}),
        },
        rng,
      ),
    );
    this.heads.bindUnembedding(this.trunk.unembedding);
  }

  /** ids [B, T] → e [B·T, dModel]. */
  states(ids: Tensor, cache?: KVCache): Tensor {
    const h = this.trunk.hidden(ids, cache);
    return h.reshape([h.shape[0]! * h.shape[1]!, this.config.dModel]);
  }

  /**
   * CP loss on LM windows [B, T + n] (row-major token ids). With `frozenTrunk` the trunk runs
   * without recording a graph (heads-only training on a trained model).
   */
  windowLoss(
    windows: ArrayLike<number>,
    b: number,
    t: number,
    opts: CPLossOptions & { frozenTrunk?: boolean; distill?: DistillOptions } = {},
  ): WindowLossResult {
    const n = this.config.n;
    const ids0 = new Tensor(windowInputs(windows, b, t, n), [b, t], 'float32');
    const ids = this.config.dtype === 'float64' ? ids0.cast('float64') : ids0;
    const e = opts.frozenTrunk ? noGrad(() => this.states(ids)) : this.states(ids);
    const targets = windowTargets(windows, b, t, n);
    const res = cpLoss(this.heads, e, targets, opts);
    if (opts.distill === undefined) return res;
    const { teacher, coef } = checkDistill(opts.distill);
    if (coef === 0) return res;
    const teacherLp = teacherWindowLogProbs(teacher, windows, b, t, n, this.config.vocabSize);
    const d = cpDistillLoss(this.heads, e, targets, teacherLp);
    const loss = res.loss.sub(res.joint.mul(coef)).add(d.crossEntropy.mul(coef));
    return { ...res, loss, distill: d };
  }

  /**
   * log P(x_{t+1} | x_{≤t}) of the model's CP marginal Σ_α w_α P^{(1)}_α at every position:
   * ids [B, T] → [B, T, V] (a teacher for distilling other heads, see {@link NextTokenTeacher}).
   */
  nextTokenLogProbs(ids: Tensor): Tensor {
    const e = this.states(ids);
    const rows = e.shape[0]!;
    const { rank: r, vocabSize: v } = this.config;
    const lp = this.heads.logProbs(e, 0);
    const logW = this.heads.logGate(e).reshape([rows, r, 1]);
    return logW.add(lp).logsumexp({ axis: 1 }).reshape([ids.shape[0]!, ids.shape[1]!, v]);
  }

  /** ids: [B, T] → the CP heads' output for every position's trunk state. */
  forward(ids: Tensor): Tensor {
    return this.heads.forward(this.states(ids));
  }
}

function checkDistill(d: unknown): DistillOptions {
  const o = d as Partial<DistillOptions> | null;
  if (typeof o !== 'object' || o === null || typeof o.teacher !== 'function')
    throw new ArgumentError(
      `MtpLM.windowLoss: distill expected { teacher: (ids) => logits [B, L, V], coef }, got ${describeValue(d)}`,
    );
  return {
    teacher: o.teacher,
    coef: checkNumber('MtpLM.windowLoss: distill.coef', o.coef, { min: 0, max: 1 }),
  };
}

/**
 * The teacher's next-token log-probabilities for every (position j < T, depth s < n) of LM
 * windows [B, T + n]: row (i·T + j)·n + s is log p_T(· | x_{≤j+s}) of window i, from one teacher
 * run over each window's first T + n − 1 tokens. → [B·T·n·V].
 */
function teacherWindowLogProbs(
  teacher: NextTokenTeacher,
  windows: ArrayLike<number>,
  b: number,
  t: number,
  n: number,
  v: number,
): Float64Array {
  const len = t + n - 1;
  const ids = new Float32Array(b * len);
  for (let i = 0; i < b; i++) for (let j = 0; j < len; j++) ids[i * len + j] = windows[i * (t + n) + j]!;
  const out = noGrad(() => teacher(new Tensor(ids, [b, len], 'float32')));
  if (
    !(out instanceof Tensor) ||
    out.ndim !== 3 ||
    out.shape[0] !== b ||
    out.shape[1] !== len ||
    out.shape[2] !== v
  )
    throw new ShapeError(
      `MtpLM.windowLoss: distill.teacher expected to return [${b}, ${len}, ${v}] logits, got ${out instanceof Tensor ? `[${out.shape.join(', ')}]` : describeValue(out)}`,
    );
  // logSoftmax: the teacher may return logits or log-probabilities (idempotent on the latter)
  const lp = Float64Array.from(out.cast('float64').logSoftmax(-1).toFlat());
  const rows = new Float64Array(b * t * n * v);
  for (let i = 0; i < b; i++)
    for (let j = 0; j < t; j++)
      for (let s = 0; s < n; s++)
        rows.set(lp.subarray((i * len + j + s) * v, (i * len + j + s + 1) * v), ((i * t + j) * n + s) * v);
  return rows;
}
