import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError } from '@tenzo/core';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { readResultsFile } from '../results/readResultsFile.js';
import { checkpointFlags, checkpointOptions, runConfig } from './checkpointFlags.js';

const dir = mkdtempSync(join(tmpdir(), 'tenzo-ckflags-'));

describe('checkpointFlags, checkpointOptions and runConfig', () => {
  it('checkpoint under <out> every N steps (0: per epoch only), resuming with --resume', async () => {
    expect(checkpointFlags.checkpointEvery.default).toBe(0);
    const every = checkpointOptions({ out: dir, resume: true, checkpointEvery: 5 });
    expect(every.resume).toBe(true);
    expect(every.checkpointEvery).toBe(5);
    await every.checkpoint!.save({ step: 3 });
    expect(await checkpointOptions({ out: dir, checkpointEvery: 0 }).checkpoint!.load()).toEqual({ step: 3 });
    const epochs = checkpointOptions({ out: dir, checkpointEvery: 0 });
    expect(epochs.resume).toBe(false);
    expect('checkpointEvery' in epochs).toBe(false);
    expect(() => checkpointOptions({ out: dir, checkpointEvery: -1 })).toThrow(/checkpointEvery/);
  });

  it('keeps the settings that change the computation, in their order', () => {
    const flags = {
      lr: 0.1,
      out: 'runs/x',
      seed: 2,
      json: undefined,
      resume: true,
      checkpointEvery: 5,
      threads: 4,
    };
    expect(Object.keys(runConfig(flags))).toEqual(['lr', 'seed', 'threads']);
    expect(runConfig(flags, ['threads'])).toEqual({ lr: 0.1, seed: 2 });
    expect(() => runConfig(null as never)).toThrow(ArgumentError);
  });
});

describe('readResultsFile', () => {
  const schema = v.object({
    config: v.record(v.string(), v.unknown()),
    best: v.pipe(v.number(), v.finite()),
  });

  it('reads a good file; duplicate keys, bad JSON and a wrong field are FormatErrors naming file and field', () => {
    const path = join(dir, 'results.json');
    writeFileSync(path, JSON.stringify({ config: { a: 1 }, best: 0.5 }));
    expect(readResultsFile(path, schema)).toEqual({ config: { a: 1 }, best: 0.5 });
    for (const [text, message] of [
      ['{"config": {}, "config": {}, "best": 1}', /duplicate key "config"/],
      ['{"config": {', /results\.json/],
      ['{"config": {}, "best": "x"}', /results\.json: field best/],
    ] as const) {
      writeFileSync(path, text);
      expect(() => readResultsFile(path, schema), text).toThrow(FormatError);
      expect(() => readResultsFile(path, schema), text).toThrow(message);
    }
  });
});
