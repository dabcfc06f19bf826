import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from './brown.js';
import { loadNamedCorpus } from './namedCorpus.js';

describe('loadNamedCorpus', () => {
  it("'text' is the Brown corpus; an unknown name is an ArgumentError", () => {
    const text = loadNamedCorpus('text');
    expect(text.name).toBe(loadBrownCorpus().name);
    expect(text.train.length).toBeGreaterThan(text.validation.length);
    expect(() => loadNamedCorpus('poetry' as never)).toThrow(ArgumentError);
  });
});
