import { ArgumentError, checkNumber, checkObject, checkString, describeValue } from '@tenzo/core';
import { type ProgressFields, renderProgress } from './render.js';

/** Where a progress bar writes; `stderrWriter()` from `@tenzo/cli/node` gives the terminal one. */
export interface ProgressWriter {
  /** Writes text as it is (the bar adds its own `\r` and newlines). */
  write(text: string): void;
  /** true on an interactive terminal: redraw in place; false: append plain lines */
  readonly isTTY: boolean;
  /** terminal width, when known */
  readonly columns?: number | undefined;
}

/**
 * Options of a `ProgressBar`: its label, the amount of work when known, where it writes, the unit of its
 * rate, how often it redraws (tty) or logs (plain), and an injectable clock (ms).
 */
export interface ProgressBarOptions {
  label?: string;
  /** amount of work; omit when unknown */
  total?: number;
  writer: ProgressWriter;
  /** unit shown in the rate (default 'it') */
  unit?: string;
  /** plain mode: at most one line per this many seconds, plus one at completion (default 10) */
  logEverySeconds?: number;
  /** tty mode: at most one redraw per this many milliseconds (default 80) */
  redrawEveryMs?: number;
  /** clock in milliseconds; injectable so tests control time */
  now?: () => number;
}

/**
 * A progress bar for long work. On a TTY it redraws one line in place (throttled, so tight loops
 * don't spend their time printing); elsewhere (CI, pipes, log files) it prints a plain line at
 * most every `logEverySeconds` and one at the end, so logs stay short.
 *
 * ```ts
 * const bar = new ProgressBar({ label: 'epoch 1', total: steps, writer: stderrWriter() });
 * for (...) bar.tick(1, { loss });
 * bar.done();
 * ```
 */
export class ProgressBar {
  readonly label: string;
  readonly total: number | undefined;
  private readonly writer: ProgressWriter;
  private readonly unit: string;
  private readonly logEveryMs: number;
  private readonly redrawEveryMs: number;
  private readonly now: () => number;
  private readonly start: number;
  private current = 0;
  private resumed = 0;
  private fields: ProgressFields = {};
  private lastDraw = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(opts: ProgressBarOptions) {
    checkObject('ProgressBar: opts', opts);
    if (typeof opts.writer !== 'object' || opts.writer === null || typeof opts.writer.write !== 'function')
      throw new ArgumentError(
        `ProgressBar: writer expected { write, isTTY, columns }, got ${describeValue(opts.writer)}`,
      );
    if (opts.total !== undefined) checkNumber('total', opts.total, { integer: true, min: 0 });
    this.label = opts.label === undefined ? '' : checkString('ProgressBar: label', opts.label);
    this.total = opts.total;
    this.writer = opts.writer;
    this.unit = opts.unit === undefined ? 'it' : checkString('ProgressBar: unit', opts.unit);
    this.logEveryMs = checkNumber('logEverySeconds', opts.logEverySeconds ?? 10, { min: 0 }) * 1000;
    this.redrawEveryMs = checkNumber('redrawEveryMs', opts.redrawEveryMs ?? 80, { min: 0 });
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    // Plain mode waits one interval before its first line: short jobs print only the final one.
    if (!this.writer.isTTY) this.lastDraw = this.start;
  }

  /** Advances by `n` (default 1) and merges `fields` into the live values. */
  tick(n = 1, fields?: ProgressFields): void {
    this.update(this.current + n, fields);
  }

  /**
   * Advances by `n` units done before this bar started (a run resumed from a checkpoint): they fill
   * the bar and leave less work for the ETA, but take no part in the rate, which stays this run's.
   */
  resume(n: number): void {
    checkNumber('ProgressBar.resume: n', n, { min: 0 });
    this.resumed += n;
    this.update(this.current + n);
  }

  /** Sets the absolute progress and merges `fields` into the live values. */
  update(current: number, fields?: ProgressFields): void {
    checkNumber('current', current, { min: 0 });
    this.current = current;
    if (fields) this.fields = { ...this.fields, ...fields };
    const t = this.now();
    const interval = this.writer.isTTY ? this.redrawEveryMs : this.logEveryMs;
    if (!this.finished && t - this.lastDraw >= interval) this.draw(t);
  }

  /** The line as it would be drawn now (for tests and custom writers). */
  render(at = this.now()): string {
    return renderProgress(
      {
        label: this.label,
        current: this.current,
        total: this.total,
        elapsed: (at - this.start) / 1000,
        resumed: Math.min(this.resumed, this.current),
        fields: this.fields,
        unit: this.unit,
      },
      { mode: this.writer.isTTY ? 'tty' : 'plain', columns: this.writer.columns },
    );
  }

  /**
   * Draws the final state once and ends the line. Progress is not forced to 100%: work stopped
   * early (early stopping, Ctrl-C handlers) should read as such in the log.
   */
  done(fields?: ProgressFields): void {
    if (this.finished) return;
    if (fields) this.fields = { ...this.fields, ...fields };
    this.draw(this.now());
    this.finished = true;
    if (this.writer.isTTY) this.writer.write('\n');
  }

  private draw(t: number): void {
    this.lastDraw = t;
    // \r + erase-to-end-of-line repaints the same row without leaving remnants of a longer line.
    if (this.writer.isTTY) this.writer.write(`\r${this.render(t)}\x1b[K`);
    else this.writer.write(`${this.render(t)}\n`);
  }
}
