import { type ColumnInput, type Row, resolveTable } from './columns.js';

/**
 * An aligned plain-text table for the end of a CLI run: a header, a rule, one line per row,
 * numbers right-aligned so digits line up.
 *
 * ```ts
 * formatTable([{ model: 'mlp', acc: 0.9712 }], [{ key: 'model' }, { key: 'acc', number: { percent: true, fixed: 1 } }]);
 * // model    acc
 * // -----  -----
 * // mlp    97.1%
 * ```
 */
export function formatTable(rows: readonly Row[], columns?: readonly ColumnInput[]): string {
  const t = resolveTable(rows, columns);
  const widths = t.headers.map((h, j) => Math.max(h.length, ...t.cells.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (t.align[j] === 'right' ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(t.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...t.cells.map(line)].join('\n');
}
