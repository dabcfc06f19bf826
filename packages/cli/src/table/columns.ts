import { ArgumentError } from '@tenzo/core';
import { formatNumber, type NumberFormat } from '../format/number.js';

/** A table row: values by column key. */
export type Row = Readonly<Record<string, unknown>>;

/** How one column is shown. */
export interface Column {
  /** the row property this column reads */
  key: string;
  /** header text (default: the key) */
  header?: string;
  /** default: 'right' when every present value is a number, else 'left' */
  align?: 'left' | 'right';
  /** number formatting for numeric cells (default: 4 significant digits) */
  number?: NumberFormat;
  /** full control over a cell's text; wins over `number` */
  format?: (value: unknown, row: Row) => string;
}

/** What `formatTable`/`markdownTable` accept: full specs or just keys. */
export type ColumnInput = Column | string;

export interface ResolvedTable {
  headers: string[];
  cells: string[][];
  align: ('left' | 'right')[];
}

function cellText(value: unknown, row: Row, col: Column): string {
  if (col.format) return col.format(value, row);
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return formatNumber(value, col.number);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * Shared by the plain and markdown renderers: resolves columns (all keys in first-seen order
 * when none are given), formats every cell and decides alignment.
 */
export function resolveTable(rows: readonly Row[], columns?: readonly ColumnInput[]): ResolvedTable {
  if (!Array.isArray(rows)) throw new ArgumentError(`rows: expected an array of objects, got ${typeof rows}`);
  let cols: Column[];
  if (columns) {
    cols = columns.map((c) => (typeof c === 'string' ? { key: c } : c));
  } else {
    const keys = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
    cols = [...keys].map((key) => ({ key }));
  }
  const cells = rows.map((r) => cols.map((c) => cellText(r[c.key], r, c)));
  const align = cols.map((c) => {
    if (c.align) return c.align;
    const present = rows.map((r) => r[c.key]).filter((v) => v !== undefined && v !== null);
    return present.length > 0 && present.every((v) => typeof v === 'number' || typeof v === 'bigint')
      ? 'right'
      : 'left';
  });
  return { headers: cols.map((c) => c.header ?? c.key), cells, align };
}
