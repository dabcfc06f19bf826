import { type ColumnInput, type Row, resolveTable } from './columns.js';

// A literal '|' would end the cell and a newline would end the table row.
function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * A GitHub-flavoured markdown table for reports, same columns and formatting as `formatTable`;
 * numeric columns get a right-aligned (`---:`) marker.
 */
export function markdownTable(rows: readonly Row[], columns?: readonly ColumnInput[]): string {
  const t = resolveTable(rows, columns);
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${t.align.map((a) => (a === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(t.headers), rule, ...t.cells.map(line)].join('\n');
}
