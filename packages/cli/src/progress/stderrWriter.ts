import { ArgumentError, checkObject, describeValue } from '@tenzo/core';
import { ProgressBar, type ProgressBarOptions, type ProgressWriter } from './progressBar.js';

/**
 * What `stderrWriter` writes to: `process.stderr`, or any object with `write` and, when it is a
 * terminal, `isTTY` and its width in `columns`.
 */
export interface ProgressStream {
  /** Writes text as it is. */
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * The terminal's stderr as a progress writer (stdout stays clean for results and pipes).
 * Redraw-in-place needs a real terminal: not under CI (CI=true), nor TERM=dumb.
 */
export function stderrWriter(
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ProgressWriter {
  if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function')
    throw new ArgumentError(
      `stderrWriter: stream: expected a stream with write(), got ${describeValue(stream)}`,
    );
  checkObject('stderrWriter: env', env);
  const interactive = stream.isTTY === true && !env.CI && env.TERM !== 'dumb';
  return {
    write: (text) => void stream.write(text),
    isTTY: interactive,
    // a terminal that reports 0 (or no) columns gets no truncation rather than bars cut to '…'
    get columns() {
      const c = stream.columns;
      return Number.isInteger(c) && (c as number) > 0 ? c : undefined;
    },
  };
}

/** A `ProgressBar` on stderr: `progressBar({ label: 'epoch 1', total: steps })`. */
export function progressBar(opts: Omit<ProgressBarOptions, 'writer'>): ProgressBar {
  return new ProgressBar({ ...opts, writer: stderrWriter() });
}
