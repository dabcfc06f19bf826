import {
  ArgumentError,
  checkNumbers,
  describeValue,
  formatShape,
  NonFiniteError,
  ShapeError,
} from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import type { CPHeads } from '../heads/cpHeads.js';

/**
 * The distillation loss of the CP heads against a teacher's next-token distributions: the cross-entropy
 * (what is minimised) and the KL divergence (the same up to the teacher's entropy, for reports), in nats.
 */
export interface CPDistillResult {
  /**
   * −mean_t Σ_s Σ_x p_T(x | x_{≤t+s−1}) log P(x_{t+s} = x | x_{≤t}, x_{t+1..t+s−1}): the
   * cross-entropy of the CP conditionals against the teacher's next-token distributions (what
   * is minimised; its gradient is the KL's)
   */
  crossEntropy: Tensor;
  /** mean_t Σ_s KL(p_T ‖ P_CP) in nats: the cross-entropy less the teacher's entropy */
  kl: number;
}

/**
 * KL distillation of CP heads from a base model (Basharin et al. 2024, the heads-only regime):
 * at each position t and depth s the teacher's next-token distribution p_T(· | x_{≤t+s−1})
 * (the base LM run on the true tokens) is matched by the CP model's conditional for x_{t+s}
 * given the true x_{t+1..t+s−1}:
 *   P(x | …) = Σ_α π_α^{(s)} P_α^{(s)}(x),  π^{(s)} ∝ w_α Π_{s'<s} P_α^{(s')}(x_{t+s'})
 * (the mixture weights after observing the earlier tokens). These conditionals factorise the
 * CP joint, so with one-hot teachers on the true tokens the cross-entropy equals `cpLoss`'s
 * joint loss exactly (tested) — distillation replaces hard targets by the teacher's soft ones.
 * Heads are evaluated one at a time: at most [N, r, V] log-probabilities exist at once.
 *
 * e: [N, dModel]; targets: [N·n] (targets[i·n + s] = x_{t_i+1+s}; the last depth's are not needed);
 * teacherLogProbs: [N·n·V] row-major, row (i, s) = log p_T(· | x_{≤t_i+s}), each row a
 * normalised log-distribution (−∞ allowed for impossible tokens).
 */
export function cpDistillLoss(
  heads: CPHeads,
  e: Tensor,
  targets: ArrayLike<number>,
  teacherLogProbs: ArrayLike<number>,
): CPDistillResult {
  const fn = 'cpDistillLoss';
  if (!(e instanceof Tensor)) throw new ArgumentError(`${fn}: e: expected a Tensor, got ${describeValue(e)}`);
  const { n, rank: r, vocabSize: v } = heads.config;
  const rows = e.shape[0] ?? 0;
  checkNumbers(`${fn}: targets`, targets);
  if (e.ndim !== 2 || rows === 0 || targets.length !== rows * n)
    throw new ShapeError(
      `${fn}: expected e [N, d] and N·n = ${rows}·${n} targets, got e ${formatShape(e.shape)} and ${targets.length} targets`,
    );
  for (let k = 0; k < targets.length; k++) {
    const x = targets[k]!;
    if (!Number.isInteger(x) || x < 0 || x >= v)
      throw new ShapeError(`${fn}: targets[${k}] expected an integer in [0, ${v}), got ${x}`);
  }
  checkNumbers(`${fn}: teacherLogProbs`, teacherLogProbs, { length: rows * n * v, finite: false });
  // the teacher as probabilities (a constant of the graph) and its entropy
  const probs = new Float64Array(rows * n * v);
  let entropy = 0;
  for (let row = 0; row < rows * n; row++) {
    let total = 0;
    for (let x = 0; x < v; x++) {
      const lp = teacherLogProbs[row * v + x]!;
      if (Number.isNaN(lp) || lp === Number.POSITIVE_INFINITY || lp > 1e-9)
        throw new NonFiniteError(
          `${fn}: teacherLogProbs[${row * v + x}]: expected a log-probability (≤ 0 or −∞), got ${lp}`,
        );
      const p = Math.exp(lp);
      probs[row * v + x] = p;
      total += p;
      if (p > 0) entropy -= p * lp;
    }
    if (Math.abs(total - 1) > 1e-6)
      throw new ShapeError(
        `${fn}: teacherLogProbs row ${row}: expected a normalised distribution, its probabilities sum to ${total}`,
      );
  }
  entropy /= rows;
  const logW = heads.logGate(e);
  const idx = new Int32Array(rows * r);
  let prefix = logW; // log w_α + Σ_{s'<s} log P_α^{(s')}(x_{t+s'})   [N, r]
  let ce: Tensor | null = null;
  for (let s = 0; s < n; s++) {
    const lp = heads.logProbs(e, s); // [N, r, V]
    // log P(x | earlier tokens) = logsumexp_α(prefix + lp) − logsumexp_α(prefix)
    const joint = prefix.reshape([rows, r, 1]).add(lp).logsumexp({ axis: 1 });
    const cond = joint.sub(prefix.logsumexp({ axis: 1, keepDims: true })); // [N, V]
    const pT = new Float64Array(rows * v);
    for (let i = 0; i < rows; i++) pT.set(probs.subarray((i * n + s) * v, (i * n + s + 1) * v), i * v);
    const teacher = new Tensor(pT, [rows, v]);
    const term = cond
      .mul(cond.dtype === 'float64' ? teacher : teacher.cast(cond.dtype))
      .sum()
      .neg();
    ce = ce ? ce.add(term) : term;
    if (s + 1 < n) {
      for (let i = 0; i < rows; i++)
        for (let a = 0; a < r; a++) idx[i * r + a] = (i * r + a) * v + targets[i * n + s]!;
      prefix = prefix.add(
        lp
          .reshape([rows * r * v])
          .gather(idx)
          .reshape([rows, r]),
      );
    }
  }
  const crossEntropy = ce!.mul(1 / rows);
  const value = crossEntropy.item();
  if (!Number.isFinite(value))
    throw new NonFiniteError(
      `${fn}: cross-entropy: expected a finite value, got ${value} (check e and the heads)`,
    );
  return { crossEntropy, kl: value - entropy };
}
