import { checkArray, checkInt, checkObject, checkString } from '@tenzo/core';

/** A corpus as two strings: documents joined by blank lines, split by document. */
export interface TextCorpus {
  name: string;
  train: string;
  validation: string;
  /** document names in corpus order, with the part each went to */
  documents: { name: string; split: 'train' | 'validation' }[];
}

/**
 * Deterministic split by document: documents sorted by name, every `every`-th one (starting at
 * index every − 1) goes to validation. Splitting by document keeps a text's repeats out of the
 * other part, which a random split of characters would not.
 */
export function splitDocuments(name: string, docs: { name: string; text: string }[], every = 10): TextCorpus {
  checkString('splitDocuments: name', name);
  checkInt(`${name}: validationEvery`, every, { min: 2 });
  checkArray(`${name}: docs`, docs).forEach((d, i) => {
    checkObject(`${name}: docs[${i}]`, d);
    checkString(`${name}: docs[${i}].name`, d.name);
    checkString(`${name}: docs[${i}].text`, d.text);
  });
  const sorted = [...docs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const train: string[] = [];
  const validation: string[] = [];
  const documents = sorted.map((d, i) => {
    const split = i % every === every - 1 ? ('validation' as const) : ('train' as const);
    (split === 'train' ? train : validation).push(d.text);
    return { name: d.name, split };
  });
  return { name, train: train.join('\n\n'), validation: validation.join('\n\n'), documents };
}
