import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@tenzo/core';
import { loadCorpusTokens } from '@tenzo/data/node';
import { MtpLM, trainMtp } from '@tenzo/mtp';
import { saveSafetensors } from '@tenzo/nn/node';
import { describe, expect, it } from 'vitest';
import { mtpModelsSuite } from './mtpModels.js';

describe('mtp-models suite (saved models: speculative vs autoregressive)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenzo-bench-mtpm-'));
  const text = join(dir, 'corpus.txt');
  writeFileSync(text, 'function add(a, b) { return a + b; }\n'.repeat(80));
  const corpus = loadCorpusTokens(text);
  const save = (name: string, tokenizer: unknown) => {
    const config = {
      vocabSize: corpus.vocabSize,
      maxSeqLen: 40,
      dModel: 16,
      nLayers: 1,
      nHeads: 2,
      n: 3,
      rank: 2,
    };
    const model = new MtpLM(config, new Rng(1));
    trainMtp(model, { tokens: corpus.train, steps: 20, batchSize: 4, seqLen: 16, rng: new Rng(2) });
    const path = join(dir, name, 'model.safetensors');
    saveSafetensors(path, model.stateDict(), {
      config: JSON.stringify(config),
      tokenizer: JSON.stringify(tokenizer),
    });
    return path;
  };

  it('times both decoders of each model in interleaved rounds; greedy speculative output is exact', async () => {
    const path = save('run-a', corpus.tokenizerJson);
    const rows = await mtpModelsSuite(
      { seed: 0, quick: true },
      { models: [path], corpus: text, prompts: 2, promptLen: 8, newTokens: 16, draftThresholds: [0, 0.5] },
    );
    expect(rows.map((r) => r.impl)).toEqual(['autoregressive', 'speculative', 'speculative τ=0.5']);
    for (const r of rows) {
      expect(r.case).toBe('run-a n=3 r=2 greedy');
      expect(r.samples).toBe(2);
      expect(r.roundsMs).toHaveLength(2);
      expect(r.medianMs).toBeGreaterThan(0);
    }
    expect(rows[0]!.note).toMatch(/^32 tokens, 2 prompts/);
    expect(rows[1]!.note).toMatch(/tok\/fwd \d\.\d\d, accept \d\.\d\d\/\d\.\d\d, exact 2\/2/);
    expect(rows[2]!.note).toMatch(/exact 2\/2/);
  });

  it('refuses no models, a model of another tokenizer, and prompts beyond the context', async () => {
    await expect(mtpModelsSuite({ seed: 0, quick: true }, { models: [], corpus: text })).rejects.toThrow(
      /--models expected at least one/,
    );
    await expect(
      mtpModelsSuite(
        { seed: 0, quick: true },
        { models: ['x'], corpus: text, draftThresholds: [0, Number.NaN] },
      ),
    ).rejects.toThrow(/--draft-thresholds expected numbers in \[0, 1\], got 0,NaN/);
    const other = save('run-b', { type: 'char', alphabet: 'xyz' });
    await expect(
      mtpModelsSuite({ seed: 0, quick: true }, { models: [other], corpus: text, prompts: 2, promptLen: 8 }),
    ).rejects.toThrow(/expected a model trained on --corpus .* \(the same tokenizer\)/);
    const ok = save('run-c', corpus.tokenizerJson);
    await expect(
      mtpModelsSuite(
        { seed: 0, quick: true },
        { models: [ok], corpus: text, prompts: 2, promptLen: 8, newTokens: 40 },
      ),
    ).rejects.toThrow(/expected to fit the model's context 40, got 48/);
  });
});
