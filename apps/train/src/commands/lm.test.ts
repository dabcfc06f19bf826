import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
    log.mockRestore();
    err.mockRestore();
  });
});
