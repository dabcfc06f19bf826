import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { Rng } from '@tenzo/core';
import { PhysicalLayer } from '@tenzo/hybrid';
import { describe, expect, it, vi } from 'vitest';
import { deviceLayersOf, lmHybridCommand, parseVariants, runLmHybrid, trainVariant } from './lmHybrid.js';

// a variant checkpoints under --out: keep the test's runs out of the repository
const scratch = mkdtempSync(join(tmpdir(), 'tenzo-lmh-'));

function flags(argv: string[]) {
  const out = argv.includes('--out') ? [] : ['--out', scratch];
  const r = parseCommand([...out, ...argv], { name: 'tenzo-train' }, 'lm-hybrid', lmHybridCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

const tiny = [
  '--d-model',
  '16',
  '--layers',
  '2',
  '--heads',
  '2',
  '--seq-len',
  '16',
  '--batch-size',
  '4',
  '--rank',
  '4',
  '--samples',
  '8',
  '--eval-batches',
  '2',
  '--lr',
  '1e-2',
];

/** A periodic token stream: learnable in a few dozen steps. */
function cycle(n: number, vocab: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, (_, i) => (rng.uniform() < 0.05 ? rng.int(vocab) : (i * 3) % vocab));
}

describe('tenzo-train lm-hybrid', () => {
  it('rejects unknown variants', () => {
    expect(parseVariants('digital, slm')).toEqual(['digital', 'slm']);
    expect(() => parseVariants('digital,abc')).toThrowError(/--variants: expected entries of .*, got 'abc'/);
  });

  it('a device variant trains: validation loss falls, estimateParamGrad runs and spends ZO queries', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const spy = vi.spyOn(PhysicalLayer.prototype, 'estimateParamGrad');
    const data = { train: cycle(6000, 12, 1), validation: cycle(2000, 12, 2), vocabSize: 12 };
    const f = flags([...tiny, '--steps', '40', '--eval-every', '20', '--device-layers', 'all']);
    const r = await trainVariant('mrr', f, data);
    expect(spy).toHaveBeenCalledTimes(80); // once per step per replaced block
    expect(r.replacedBlocks).toEqual([0, 1]);
    expect(r.curve.map((c) => c.step)).toEqual([0, 20, 40]);
    expect(r.valLoss).toBeLessThan(r.curve[0]!.valLoss - 0.5);
    expect(r.queries!.zo).toBeGreaterThan(0);
    // per step and block: B·T forward rows, ≤ 2(r + M_SM) surrogate probes, and for ω̄ the batch
    // compressed to d_out = 16 inputs (B·T = 64 > 16), measured at ω and at M_BB = 8 perturbations
    expect(r.queries!.forward).toBe(40 * 2 * 64);
    expect(r.queries!.zo).toBe(40 * 2 * (8 + 1) * 16);
    expect(r.deviceParameters).toBe(2 * 16 * 16);
    expect(r.batchCaptured).toBeUndefined();
    // --batch-rank 3: ≤ 3 probe inputs per setting instead of 16, and the share of ‖Ȳᵀ X‖² they keep
    const k = await trainVariant(
      'mrr',
      flags([...tiny, '--steps', '4', '--eval-every', '4', '--batch-rank', '3']),
      data,
    );
    expect(k.queries!.zo).toBeLessThanOrEqual(4 * (8 + 1) * 3);
    expect(k.queries!.zo).toBeGreaterThan(0);
    expect(k.batchCaptured).toBeGreaterThan(0);
    expect(k.batchCaptured).toBeLessThanOrEqual(1 + 1e-12);
    spy.mockClear();
    const frozen = await trainVariant('frozen-mrr', f, data);
    expect(spy).not.toHaveBeenCalled();
    expect(frozen.queries!.zo).toBe(0);
    spy.mockRestore();
    err.mockRestore();
  });

  it('--device-layers k replaces the last k blocks; anything but last, all or 1..--layers is refused before training', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const three = tiny.map((x, i) => (tiny[i - 1] === '--layers' ? '3' : x));
    expect(deviceLayersOf(flags([...three, '--device-layers', '2']))).toBe(2);
    expect(deviceLayersOf(flags([...three, '--device-layers', 'all']))).toBe('all');
    const data = { train: cycle(3000, 12, 1), validation: cycle(1000, 12, 2), vocabSize: 12 };
    const f = flags([...three, '--steps', '2', '--eval-every', '2', '--device-layers', '2']);
    const r = await trainVariant('slm', f, data);
    expect(r.replacedBlocks).toEqual([1, 2]);
    expect(r.deviceParameters).toBe(2 * 16 * 16);
    for (const bad of ['0', '4', 'first', '1.5', '2x'])
      await expect(
        runLmHybrid(flags([...three, '--steps', '1', '--variants', 'digital', '--device-layers', bad])),
      ).rejects.toThrowError(
        /^--device-layers: expected 'last', 'all' or a block count 1\.\.3 \(the last k blocks\), got/,
      );
    err.mockRestore();
  });

  it('runs the variants on the corpus, writes the report and plot, and resumes by skipping done variants', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-lmh-'));
    const argv = [...tiny, '--steps', '6', '--eval-every', '3', '--variants', 'removed,digital,slm'];
    const res = await runLmHybrid(flags([...argv, '--out', dir, '--json', join(dir, 'r.json')]));
    for (const f of ['results.json', 'report.json', 'validation-loss.svg', 'r.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.variants.map((v: { variant: string }) => v.variant)).toEqual(['removed', 'digital', 'slm']);
    expect(res.variants.slm!.queries!.perStep).toBeGreaterThan(0);
    expect(res.variants.digital!.queries).toBeNull();
    expect(res.variants.removed!.parameters).toBeLessThan(res.variants.digital!.parameters);
    err.mockClear();
    const again = await runLmHybrid(flags([...argv, '--out', dir, '--resume']));
    expect(again.variants.slm).toEqual(res.variants.slm);
    expect(err.mock.calls.filter((c) => String(c[0]).includes('skipped'))).toHaveLength(3);
    await expect(
      runLmHybrid(flags([...argv, '--out', dir, '--resume', '--mu', '1e-3'])),
    ).rejects.toThrowError(/--resume: .* was made with other settings/);
    log.mockRestore();
    err.mockRestore();
  });

  it('--corpus <file.txt>: a user text file, cut 90/10 at a line break; the path labels the report', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-lmh-file-'));
    const file = join(dir, 'input.txt');
    writeFileSync(file, Array.from({ length: 60 }, (_, k) => `line ${k % 7}: to be or not to be\n`).join(''));
    const argv = [...tiny, '--steps', '2', '--eval-every', '2', '--variants', 'digital', '--corpus', file];
    await runLmHybrid(flags([...argv, '--out', dir, '--json', join(dir, 'r.json')]));
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.corpus.name).toBe(file);
    expect(report.corpus.trainChars + report.corpus.validationChars).toBe(readFileSync(file, 'utf8').length);
    expect(report.corpus.validationChars).toBe(6 * 'line 0: to be or not to be\n'.length);
    log.mockRestore();
    err.mockRestore();
  });
});
