import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkNumbers,
  describeValue,
  formatShape,
  NonFiniteError,
  ShapeError,
} from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import type { CPHeads } from '../heads/cpHeads.js';
import { checkTokenIds } from '../tokenIds.js';
import { type BalanceForm, loadBalancingLoss } from './loadBalancing.js';

/** Options of the CP multi-token loss: the load-balancing form and its weight λ. */
export interface CPLossOptions {
  /** load-balancing form (default 'switch') */
  balance?: BalanceForm;
  /** λ of the load-balancing term (default 0.01) */
  balanceCoef?: number;
}

/**
 * The CP multi-token loss: what is minimised (joint + λ·balance), the joint and first-token negative
 * log-likelihoods (nats), the balancing term, each expert's mean gate weight and the share of positions it
 * wins.
 */
export interface CPLossResult {
  /** joint + λ · balance: what is minimised */
  loss: Tensor;
  /** −mean_t log P(x_{t+1..t+n}) (nats per n-token block) */
  joint: Tensor;
  /** −mean_t log Σ_α w_α P^{(1)}_α(x_{t+1}): the next-token loss of the model's marginal */
  firstToken: Tensor;
  balance: Tensor;
  /** mean gate weight P̄_α over positions */
  usage: Float64Array;
  /** fraction of positions whose largest gate weight is α */
  routed: Float64Array;
}

/**
 * CP multi-token loss (Basharin et al. 2024, §3): for each position t with context state e_t
 * and the next n tokens, L_joint = −mean_t logsumexp_α [log w_α + Σ_s log P^{(s)}_α(x_{t+s})].
 * Heads are evaluated one at a time, so at most [N, r, V] log-probabilities exist at once (never
 * [N, n, r, V]); each head keeps only the target entries, gathered.
 *
 * e: [N, dModel]; targets: [N·n] row-major, targets[i·n + s] = x_{t_i + 1 + s}.
 */
export function cpLoss(
  heads: CPHeads,
  e: Tensor,
  targets: ArrayLike<number>,
  opts: CPLossOptions = {},
): CPLossResult {
  if (!(e instanceof Tensor))
    throw new ArgumentError(`cpLoss: e: expected a Tensor, got ${describeValue(e)}`);
  checkNumbers('cpLoss: targets', targets);
  const { n, rank: r, vocabSize: v } = heads.config;
  const rows = e.shape[0] ?? 0;
  if (e.ndim !== 2 || targets.length !== rows * n) {
    throw new ShapeError(
      `cpLoss: expected e [N, d] and N·n = ${rows}·${n} targets, got e ${formatShape(e.shape)} and ${targets.length} targets`,
    );
  }
  const coef = checkNumber('cpLoss: balanceCoef', opts.balanceCoef ?? 0.01, { min: 0 });
  const logW = heads.logGate(e);
  const idx = new Int32Array(rows * r);
  let sumLp: Tensor | null = null;
  let first: Tensor | null = null;
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < rows; i++) {
      const x = targets[i * n + s]!;
      if (!Number.isInteger(x) || x < 0 || x >= v)
        throw new ShapeError(`cpLoss: targets[${i * n + s}] expected an integer in [0, ${v}), got ${x}`);
      for (let a = 0; a < r; a++) idx[i * r + a] = (i * r + a) * v + x;
    }
    const lp = heads
      .logProbs(e, s)
      .reshape([rows * r * v])
      .gather(idx)
      .reshape([rows, r]);
    if (s === 0) first = lp;
    sumLp = sumLp ? sumLp.add(lp) : lp;
  }
  const joint = logW.add(sumLp!).logsumexp({ axis: 1 }).mean().neg();
  // a NaN state or an overflowing head would otherwise train on NaN without a word
  if (!Number.isFinite(joint.item()))
    throw new NonFiniteError(
      `cpLoss: joint loss: expected a finite value, got ${joint.item()} (check e and the heads)`,
    );
  const firstToken = logW.add(first!).logsumexp({ axis: 1 }).mean().neg();
  const w = logW.exp();
  const { loss: balance, routed } = loadBalancingLoss(w, opts.balance ?? 'switch');
  const usage = Float64Array.from(w.detach().mean({ axis: 0 }).data);
  const loss = coef > 0 && (opts.balance ?? 'switch') !== 'none' ? joint.add(balance.mul(coef)) : joint;
  return { loss, joint, firstToken, balance, usage, routed };
}

/** Targets for cpLoss from LM windows [B, T + n] (row-major): inputs are each window's first T tokens. */
export function windowTargets(windows: ArrayLike<number>, b: number, t: number, n: number): Int32Array {
  checkWindows('windowTargets', windows, b, t, n);
  if (windows.length !== b * (t + n))
    throw new ShapeError(`windowTargets: windows expected ${b}·(${t}+${n}) entries, got ${windows.length}`);
  const out = new Int32Array(b * t * n);
  for (let i = 0; i < b; i++)
    for (let j = 0; j < t; j++)
      for (let s = 0; s < n; s++) out[(i * t + j) * n + s] = windows[i * (t + n) + j + 1 + s]!;
  return out;
}

/** Inputs [B, T] (as numbers) from LM windows [B, T + n]. */
export function windowInputs(windows: ArrayLike<number>, b: number, t: number, n: number): Float32Array {
  checkWindows('windowInputs', windows, b, t, n);
  const out = new Float32Array(b * t);
  for (let i = 0; i < b; i++) for (let j = 0; j < t; j++) out[i * t + j] = windows[i * (t + n) + j]!;
  return out;
}

/** windows [B, T + n] of token ids (integers >= 0). */
function checkWindows(fn: string, windows: ArrayLike<number>, b: number, t: number, n: number): void {
  checkInt(`${fn}: b`, b, { positive: true });
  checkInt(`${fn}: t`, t, { positive: true });
  checkInt(`${fn}: n`, n, { positive: true });
  checkNumbers(`${fn}: windows`, windows, { length: b * (t + n) });
  checkTokenIds(`${fn}: windows`, windows);
}
