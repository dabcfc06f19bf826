import { describe, expect, it } from 'vitest';
import { formatTable } from './formatTable.js';
import { markdownTable } from './markdownTable.js';

const rows = [
  { model: 'mlp', params: 101770, acc: 0.97123, note: 'baseline' },
  { model: 'hybrid-mzi', params: 2048, acc: 0.9512 },
];

describe('formatTable', () => {
  it('aligns columns and right-aligns numbers', () => {
    const text = formatTable(rows, [
      'model',
      'params',
      { key: 'acc', header: 'test acc', number: { percent: true, fixed: 1 } },
      'note',
    ]);
    expect(text.split('\n')).toEqual([
      'model       params  test acc  note',
      '----------  ------  --------  --------',
      'mlp         101770     97.1%  baseline',
      'hybrid-mzi    2048     95.1%',
    ]);
  });
  it('uses every key in first-seen order when no columns are given, and custom formatters', () => {
    // a numeric column stays right-aligned under a custom formatter
    const text = formatTable(
      [{ a: 1 }, { b: 'x', a: 22 }],
      [{ key: 'a', format: (v) => `#${String(v)}` }, 'b'],
    );
    expect(text).toBe('  a  b\n---  -\n #1\n#22  x');
    expect(formatTable([{ a: 1 }, { b: 'x' }]).split('\n')[0]).toBe('a  b');
  });
});

describe('markdownTable', () => {
  it('marks numeric columns right-aligned and escapes pipes', () => {
    expect(markdownTable([{ name: 'a|b', ms: 1.5 }])).toBe('| name | ms |\n| --- | ---: |\n| a\\|b | 1.5 |');
  });
});
