import { ArgumentError } from '@tenzo/core';
import { loadCorpusTokens } from '@tenzo/data/node';
import { generate, mtpFromSafetensors, speculativeGenerate } from '@tenzo/mtp';
import { loadSafetensors } from '@tenzo/nn/node';
import { type BenchRow, interleavedRows, measureInterleaved, type SuiteContext } from '../harness.js';

/** What `tenzo-bench mtp-models` decodes: saved models, the corpus of their prompts, the prompt shape. */
export interface MtpModelsOptions {
  /** model.safetensors files written by `tenzo-train lm` (trunk + CP heads, config in the metadata) */
  models: readonly string[];
  /** the corpus the models were trained on, as `tenzo-train lm --corpus` names it (prompts: its validation split) */
  corpus: string;
  /** prompts (default 8), evenly spaced over the validation split */
  prompts?: number;
  /** prompt length in tokens (default 32) */
  promptLen?: number;
  /** new tokens per prompt (default 96) */
  newTokens?: number;
  /**
   * speculative decoders to time, by `draftThreshold` (default [0]: drafts of all n tokens); each
   * other value adds a row 'speculative τ=<value>'
   */
  draftThresholds?: readonly number[];
}

/**
 * Greedy self-speculative decoding of saved CP multi-token models (with each draft threshold asked
 * for) against greedy autoregressive
 * decoding of the same model's marginal, on prompts from the corpus's validation split. Each round
 * decodes every prompt with both decoders (interleaved, alternating which goes first), so load
 * hits both alike; rows give ms per generated token with the spread over rounds, and the ratio to
 * 'autoregressive' is the speedup's inverse. Notes carry tokens per forward, the acceptance per
 * draft depth and how many prompts gave exactly the autoregressive output.
 */
export async function mtpModelsSuite(ctx: SuiteContext, opts: MtpModelsOptions): Promise<BenchRow[]> {
  const { prompts: count = 8, promptLen = 32, newTokens = 96 } = opts;
  const thresholds = opts.draftThresholds ?? [0];
  if (thresholds.length === 0 || thresholds.some((t) => !(t >= 0 && t <= 1)))
    throw new ArgumentError(
      `mtp-models: --draft-thresholds expected numbers in [0, 1], got ${thresholds.length === 0 ? 'none' : thresholds.join(',')}`,
    );
  if (opts.models.length === 0)
    throw new ArgumentError('mtp-models: --models expected at least one model.safetensors, got none');
  const corpus = loadCorpusTokens(opts.corpus, { flag: '--corpus' });
  const val = corpus.validation;
  if (val.length < promptLen * count)
    throw new ArgumentError(
      `mtp-models: --corpus expected a validation split of at least ${promptLen * count} tokens for ${count} prompts, got ${val.length}`,
    );
  const stride = Math.floor((val.length - promptLen) / count);
  const prompts = Array.from({ length: count }, (_, i) =>
    Array.from(val.subarray(i * stride, i * stride + promptLen)),
  );
  const rows: BenchRow[] = [];
  for (const path of opts.models) {
    const file = loadSafetensors(path);
    // the prompts must mean to the model what they meant in training
    const tokenizer = file.metadata.tokenizer;
    if (tokenizer !== undefined && tokenizer !== JSON.stringify(corpus.tokenizerJson))
      throw new ArgumentError(
        `mtp-models: --models '${path}' expected a model trained on --corpus ${opts.corpus} (the same tokenizer), got another tokenizer`,
      );
    const model = mtpFromSafetensors(file, path);
    if (promptLen + newTokens > model.config.maxSeqLen)
      throw new ArgumentError(
        `mtp-models: prompt ${promptLen} + new tokens ${newTokens} expected to fit the model's context ${model.config.maxSeqLen}, got ${promptLen + newTokens}`,
      );
    const decode = { maxNewTokens: newTokens };
    const ar = () => prompts.map((p) => generate(model, p, decode));
    const arOut = ar();
    const tokens = arOut.reduce((s, r) => s + r.tokens.length, 0);
    // one speculative decoder per draft threshold, each checked and described once before timing
    const speculative = thresholds.map((draftThreshold) => {
      const run = () => prompts.map((p) => speculativeGenerate(model, p, { ...decode, draftThreshold }));
      const out = run();
      const exact = out.filter((r, i) => r.tokens.join() === arOut[i]!.tokens.join()).length;
      const forwards = out.reduce((s, r) => s + r.forwards, 0);
      const depth = (k: number, key: 'depthAccepts' | 'depthAttempts') =>
        out.reduce((s, r) => s + r[key][k]!, 0);
      const acceptance = Array.from({ length: model.config.n - 1 }, (_, k) => {
        const tried = depth(k, 'depthAttempts');
        return tried > 0 ? depth(k, 'depthAccepts') / tried : 0;
      });
      const name = draftThreshold === 0 ? 'speculative' : `speculative τ=${draftThreshold}`;
      const note =
        `tok/fwd ${(tokens / forwards).toFixed(2)}, accept ${acceptance.map((a) => a.toFixed(2)).join('/')}, ` +
        `exact ${exact}/${count}`;
      return { name, run, note };
    });
    const result = await measureInterleaved(
      [{ name: 'autoregressive', run: ar }, ...speculative.map(({ name, run }) => ({ name, run }))],
      {
        warmup: 1,
        minRounds: ctx.quick ? 2 : 5,
        minTimeMs: 0,
        baseline: 'autoregressive',
        onRound: (k) => ctx.onStatus?.(`${path}: round ${k}`),
      },
    );
    const label = `${labelOf(path)} n=${model.config.n} r=${model.config.rank} greedy`;
    const perToken = (r: BenchRow): BenchRow => {
      const s = (x: number | undefined) => (x === undefined ? undefined : x / tokens);
      return {
        ...r,
        medianMs: r.medianMs / tokens,
        minMs: r.minMs / tokens,
        ...(r.maxMs === undefined ? {} : { maxMs: s(r.maxMs)! }),
        ...(r.p25Ms === undefined ? {} : { p25Ms: s(r.p25Ms)! }),
        ...(r.p75Ms === undefined ? {} : { p75Ms: s(r.p75Ms)! }),
        ...(r.roundsMs === undefined ? {} : { roundsMs: r.roundsMs.map((x) => x / tokens) }),
      };
    };
    const notes: Record<string, string> = {
      autoregressive: `${tokens} tokens, ${count} prompts, ${model.parameterCount().toLocaleString('en')} parameters`,
      ...Object.fromEntries(speculative.map(({ name, note }) => [name, note])),
    };
    for (const r of interleavedRows(result, { suite: 'mtp-models', case: label }, notes)) {
      const row = perToken(r);
      rows.push(row);
      ctx.onRow?.(row);
    }
  }
  return rows;
}

/** the run folder's name for …/<run>/model.safetensors, else the file's name */
function labelOf(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  const last = parts.at(-1) ?? path;
  return last === 'model.safetensors' && parts.length > 1 ? parts.at(-2)! : last;
}
