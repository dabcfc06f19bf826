import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@tenzo/core';
import { checkAgainst, GridResultSchema as SweepResultSchema } from '@tenzo/train';
import { readResultsFile } from '@tenzo/train/node';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { LmVariantSchema } from './resultFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'tenzo-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variant = {
  variant: 'slm',
  ffn: 'SLM 16→16',
  replacedBlocks: [1],
  parameters: 100,
  deviceParameters: 256,
  curve: [{ step: 0, valLoss: 4.2, trainLoss: null }],
  valLoss: 4.1,
  trainLoss: 4.0,
  queries: { forward: 10, surrogate: 2, rebuild: 16, zo: 30, correction: 0, perStep: 2.9 },
  surrogateCosine: null,
  secondsPerStep: 0.01,
  seconds: 1,
};
const schema = v.object({
  config: v.record(v.string(), v.unknown()),
  variants: v.record(v.string(), LmVariantSchema),
});

describe('results files read back on --resume', () => {
  it('lm-hybrid: a good file reads back; every corruption is a FormatError naming the field', () => {
    const path = join(dir, 'lmh.json');
    writeFileSync(path, JSON.stringify({ config: { steps: 10 }, variants: { slm: variant } }));
    expect(readResultsFile(path, schema).variants.slm!.valLoss).toBe(4.1);
    const bad: [string, RegExp][] = [
      ['{"config": {}, "variants": {', /a key \(a string\) expected/],
      ['{"config": {}, "config": {}, "variants": {}}', /duplicate key "config"/],
      [JSON.stringify({ variants: {} }), /field config/],
      [
        JSON.stringify({ config: {}, variants: { slm: { ...variant, valLoss: 'x' } } }),
        /variants\.slm\.valLoss/,
      ],
      [
        JSON.stringify({ config: {}, variants: { slm: { ...variant, curve: [{ step: -1 }] } } }),
        /curve\.0\.step/,
      ],
      [JSON.stringify({ config: {}, variants: { slm: { ...variant, queries: { zo: 1 } } } }), /queries/],
    ];
    for (const [text, message] of bad) {
      writeFileSync(path, text);
      expect(() => readResultsFile(path, schema), text).toThrow(FormatError);
      expect(() => readResultsFile(path, schema), text).toThrow(message);
    }
  });

  it('sweep cells: accuracies outside [0, 1] and non-numbers are refused', () => {
    const cell = { key: 'slm/r1/m10/s1', group: 'zo+surrogate', device: 'slm', seed: 1, testAccuracy: 0.9 };
    const good = { ...cell, secondsPerEpoch: 1, queriesPerStep: 5 };
    expect(checkAgainst(SweepResultSchema, good, 'r')).toMatchObject(good);
    expect(() => checkAgainst(SweepResultSchema, { ...good, testAccuracy: 7 }, 'r')).toThrow(/testAccuracy/);
    expect(() => checkAgainst(SweepResultSchema, { ...good, testAccuracy: 'NaN' }, 'r')).toThrow(FormatError);
    expect(() => checkAgainst(SweepResultSchema, { ...good, seed: -1 }, 'r')).toThrow(/seed/);
  });
});
