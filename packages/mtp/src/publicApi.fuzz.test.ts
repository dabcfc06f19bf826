import { Rng } from '@tenzo/core';
import {
  anyNumber,
  anyNumbers,
  anySize,
  apiCase,
  describePublicApi,
  isFiniteArray,
  isInt,
  isNum,
  junk,
} from '@tenzo/core/testing';
import { Tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import * as mtp from './index.js';

const V = 5;
const config = { vocabSize: V, maxSeqLen: 8, dModel: 4, nLayers: 1, nHeads: 1, mlpRatio: 1, n: 2, rank: 2 };
const model = new mtp.MtpLM(config, new Rng(1));
const heads = model.heads;
const state = (rows: number) => new Tensor(new Float32Array(rows * 4).fill(0.1), [rows, 4], 'float32');
const block = mtp.cpBlocks(heads, state(1), 2)[0]!;

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);
const isProbs = (p: unknown) =>
  isFiniteArray(p) && Array.from(p).every((x) => x >= 0) && Math.abs(sum(p) - 1) < 1e-6;
const logits = fc.oneof(
  anyNumbers,
  fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(Number.NEGATIVE_INFINITY)), {
    minLength: 1,
    maxLength: 5,
  }),
);
const isLogits = (x: unknown) =>
  (Array.isArray(x) || ArrayBuffer.isView(x)) &&
  (x as ArrayLike<unknown>).length > 0 &&
  Array.from(x as ArrayLike<unknown>).every(
    (v) => typeof v === 'number' && !Number.isNaN(v) && v !== Number.POSITIVE_INFINITY,
  );
const probs = fc.oneof(
  anyNumbers,
  fc.constantFrom([1], [0.5, 0.5], [0, 0], [-0.5, 1.5], [0.3, 0.3], [0.25, 0.25, 0.5]),
);
const tokens = fc.oneof(
  anyNumbers,
  fc.array(fc.integer({ min: -1, max: V }), { minLength: 0, maxLength: 6 }),
);
const isTokens = (x: unknown, len?: number): x is ArrayLike<number> =>
  isFiniteArray(x, len) && Array.from(x).every((t) => isInt(t, 0, V - 1));
const samplingOpts = fc.oneof(
  junk,
  fc.record({ temperature: anyNumber, topK: anySize }, { requiredKeys: [] }),
);
const okOpts = (o: unknown) => {
  if (typeof o !== 'object' || o === null) return false;
  const { temperature: t, topK: k } = o as { temperature?: unknown; topK?: unknown };
  return (t == null || isNum(t, Number.MIN_VALUE)) && (k == null || isInt(k));
};
const anyTensor = fc.oneof(
  junk,
  fc.constantFrom(state(1), state(2), new Tensor(new Float32Array(4), [4], 'float32')),
);

