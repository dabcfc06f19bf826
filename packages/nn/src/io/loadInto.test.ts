import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear.js';
import { loadSafetensorsInto } from './loadInto.js';
import { saveSafetensors } from './node.js';

describe('loadSafetensorsInto', () => {
  it('loads the tensors under a prefix into a module, strictly', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tenzo-loadinto-')), 'model.safetensors');
    const trunk = new Linear(3, 2, new Rng(1));
    const head = new Linear(2, 4, new Rng(2));
    const under = (p: string, m: Linear) =>
      Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [p + k, t]));
    saveSafetensors(path, { ...under('trunk.', trunk), ...under('head.', head) });
    const fresh = new Linear(3, 2, new Rng(9));
    loadSafetensorsInto(fresh, path, 'trunk.');
    expect(fresh.weight.toFlat()).toEqual(trunk.weight.toFlat());
    expect(fresh.bias!.toFlat()).toEqual(trunk.bias!.toFlat());
    // without the prefix the head's tensors are unexpected; a wrong shape is refused
    expect(() => loadSafetensorsInto(new Linear(3, 2, new Rng(9)), path)).toThrow(/unexpected/);
    expect(() => loadSafetensorsInto(new Linear(2, 4, new Rng(9)), path, 'trunk.')).toThrow(/loadStateDict/);
    expect(() => loadSafetensorsInto({} as never, path)).toThrow(ArgumentError);
  });
});
