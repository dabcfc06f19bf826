import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkInt, FormatError } from '@tenzo/core';
import { readUtf8 } from '../files/readFile.js';
import { corpusDir, type LoadCorpusOptions, listDir } from './brown.js';
import { splitDocuments, type TextCorpus } from './textCorpus.js';

/**
 * A code corpus: the TypeScript compiler's standard-library declarations (`typescript/lib/lib.*.d.ts`,
 * about 100 files of interfaces, doc comments and signatures), split by file. The license banner
 * at the top of each file is dropped (it repeats verbatim in every file), and `lib.dom*` is left out by
 * default because it alone is larger than all the rest.
 */
export function loadTypeScriptLibCorpus(opts: LoadCorpusOptions & { includeDom?: boolean } = {}): TextCorpus {
  const fn = 'loadTypeScriptLibCorpus';
  const dir = corpusDir(fn, opts, () =>
    join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'lib'),
  );
  let names = listDir(fn, dir)
    .filter((f) => /^lib\..*\.d\.ts$/.test(f) && (opts.includeDom || !/^lib\.(dom|webworker)/.test(f)))
    .sort();
  if (names.length === 0)
    throw new FormatError(`loadTypeScriptLibCorpus: ${dir} expected lib.*.d.ts files, found none`);
  if (opts.maxDocuments !== undefined)
    names = names.slice(0, checkInt(`${fn}: maxDocuments`, opts.maxDocuments, { positive: true }));
  const docs = names.map((name) => ({ name, text: stripBanner(readUtf8(fn, join(dir, name))) }));
  return splitDocuments('typescript-lib', docs, opts.validationEvery);
}

function stripBanner(src: string): string {
  return src
    .replace(/^\/\*![\s\S]*?\*\/\s*/, '')
    .replace(/^\/\/\/ <reference no-default-lib="true"\/>\s*/m, '')
    .replace(/\r\n/g, '\n')
    .trim();
}
