import { Rng } from '@tenzo/core';
import { noGrad, Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { MtpLM } from '../model/mtpLM.js';
import { trainMtp } from './trainMtp.js';

/** A noisy cycle 0 1 2 3 4 5 0 1 …, 5% of tokens replaced at random. */
function noisyCycle(length: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length }, (_, i) => (rng.uniform() < 0.05 ? rng.int(6) : i % 6));
}

const base = { vocabSize: 6, maxSeqLen: 40, dModel: 16, nLayers: 1, nHeads: 2, mlpRatio: 2 } as const;

describe('KL distillation of CP heads (trainMtp distill)', () => {
  const tokens = noisyCycle(4000, 1);
  // the base model: a next-token LM (n = 1, rank 1) trained first, as the heads regime assumes
  const teacherModel = new MtpLM({ ...base, n: 1, rank: 1 }, new Rng(0));
  trainMtp(teacherModel, {
    tokens,
    steps: 60,
    batchSize: 8,
    seqLen: 16,
    lr: 1e-2,
    warmupSteps: 5,
    rng: new Rng(3),
  });
  const teacher = (ids: Parameters<MtpLM['nextTokenLogProbs']>[0]) => teacherModel.nextTokenLogProbs(ids);
  const student = () => {
    const m = new MtpLM({ ...base, n: 3, rank: 2 }, new Rng(5));
    m.trunk.loadStateDict(teacherModel.trunk.stateDict());
    return m;
  };

  it('coef 0 trains exactly as without distillation', () => {
    const a = student();
    const b = student();
    const opts = { tokens, steps: 5, batchSize: 4, seqLen: 12, regime: 'heads' as const, rng: new Rng(7) };
    const ha = trainMtp(a, { ...opts, rng: new Rng(7) });
    const hb = trainMtp(b, { ...opts, rng: new Rng(7), distill: { teacher, coef: 0 } });
    expect(hb.map((h) => h.loss)).toEqual(ha.map((h) => h.loss));
  });

  it('a frozen-trunk student moves towards the teacher: the KL falls', () => {
    const m = student();
    const hist = trainMtp(m, {
      tokens,
      steps: 40,
      batchSize: 8,
      seqLen: 12,
      regime: 'heads',
      lr: 1e-2,
      warmupSteps: 4,
      distill: { teacher, coef: 0.5 },
      rng: new Rng(9),
    });
    const kl = hist.map((h) => h.distillKl!);
    expect(kl.every(Number.isFinite)).toBe(true);
    expect(kl.every((x) => x >= -1e-9)).toBe(true);
    const head = (kl[0]! + kl[1]! + kl[2]!) / 3;
    const tail = (kl.at(-1)! + kl.at(-2)! + kl.at(-3)!) / 3;
    expect(tail).toBeLessThan(0.7 * head);
  });

  it('the teacher marginal is a normalised distribution, and distillation options are checked', () => {
    const lp = noGrad(() =>
      teacherModel.nextTokenLogProbs(new Tensor(Float32Array.of(0, 1, 2), [1, 3], 'float32')),
    );
    const flat = lp.toFlat();
    for (let j = 0; j < 3; j++) {
      let z = 0;
      for (let x = 0; x < 6; x++) z += Math.exp(flat[j * 6 + x]!);
      expect(z).toBeCloseTo(1, 6); // a float32 model
    }
    const m = student();
    const windows = tokens.subarray(0, 2 * 15);
    expect(() => m.windowLoss(windows, 2, 12, { distill: { teacher, coef: 2 } })).toThrow(/distill.coef/);
    expect(() => m.windowLoss(windows, 2, 12, { distill: { teacher: 3 as never, coef: 0.5 } })).toThrow(
      /teacher/,
    );
    expect(() => m.windowLoss(windows, 2, 12, { distill: { teacher: (ids) => ids, coef: 0.5 } })).toThrow(
      /expected to return \[2, 14, 6\]/,
    );
  });
});
