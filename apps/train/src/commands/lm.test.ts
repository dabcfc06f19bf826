import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { loadSafetensors } from '@tenzo/nn/node';
import { describe, expect, it, vi } from 'vitest';
import { lmCommand, runLm } from './lm.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'lm', lmCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

const tiny = [
  '--d-model',
  '16',
  '--layers',
  '1',
  '--heads',
  '2',
  '--seq-len',
  '16',
  '--batch-size',
  '4',
  '--max-seq-len',
  '48',
];

describe('tenzo-train lm', () => {
  it('trains from scratch, writes report/plot/model, then trains heads only on the saved trunk', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-lm-'));
    const a = await runLm(
      flags([
        ...tiny,
        '--steps',
        '30',
        '--mtp',
        '3',
        '--rank',
        '2',
        '--sample',
        '8',
        '--out',
        dir,
        '--json',
        join(dir, 'r.json'),
        '--seed',
        '1',
      ]),
    );
    for (const f of ['report.json', 'learning-curve.svg', 'model.safetensors', 'r.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.history).toHaveLength(30);
    expect(report.history[29].joint).toBeLessThan(report.history[0].joint);
    expect(a.final.usage).toHaveLength(2);
    expect(a.final.tokensPerForward).toBeGreaterThanOrEqual(1);
    expect(a.sample!.length).toBeGreaterThan(8);
    const saved = loadSafetensors(join(dir, 'model.safetensors'));
    expect(JSON.parse(saved.metadata.config!).rank).toBe(2);
    const dir2 = mkdtempSync(join(tmpdir(), 'tenzo-lm-heads-'));
    const b = await runLm(
      flags([
        ...tiny,
        '--steps',
        '3',
        '--mtp',
        '2',
        '--rank',
        '4',
        '--regime',
        'heads',
        '--init',
        join(dir, 'model.safetensors'),
        '--sample',
        '0',
        '--out',
        dir2,
      ]),
    );
    expect(b.final.usage).toHaveLength(4);
    await expect(runLm(flags([...tiny, '--regime', 'heads', '--out', dir2]))).rejects.toThrowError(
      '--regime heads: expected --init <model.safetensors> with a trained trunk, got none',
    );
    // --distill: heads pulled towards the --init model's own next-token distributions; β = 0 is
    // the plain run bit for bit, β = 0.5 trains other heads
    const heads = (extra: string[]) =>
      runLm(
        flags([
          ...tiny,
          ...['--steps', '5', '--mtp', '3', '--rank', '2', '--regime', 'heads', '--sample', '0'],
          ...['--init', join(dir, 'model.safetensors'), '--out', mkdtempSync(join(tmpdir(), 'tenzo-lm-d-'))],
          ...extra,
        ]),
      );
    const plain = await heads([]);
    const beta0 = await heads(['--distill', '0']);
    const beta = await heads(['--distill', '0.5']);
    expect(beta0.final).toEqual(plain.final);
    expect(beta.final.valJoint).not.toBe(plain.final.valJoint);
    expect(Number.isFinite(beta.final.valJoint)).toBe(true);
    await expect(runLm(flags([...tiny, '--distill', '0.5', '--out', dir2]))).rejects.toThrowError(
      '--distill: expected --regime heads with --init (the teacher is the --init model), got --regime scratch',
    );
    expect(() => flags([...tiny, '--distill', '2'])).toThrowError(/--distill/);
    log.mockRestore();
    err.mockRestore();
  });

  it('--corpus takes a folder of text files and a nanoGPT .bin token file; a missing path is refused in one line', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-lm-corpus-'));
    const books = join(dir, 'books');
    mkdirSync(join(books, 'sub'), { recursive: true });
    for (let k = 0; k < 10; k++)
      writeFileSync(
        join(books, k < 5 ? '' : 'sub', `${k}.txt`),
        `${'the cat sat on the mat. '.repeat(8)}${k}\n`,
      );
    const short = [
      ...tiny,
      '--steps',
      '4',
      '--mtp',
      '2',
      '--sample',
      '8',
      '--eval-batches',
      '1',
      '--seed',
      '1',
    ];
    const run = async (corpus: string, out: string, more: string[] = []) => {
      await runLm(flags([...short, '--corpus', corpus, '--out', join(dir, out), ...more]));
      const report = JSON.parse(readFileSync(join(dir, out, 'report.json'), 'utf8'));
      const saved = loadSafetensors(join(dir, out, 'model.safetensors'));
      return { report, tokenizer: JSON.parse(saved.metadata.tokenizer!) };
    };
    const text = await run(books, 'text');
    // one document per file, the path as given for the label, char tokens fitted on the training files
    expect(text.report.corpus).toMatchObject({ name: books, documents: 10 });
    expect(text.tokenizer.type).toBe('char');
    expect(text.report.model.vocabSize).toBe(text.tokenizer.chars.length + 1); // id 0: unknown
    expect(text.report.corpus.validationTokens).toBeGreaterThan(150);
    // a different corpus at the same path is refused on --resume
    writeFileSync(join(books, '0.txt'), 'another text altogether, not the one trained on\n'.repeat(4));
    await expect(run(books, 'text', ['--resume'])).rejects.toThrowError(
      /the checkpoint was made with other settings/,
    );
    // nanoGPT's prepare.py: np.array(ids, dtype=np.uint16).tofile('train.bin'), little-endian, no header
    const ids = Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? 1000 : (i * 3) % 40));
    const bin = Buffer.alloc(2 * ids.length);
    for (const [i, t] of ids.entries()) bin.writeUInt16LE(t, 2 * i);
    writeFileSync(join(dir, 'tokens.bin'), bin);
    const tokens = await run(join(dir, 'tokens.bin'), 'tokens');
    expect(tokens.report.corpus).toMatchObject({ trainTokens: 540, validationTokens: 60, documents: 1 });
    expect(tokens.report.model.vocabSize).toBe(1001);
    expect(tokens.tokenizer).toEqual({ type: 'ids', vocabSize: 1001 });
    expect(tokens.report.sample).toMatch(/^(<\d+>)+$/);
    await expect(run(join(dir, 'tokens.bin'), 'bpe', ['--tokenizer', 'bpe'])).rejects.toThrowError(
      `--tokenizer: --corpus '${join(dir, 'tokens.bin')}' holds token ids already; expected none or 'gpt2:<dir>' to decode them, got 'bpe'`,
    );
    const missing = join(dir, 'nope.txt');
    const refused = runLm(flags([...short, '--corpus', missing, '--out', join(dir, 'nope')]));
    await expect(refused).rejects.toThrowError(
      new RegExp(
        `^--corpus: expected 'text', 'code', a text file, a folder or glob of text files, or a \\.bin token file, got '${missing}', which does not exist$`,
      ),
    );
    log.mockRestore();
    err.mockRestore();
  });
});