describePublicApi(
  '@tenzo/mtp',
  [
    apiCase({
      name: 'argmax',
      args: fc.tuple(logits),
      call: (x) => mtp.argmax(x as number[]),
      valid: isLogits,
    }),
    apiCase({
      name: 'samplingDistribution',
      args: fc.tuple(logits, samplingOpts),
      call: (x, o) => mtp.samplingDistribution(x as number[], o as mtp.SamplingOptions),
      valid: (x, o) =>
        isLogits(x) && okOpts(o) && Array.from(x as number[]).some((v) => v > Number.NEGATIVE_INFINITY),
      ok: (r) => isProbs(r),
    }),
    apiCase({
      name: 'sampleFrom',
      args: fc.tuple(probs, fc.oneof(junk, fc.constant(new Rng(2)))),
      call: (p, r) => mtp.sampleFrom(p as number[], r as Rng),
      valid: (p, r) => isProbs(p) && r instanceof Rng,
    }),
    apiCase({
      name: 'chiSquareGoodnessOfFit',
      args: fc.tuple(
        fc.oneof(anyNumbers, fc.constantFrom([10, 12], [3, 5, 7])),
        probs,
        fc.oneof(fc.constant(5), anyNumber),
      ),
      call: (o, p, m) => mtp.chiSquareGoodnessOfFit(o as number[], p as number[], m as number),
      valid: (o, p, m) =>
        isFiniteArray(o) &&
        Array.from(o).every((x) => x >= 0) &&
        sum(o) > 0 &&
        isProbs(p) &&
        (p as number[]).length === o.length &&
        isNum(m, 0),
    }),
    apiCase({
      name: 'gammaQ',
      args: fc.tuple(anyNumber, anyNumber),
      call: (a, x) => mtp.gammaQ(a as number, x as number),
      valid: (a, x) => isNum(a) && a > 0 && isNum(x, 0),
      ok: (r) => isNum(r, 0, 1),
    }),
    apiCase({
      name: 'decodingHeads',
      args: fc.tuple(fc.oneof(junk, fc.constant(heads))),
      call: (h) => mtp.decodingHeads(h as mtp.CPHeads),
      valid: (h) => h === heads,
    }),
    apiCase({
      name: 'usageEntropy',
      args: fc.tuple(anyNumbers),
      call: (p) => mtp.usageEntropy(p as number[]),
      valid: (p) => isFiniteArray(p) && Array.from(p).every((x) => x >= 0) && sum(p) > 0,
    }),
    apiCase({
      name: 'loadBalancingLoss',
      args: fc.tuple(
        fc.oneof(anyTensor, fc.constant(new Tensor(Float32Array.of(0.5, 0.5), [1, 2], 'float32'))),
        fc.oneof(junk, fc.constantFrom('switch', 'entropy', 'none')),
      ),
      call: (w, f) => mtp.loadBalancingLoss(w as Tensor, f as mtp.BalanceForm),
      valid: (w, f) =>
        w instanceof Tensor && w.ndim === 2 && ['switch', 'entropy', 'none'].includes(f as string),
    }),
    ...[mtp.windowTargets, mtp.windowInputs].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(tokens, anySize, anySize, anySize),
        call: (w, b, t, n) => f(w as number[], b as number, t as number, n as number),
        valid: (w, b, t, n) =>
          isInt(b, 1) &&
          isInt(t, 1) &&
          isInt(n, 1) &&
          isFiniteArray(w, b * (t + n)) &&
          Array.from(w).every((x) => isInt(x)),
      }),
    ),
    apiCase({
      name: 'cpLoss',
      args: fc.tuple(anyTensor, tokens, fc.oneof(fc.constant({}), fc.record({ balanceCoef: anyNumber }))),
      call: (e, t, o) => mtp.cpLoss(heads, e as Tensor, t as number[], o as mtp.CPLossOptions),
      valid: (e, t, o) =>
        e instanceof Tensor &&
        e.ndim === 2 &&
        isTokens(t, e.shape[0]! * 2) &&
        (!('balanceCoef' in o) || isNum(o.balanceCoef, 0)),
      ok: (r) => Number.isFinite((r as mtp.CPLossResult).loss.item()),
    }),
    apiCase({
      name: 'cpDistillLoss',
      args: fc.tuple(anyTensor, tokens, fc.oneof(junk, anyNumbers, fc.constant('uniform'))),
      call: (e, t, p) => {
        const rows = e instanceof Tensor ? (e.shape[0] ?? 0) : 0;
        const teacher = p === 'uniform' ? new Float64Array(rows * 2 * V).fill(-Math.log(V)) : p;
        return mtp.cpDistillLoss(heads, e as Tensor, t as number[], teacher as number[]);
      },
      valid: (e, t, p) =>
        e instanceof Tensor && e.ndim === 2 && isTokens(t, e.shape[0]! * 2) && p === 'uniform',
      ok: (r) => {
        const { crossEntropy, kl } = r as mtp.CPDistillResult;
        return Number.isFinite(crossEntropy.item()) && kl >= -1e-9;
      },
    }),
    apiCase({
      name: 'cpBlocks',
      args: fc.tuple(anyTensor, anySize),
      call: (e, d) => mtp.cpBlocks(heads, e as Tensor, d as number),
      valid: (e, d) => e instanceof Tensor && e.ndim === 2 && isInt(d, 1, 2),
    }),
    apiCase({
      name: 'extendBlock',
      args: fc.tuple(fc.oneof(junk, fc.constant(block)), anySize),
      call: (b, d) => mtp.extendBlock(heads, state(1), b as mtp.CPBlock, d as number),
      valid: (b, d) => b === block && isInt(d, 1, 2),
      ok: () => true,
    }),
    apiCase({
      name: 'conditionalLogProbs',
      args: fc.tuple(fc.oneof(junk, fc.constant(block)), anySize, tokens),
      call: (b, s, p) => mtp.conditionalLogProbs(b as mtp.CPBlock, s as number, p as number[]),
      valid: (b, s, p) =>
        b === block &&
        isInt(s, 0, 1) &&
        isFiniteArray([...Array.from((p as number[]) ?? []), 0]) &&
        Array.isArray(p) &&
        Array.from(p)
          .slice(0, s)
          .every((x) => isInt(x, 0, V - 1)) &&
        (p as number[]).length >= s,
    }),
    ...[mtp.generate, mtp.speculativeGenerate].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(
          tokens,
          fc.oneof(
            junk,
            fc.record(
              { maxNewTokens: anySize, temperature: anyNumber, rng: fc.oneof(junk, fc.constant(new Rng(3))) },
              { requiredKeys: ['maxNewTokens'] },
            ),
          ),
        ),
        call: (p, o) => f(model, p as number[], o as mtp.GenerateOptions),
        valid: (p, o) => {
          if (!isTokens(p) || typeof o !== 'object' || o === null) return false;
          const {
            maxNewTokens: m,
            temperature: t,
            rng,
          } = o as { maxNewTokens: unknown; temperature?: unknown; rng?: unknown };
          return (
            isInt(m, 1, 8 - p.length) &&
            (t === undefined || isNum(t, 0)) &&
            (!(typeof t === 'number' && t > 0) || rng instanceof Rng)
          );
        },
        runs: 40,
      }),
    ),
    apiCase({
      name: 'CPHeads',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            {
              dModel: anySize,
              vocabSize: anySize,
              n: anySize,
              rank: anySize,
              map: fc.oneof(junk, fc.constantFrom('linear', 'ffn')),
            },
            { requiredKeys: ['dModel', 'vocabSize', 'n', 'rank'] },
          ),
        ),
        fc.oneof(junk, fc.constant(new Rng(4))),
      ),
      call: (c, r) => new mtp.CPHeads(c as mtp.CPHeadsConfig, r as Rng),
      valid: (c, r) =>
        typeof c === 'object' &&
        c !== null &&
        ['dModel', 'vocabSize', 'n', 'rank'].every((k) => isInt((c as Record<string, unknown>)[k], 1)) &&
        (!('map' in c) || ['linear', 'ffn'].includes((c as { map: string }).map)) &&
        r instanceof Rng,
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'MtpLM',
      args: fc.tuple(
        fc.oneof(junk, fc.record({ n: anySize, rank: anySize, dModel: fc.constantFrom(4, 0, Number.NaN) })),
      ),
      call: (c) => new mtp.MtpLM({ ...config, ...(c as object) } as mtp.MtpLMConfig, new Rng(5)),
      valid: (c) => {
        const m = { ...config, ...(c as object) };
        return isInt(m.n, 1) && isInt(m.rank, 1) && m.dModel === 4;
      },
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'trainMtp',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            tokens: tokens,
            steps: anySize,
            batchSize: anySize,
            seqLen: anySize,
            lr: anyNumber,
            rng: fc.oneof(junk, fc.constant(new Rng(6))),
          }),
        ),
      ),
      call: (o) => mtp.trainMtp(model, o as mtp.TrainMtpOptions),
      valid: (o) => {
        if (typeof o !== 'object' || o === null) return false;
        const x = o as Record<string, unknown>;
        return (
          isTokens(x.tokens) &&
          isInt(x.steps, 1) &&
          isInt(x.batchSize, 1) &&
          isInt(x.seqLen, 1, 8) &&
          isNum(x.lr, Number.MIN_VALUE) &&
          x.rng instanceof Rng &&
          (x.tokens as number[]).length >= (x.seqLen as number) + 2
        );
      },
      runs: 40,
    }),
    apiCase({
      name: 'evaluateMtp',
      args: fc.tuple(
        tokens,
        fc.oneof(
          junk,
          fc.record({
            batches: anySize,
            batchSize: anySize,
            seqLen: anySize,
            rng: fc.oneof(junk, fc.constant(new Rng(7))),
          }),
        ),
      ),
      call: (t, o) =>
        mtp.evaluateMtp(
          model,
          t as number[],
          o as { batches: number; batchSize: number; seqLen: number; rng: Rng },
        ),
      valid: (t, o) => {
        if (typeof o !== 'object' || o === null) return false;
        const x = o as Record<string, unknown>;
        return (
          isTokens(t) &&
          isInt(x.batches, 1) &&
          isInt(x.batchSize, 1) &&
          isInt(x.seqLen, 1, 8) &&
          x.rng instanceof Rng &&
          t.length >= (x.seqLen as number) + 2
        );
      },
      runs: 40,
    }),
    apiCase({
      name: 'mtpOptimizer',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            { steps: anySize, lr: anyNumber, regime: fc.oneof(junk, fc.constantFrom('scratch', 'heads')) },
            { requiredKeys: ['steps'] },
          ),
        ),
      ),
      call: (o) => mtp.mtpOptimizer(model, o as Parameters<typeof mtp.mtpOptimizer>[1]),
      valid: (o) =>
        typeof o === 'object' &&
        o !== null &&
        isInt((o as { steps: unknown }).steps, 1) &&
        (!('lr' in o) || isNum(o.lr, Number.MIN_VALUE)) &&
        ((o as { regime?: string }).regime === undefined ||
          ['scratch', 'heads'].includes((o as { regime: string }).regime)),
      ok: () => true,
    }),
  ],
  { runs: 60 },
);
