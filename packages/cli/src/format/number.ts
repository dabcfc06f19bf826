import { ArgumentError, checkInt, checkObject, describeValue } from '@tenzo/core';
/** Options for {@link formatNumber}. */
export interface NumberFormat {
  /** significant digits for non-integers (default 4) */
  digits?: number;
  /** fixed digits after the decimal point; overrides `digits` */
  fixed?: number;
  /** multiply by 100 and append '%' */
  percent?: boolean;
}

/**
 * Renders a number compactly for terminals and tables: integers as they are, others with a
 * few significant digits, switching to exponent notation where fixed notation would be long
 * (1.2e-5, 3.4e+7), so columns stay narrow without hiding magnitudes.
 */
export function formatNumber(value: number, format: NumberFormat = {}): string {
  checkObject('formatNumber: format', format);
  // NaN and ±∞ are numbers to show ('NaN', 'inf'); anything else is not a number at all
  if (typeof value !== 'number')
    throw new ArgumentError(`formatNumber: value expected a number, got ${describeValue(value)}`);
  if (format.fixed !== undefined) checkInt('formatNumber: fixed', format.fixed, { max: 100 });
  if (format.digits !== undefined) checkInt('formatNumber: digits', format.digits, { min: 1, max: 100 });
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const v = format.percent ? value * 100 : value;
  const suffix = format.percent ? '%' : '';
  if (format.fixed !== undefined) return v.toFixed(format.fixed) + suffix;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v) + suffix;
  const digits = format.digits ?? 4;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 10 ** Math.max(digits, 6))) {
    return v.toExponential(Math.max(digits - 1, 0)).replace(/\.?0+e/, 'e') + suffix;
  }
  // toPrecision then Number() drops trailing zeros (0.2310 -> 0.231) and any exponent form.
  return String(Number(v.toPrecision(digits))) + suffix;
}

/** Seconds as h:mm:ss or m:ss; '?' for unknown (NaN/Infinity). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A rate with an SI suffix: 1234.5 -> '1.23k', 0.5 -> '0.5'. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '?';
  const a = Math.abs(perSecond);
  if (a >= 1e9) return `${formatNumber(perSecond / 1e9, { digits: 3 })}G`;
  if (a >= 1e6) return `${formatNumber(perSecond / 1e6, { digits: 3 })}M`;
  if (a >= 1e3) return `${formatNumber(perSecond / 1e3, { digits: 3 })}k`;
  return formatNumber(Number(perSecond.toPrecision(3)), { digits: 3 });
}
