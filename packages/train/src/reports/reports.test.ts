import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, Rng, TenzoError } from '@tenzo/core';
import { Linear } from '@tenzo/nn';
import { loadSafetensors } from '@tenzo/nn/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClassifierEpoch } from '../classifier/fitClassifier.js';
import { gridResult as r } from '../sweep/gridResult.test-util.js';
import { epochTable, writeClassifierFiles, writeRunFiles } from './runFiles.js';
import { sweepTable, writeSweepOutputs } from './sweepOutputs.js';

let dir: string;
let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenzo-reports-'));
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => {
  log.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

const epoch = (e: number, acc: number, queries?: number): ClassifierEpoch => ({
  epoch: e,
  trainLoss: 1 / e,
  trainAccuracy: acc - 0.1,
  testLoss: 1.5 / e,
  testAccuracy: acc,
  lr: 1e-3,
  seconds: 2.25,
  ...(queries !== undefined ? { deviceQueries: { zo: queries, perStep: queries / 10 } } : {}),
});

describe('run files', () => {
  it('writeRunFiles writes report, plot, model and --json, and names them after `before`', () => {
    const model = new Linear(3, 2, new Rng(1));
    const files = writeRunFiles({
      out: dir,
      json: join(dir, 'copy.json'),
      report: { a: 1 },
      plot: { name: 'p.svg', svg: '<svg/>' },
      model: { state: model.stateDict(), metadata: { note: 'x' } },
      before: ['earlier.json'],
    });
    const names = ['report.json', 'p.svg', 'model.safetensors', 'copy.json'].map((f) => join(dir, f));
    expect(files).toEqual(names);
    expect(log).toHaveBeenCalledWith(`wrote earlier.json, ${names.join(', ')}`);
    expect(JSON.parse(readFileSync(names[0]!, 'utf8'))).toEqual({ a: 1 });
    expect(JSON.parse(readFileSync(names[3]!, 'utf8'))).toEqual({ a: 1 });
    expect(readFileSync(names[1]!, 'utf8')).toContain('<svg/>');
    const saved = loadSafetensors(names[2]!);
    expect(saved.metadata).toMatchObject({ format: 'pt', note: 'x' });
    expect(Object.keys(saved.tensors).sort()).toEqual(Object.keys(model.stateDict()).sort());
  });

  it('writeRunFiles without a model or --json writes two files', () => {
    expect(writeRunFiles({ out: dir, report: {}, plot: { name: 'q.svg', svg: '<svg/>' } })).toEqual([
      join(dir, 'report.json'),
      join(dir, 'q.svg'),
    ]);
  });

  it('epochTable has a queries column only when asked (0 for epochs without queries)', () => {
    const history = [epoch(1, 0.5, 40), epoch(2, 0.625)];
    const plain = epochTable(history, false);
    expect(plain).not.toContain('queries/step');
    expect(plain).toContain('62.50%');
    expect(plain).toContain('0.7500');
    const withQueries = epochTable(history, true).split('\n');
    expect(withQueries[0]).toContain('queries/step');
    expect(withQueries.at(-2)?.trim().endsWith(' 4')).toBe(true);
    expect(withQueries.at(-1)?.trim().endsWith(' 0')).toBe(true);
  });

  it('writeClassifierFiles plots train and test accuracy per epoch with the extra series', () => {
    const files = writeClassifierFiles(
      { out: dir },
      {
        report: { ok: true },
        model: new Linear(2, 2, new Rng(2)),
        history: [epoch(1, 0.5), epoch(2, 0.75)],
        title: 'T',
        names: { train: 'train curve', test: 'test curve' },
        extra: [{ name: 'target line', x: [1, 2], y: [0.9, 0.9], dashed: true }],
      },
    );
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'report.json',
      'learning-curve.svg',
      'model.safetensors',
    ]);
    const svg = readFileSync(files[1]!, 'utf8');
    for (const s of ['train curve', 'test curve', 'target line', '>T<']) expect(svg).toContain(s);
  });
});

describe('sweep outputs', () => {
  const results = [
    r({ key: 'digital/s1', group: 'digital', device: 'none', testAccuracy: 0.9, queriesPerStep: null }),
    r({ key: 'a', rank: 2, samples: 4, testAccuracy: 0.6, surrogateCosine: 0.5 }),
    r({ key: 'b', rank: 2, samples: 4, seed: 2, testAccuracy: 0.7, surrogateCosine: 0.25 }),
  ];

  it('sweepTable averages over seeds, in percent, with the cosine column when asked', () => {
    const rows = [
      {
        group: 'zo+surrogate',
        device: 'slm',
        rank: 2,
        samples: 4,
        seeds: 2,
        testAccuracy: 0.65,
        secondsPerEpoch: 1,
        queriesPerStep: 10,
        surrogateCosine: 0.375,
      },
    ];
    expect(sweepTable(rows, false)).not.toContain('surrogateCosine');
    const t = sweepTable(rows, true);
    expect(t).toContain('65.00%');
    expect(t).toContain('0.38');
  });

  it('writeSweepOutputs writes table.md, one plot per device and the JSON report', () => {
    const json = join(dir, 'sweep.json');
    const rows = writeSweepOutputs({
      command: 'sweep',
      config: { x: 1 },
      out: dir,
      results,
      devices: ['slm', 'mrr'],
      ranks: [2],
      samples: [4],
      title: (d) => `title ${d}`,
      cosine: true,
      references: ['digital'],
      json,
    });
    expect(rows.map((x) => [x.group, x.seeds])).toEqual([
      ['digital', 1],
      ['zo+surrogate', 2],
    ]);
    expect(rows[1]!.testAccuracy).toBeCloseTo(0.65, 12);
    expect(readFileSync(join(dir, 'table.md'), 'utf8')).toBe(`${sweepTable(rows, true)}\n`);
    expect(log).toHaveBeenCalledWith(sweepTable(rows, true));
    expect(readFileSync(join(dir, 'accuracy-vs-rank-slm.svg'), 'utf8')).toContain('title slm');
    expect(readFileSync(join(dir, 'accuracy-vs-rank-mrr.svg'), 'utf8')).toContain('title mrr');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual({
      command: 'sweep',
      config: { x: 1 },
      summary: rows,
      results,
    });
  });
});

describe('report writers on bad input', () => {
  it('throw typed errors, not raw ones', () => {
    const bad: (() => unknown)[] = [
      () => writeRunFiles(null as never),
      () => writeRunFiles({ out: 3, report: {}, plot: { name: 'a.svg', svg: '' } } as never),
      () => writeRunFiles({ out: dir, report: {}, plot: null } as never),
      () => writeRunFiles({ out: dir, report: {}, plot: { name: 1, svg: '' } } as never),
      () => epochTable('x' as never, false),
      () => writeClassifierFiles(null as never, {} as never),
      () => writeClassifierFiles({ out: dir }, { history: 5 } as never),
      () => sweepTable({} as never, true),
      () => writeSweepOutputs(undefined as never),
      () => writeSweepOutputs({ out: dir, devices: 'slm', results: [] } as never),
    ];
    for (const f of bad) expect(f).toThrow(TenzoError);
    expect(() => writeSweepOutputs({ out: null } as never)).toThrow(ArgumentError);
  });
});
