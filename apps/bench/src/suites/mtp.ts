import { Rng } from '@tenzo/core';
import { CharTokenizer, type TextCorpus } from '@tenzo/data';
import { loadBrownCorpus, loadTypeScriptLibCorpus } from '@tenzo/data/node';
import {
  type BalanceForm,
  evaluateMtp,
  type GenerateResult,
  generate,
  MtpLM,
  type SpeculativeResult,
  speculativeGenerate,
  trainMtp,
  usageEntropy,
} from '@tenzo/mtp';
import type { BenchRow, SuiteContext } from '../harness.js';

/** Figures of one (corpus, n, r, decoding mode, implementation) row, kept in the JSON report. */
export interface MtpMetrics {
  corpus: string;
  n: number;
  rank: number;
  mode: 'greedy' | 'sampling';
  /** validation losses (nats): the n-token block and the next token */
  joint: number;
  firstToken: number;
  /** entropy (nats) of the mean gate weights; log r when every expert is used equally */
  usageEntropy: number;
  tokensPerForward: number;
  /** per draft depth 2..n: accepted / verified */
  acceptance: number[];
  acceptedDraftTokens: number;
  /** greedy: prompts whose speculative output equals autoregressive output token for token */
  exactMatches?: number;
  prompts: number;
}

export interface MtpRow extends BenchRow {
  metrics: MtpMetrics;
}

interface Settings {
  model: { dModel: number; nLayers: number; nHeads: number; maxSeqLen: number };
  trunkSteps: number;
  headSteps: number;
  batchSize: number;
  seqLen: number;
  ns: number[];
  ranks: number[];
  prompts: number;
  promptLen: number;
  newTokens: number;
}

