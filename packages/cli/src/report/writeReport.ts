import { writeFileAtomic, writeJsonAtomic } from '@tenzo/core/node';
import { toJsonValue } from './toJsonValue.js';

/**
 * Writes a results document as pretty JSON, atomically (temp file + rename: a crash leaves the
 * old report or the new one, never half). Typed arrays, Maps and bigints are converted by
 * `toJsonValue`; parent directories are created.
 */
export function writeReport(path: string, value: unknown): void {
  writeJsonAtomic(path, toJsonValue(value));
}

/** Writes an SVG string (from `linePlotSvg`/`barChartSvg`) atomically. */
export function writeSvg(path: string, svg: string): void {
  writeFileAtomic(path, svg);
}
