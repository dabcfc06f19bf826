import { checkNumber, checkObject } from '@tenzo/core';
import { formatDuration, formatNumber, formatRate } from '../format/number.js';

/** Live values shown after the bar, e.g. `{ loss: 0.231, acc: '97.1%' }`. */
export type ProgressFields = Readonly<Record<string, string | number>>;

/** Everything a progress line shows; a snapshot, so rendering stays a pure function. */
export interface ProgressSnapshot {
  label: string;
  current: number;
  /** undefined when the amount of work is unknown: no bar, no percentage, no ETA */
  total?: number | undefined;
  /** seconds since start */
  elapsed: number;
  /**
   * work done before start (a resumed run): part of `current` and of the bar, not of the rate, so
   * the rate and ETA are this run's own (default 0)
   */
  resumed?: number | undefined;
  fields?: ProgressFields | undefined;
  /** unit after the rate (default 'it') */
  unit?: string | undefined;
}

/**
 * How `renderProgress` draws one progress line: a bar redrawn in place (`'tty'`) or a log line
 * (`'plain'`), the bar's width and the line's maximum width in terminal cells.
 */
export interface RenderOptions {
  /** 'tty': a bar redrawn in place; 'plain': a log line without the bar (CI, pipes) */
  mode: 'tty' | 'plain';
  /** bar width in cells (tty only, default 24) */
  barWidth?: number;
  /** truncate the line to this many columns (tty only) */
  columns?: number | undefined;
}

function renderFields(fields: ProgressFields | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : v}`)
    .join(' ');
}

/** Eighth-block glyphs give the bar sub-cell resolution, so slow work still visibly moves. */
const PARTIAL = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

function renderBar(fraction: number, width: number): string {
  const eighths = Math.round(Math.min(Math.max(fraction, 0), 1) * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  const rest = width - full - (part > 0 ? 1 : 0);
  return `${'█'.repeat(full)}${part > 0 ? PARTIAL[part] : ''}${' '.repeat(rest)}`;
}

/**
 * Renders one progress line, e.g.
 * `train │████████▌      │  57% 570/1000 41.2 it/s ETA 0:10 loss=0.231 acc=97.1%`.
 * Rate is the mean since start (stable enough for ETA on uniform work, and reproducible), over the
 * work done since start: `resumed` work counts towards the bar, not the rate.
 */
export function renderProgress(s: ProgressSnapshot, opts: RenderOptions): string {
  checkObject('renderProgress: snapshot', s);
  checkObject('renderProgress: opts', opts);
  checkNumber('renderProgress: current', s.current, { min: 0 });
  checkNumber('renderProgress: elapsed', s.elapsed, { min: 0 });
  const resumed = checkNumber('renderProgress: resumed', s.resumed ?? 0, { min: 0, max: s.current });
  const unit = s.unit ?? 'it';
  // the rate of this run only: work resumed from a checkpoint took no time here
  const rate = s.elapsed > 0 ? (s.current - resumed) / s.elapsed : Number.NaN;
  const parts: string[] = [];
  if (s.label) parts.push(s.label);
  const known = s.total !== undefined && s.total > 0;
  const fraction = known ? s.current / s.total! : 0;
  if (known && opts.mode === 'tty') parts.push(`│${renderBar(fraction, opts.barWidth ?? 24)}│`);
  if (known) {
    parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
    parts.push(`${s.current}/${s.total}`);
  } else {
    parts.push(String(s.current));
  }
  parts.push(`${formatRate(rate)} ${unit}/s`);
  const finished = known && s.current >= s.total!;
  if (finished) parts.push(`in ${formatDuration(s.elapsed)}`);
  else if (known) parts.push(`ETA ${formatDuration((s.total! - s.current) / rate)}`);
  else parts.push(`elapsed ${formatDuration(s.elapsed)}`);
  const f = renderFields(s.fields);
  if (f) parts.push(f);
  const line = parts.join(' ');
  if (opts.mode === 'tty' && opts.columns !== undefined && line.length > opts.columns) {
    return `${line.slice(0, Math.max(opts.columns - 1, 0))}…`;
  }
  return line;
}