/** quick: the smoke test; full: the whole (n, r) grid; default: its corners n 2/4, r 1/4 */
function settings(ctx: SuiteContext): Settings {
  if (!ctx.quick && !ctx.full) return { ...settings({ ...ctx, full: true }), ns: [2, 4], ranks: [1, 4] };
  return ctx.quick
    ? {
        model: { dModel: 32, nLayers: 1, nHeads: 2, maxSeqLen: 48 },
        trunkSteps: 10,
        headSteps: 3,
        batchSize: 4,
        seqLen: 16,
        ns: [2],
        ranks: [1, 2],
        prompts: 2,
        promptLen: 8,
        newTokens: 16,
      }
    : {
        model: { dModel: 128, nLayers: 2, nHeads: 4, maxSeqLen: 128 },
        trunkSteps: 600,
        headSteps: 100,
        batchSize: 16,
        seqLen: 64,
        ns: [2, 3, 4],
        ranks: [1, 2, 4, 8],
        prompts: 8,
        promptLen: 32,
        newTokens: 96,
      };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * CP multi-token prediction and self-speculative decoding (Basharin et al. 2024) on a character-level
 * GPT trained here with a fixed seed: per corpus, a trunk is trained from scratch with 4 independent
 * heads (n = 4, r = 1, the Gloeckle et al. recipe), then for every (n, r) fresh CP heads are trained
 * on the frozen trunk (the paper's head-only regime) and decoded from validation prompts. Rows give
 * ms per generated token of plain autoregressive decoding of the model's marginal and of
 * self-speculative decoding of the same model (ratio < 1: speculative is faster), greedy and
 * sampling (T = 1); metrics carry tokens per forward, acceptance per draft depth and losses.
 */
export async function mtpSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const s = settings(ctx);
  const rows: MtpRow[] = [];
  const corpora: [string, () => TextCorpus][] = [
    ['code', () => loadTypeScriptLibCorpus()],
    ['text', () => loadBrownCorpus()],
  ];
  for (const [name, load] of corpora) {
    const corpus = load();
    const tok = CharTokenizer.fromText(corpus.train);
    const train = tok.encode(corpus.train);
    const val = tok.encode(corpus.validation);
    const base = { vocabSize: tok.vocabSize, ...s.model, position: 'learned' as const };
    const trunkModel = new MtpLM({ ...base, n: 4, rank: 1 }, new Rng(ctx.seed));
    trainMtp(trunkModel, {
      tokens: train,
      steps: s.trunkSteps,
      batchSize: s.batchSize,
      seqLen: s.seqLen,
      lr: 5e-3,
      warmupSteps: Math.min(30, s.trunkSteps),
      rng: new Rng(ctx.seed + 1),
    });
    const trunkState = trunkModel.trunk.stateDict();
    const stride = Math.floor((val.length - s.promptLen) / s.prompts);
    const prompts = Array.from({ length: s.prompts }, (_, i) =>
      Array.from(val.subarray(i * stride, i * stride + s.promptLen)),
    );
    const headsModel = (n: number, rank: number, balance: BalanceForm) => {
      const m = new MtpLM({ ...base, n, rank }, new Rng(ctx.seed + 2));
      m.trunk.loadStateDict(trunkState);
      trainMtp(m, {
        tokens: train,
        steps: s.headSteps,
        batchSize: s.batchSize,
        seqLen: s.seqLen,
        regime: 'heads',
        lr: 3e-3,
        warmupSteps: Math.min(10, s.headSteps),
        balance,
        rng: new Rng(ctx.seed + 3),
      });
      return m;
    };
    for (const n of s.ns) {
      for (const rank of s.ranks) {
        const model = headsModel(n, rank, 'switch');
        const ev = evaluateMtp(model, val, {
          batches: 4,
          batchSize: s.batchSize,
          seqLen: s.seqLen,
          rng: new Rng(ctx.seed + 4),
        });
        for (const mode of ['greedy', 'sampling'] as const) {
          const ar: GenerateResult[] = [];
          const sp: SpeculativeResult[] = [];
          let arMs = 0;
          let spMs = 0;
          prompts.forEach((p, i) => {
            const opts = { maxNewTokens: s.newTokens, ...(mode === 'sampling' ? { temperature: 1 } : {}) };
            // the same seed for both decoders of a prompt; interleaved so machine load hits both alike
            let t0 = performance.now();
            ar.push(generate(model, p, { ...opts, rng: new Rng(ctx.seed + 100 + i) }));
            arMs += performance.now() - t0;
            t0 = performance.now();
            sp.push(speculativeGenerate(model, p, { ...opts, rng: new Rng(ctx.seed + 100 + i) }));
            spMs += performance.now() - t0;
          });
          const tokens = sum(sp.map((r) => r.tokens.length));
          const attempts = Array.from({ length: n - 1 }, (_, d) => sum(sp.map((r) => r.depthAttempts[d]!)));
          const accepts = Array.from({ length: n - 1 }, (_, d) => sum(sp.map((r) => r.depthAccepts[d]!)));
          const metrics: MtpMetrics = {
            corpus: name,
            n,
            rank,
            mode,
            joint: ev.joint,
            firstToken: ev.firstToken,
            usageEntropy: usageEntropy(ev.usage),
            tokensPerForward: tokens / sum(sp.map((r) => r.forwards)),
            acceptance: accepts.map((a, d) => (attempts[d]! > 0 ? a / attempts[d]! : 0)),
            acceptedDraftTokens: sum(sp.map((r) => r.acceptedDraftTokens)),
            prompts: prompts.length,
            ...(mode === 'greedy'
              ? { exactMatches: sp.filter((r, i) => r.tokens.join() === ar[i]!.tokens.join()).length }
              : {}),
          };
          const label = `${name} n=${n} r=${rank} ${mode}`;
          const note =
            `tok/fwd ${metrics.tokensPerForward.toFixed(2)}, accept ${metrics.acceptance.map((a) => a.toFixed(2)).join('/')}, ` +
            `joint ${ev.joint.toFixed(3)}, first ${ev.firstToken.toFixed(3)}, H(usage) ${metrics.usageEntropy.toFixed(2)}` +
            (metrics.exactMatches !== undefined ? `, exact ${metrics.exactMatches}/${prompts.length}` : '');
          const arTokens = sum(ar.map((r) => r.tokens.length));
          const arRow: MtpRow = {
            suite: 'mtp',
            case: label,
            impl: 'autoregressive',
            medianMs: arMs / arTokens,
            minMs: arMs / arTokens,
            samples: prompts.length,
            note: `${arTokens} tokens`,
            metrics: { ...metrics, tokensPerForward: 1, acceptance: [], acceptedDraftTokens: 0 },
          };
          const spRow: MtpRow = {
            suite: 'mtp',
            case: label,
            impl: 'speculative',
            medianMs: spMs / tokens,
            minMs: spMs / tokens,
            samples: prompts.length,
            note,
            metrics,
          };
          for (const r of [arRow, spRow]) {
            rows.push(r);
            ctx.onRow?.(r);
          }
        }
      }
    }
    // load balancing on/off at the largest n and rank: usage entropy of the gate (log r = uniform)
    const n = Math.max(...s.ns);
    const rank = Math.max(...s.ranks);
    for (const balance of ['switch', 'none'] as const) {
      const t0 = performance.now();
      const model = headsModel(n, rank, balance);
      const ms = (performance.now() - t0) / s.headSteps;
      const ev = evaluateMtp(model, val, {
        batches: 4,
        batchSize: s.batchSize,
        seqLen: s.seqLen,
        rng: new Rng(ctx.seed + 4),
      });
      const row: MtpRow = {
        suite: 'mtp',
        case: `${name} n=${n} r=${rank} heads training step`,
        impl: balance === 'switch' ? 'switch-balanced' : 'unbalanced',
        medianMs: ms,
        minMs: ms,
        samples: s.headSteps,
        note: `H(usage) ${usageEntropy(ev.usage).toFixed(3)} of ${Math.log(rank).toFixed(3)}, H(routed) ${usageEntropy(ev.routed).toFixed(3)}, joint ${ev.joint.toFixed(3)}`,
        metrics: {
          corpus: name,
          n,
          rank,
          mode: 'greedy',
          joint: ev.joint,
          firstToken: ev.firstToken,
          usageEntropy: usageEntropy(ev.usage),
          tokensPerForward: 0, // a training row: no decoding
          acceptance: [],
          acceptedDraftTokens: 0,
          prompts: 0,
        },
      };
      rows.push(row);
      ctx.onRow?.(row);
    }
  }
  return rows;
}
