import { checkInt, checkNumber, OutOfRangeError } from '@tenzo/core';
import { formatNumber } from '../format/number.js';

/** Most ticks an axis is asked for (each is a label on the plot). */
const MAX_TICKS = 1000;

/** A 1-2-5 step near `span / count` (the Heckbert "nice numbers" rule). */
export function niceStep(span: number, count: number): number {
  checkNumber('niceStep: span', span, { gt: 0 });
  checkInt('niceStep: count', count, { positive: true, max: MAX_TICKS });
  const raw = span / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  // 10·mag overflows for spans near 1.8e308; subnormal spans have no 1-2-5 step either
  if (!(mag > 0 && Number.isFinite(10 * mag)))
    throw new OutOfRangeError(`niceStep: span ${span} / count ${count} has no 1-2-5 step in float64`);
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/** A linear axis: a domain widened to whole steps and the ticks on it. */
export interface LinearAxis {
  domain: [number, number];
  ticks: number[];
}

/**
 * Nice ticks for [min, max]: about `count` of them on multiples of a 1-2-5 step, the domain
 * widened to the outer ticks so data never touches the frame mid-step. Degenerate ranges
 * (min === max) are widened around the value.
 */
export function linearAxis(min: number, max: number, count = 5): LinearAxis {
  checkNumber('linearAxis: min', min);
  checkNumber('linearAxis: max', max);
  checkInt('linearAxis: count', count, { positive: true, max: MAX_TICKS });
  // a span beyond float64 (−1e308 … 1e308) has no step to tick it with
  checkNumber('linearAxis: max - min', max - min);
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  // near ±1.8e308 the widened domain overflows: the tick loop below would never end
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new OutOfRangeError(`linearAxis: [${min}, ${max}] widened to whole steps leaves the float64 range`);
  // Round to the step's decimals so 0.1 + 0.2 prints as 0.3.
  const decimals = Math.min(100, Math.max(0, -Math.floor(Math.log10(step)) + 1));
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { domain: [lo, hi], ticks };
}

// 10 ** -4 is 0.00009999999999999999 in floating point; parsing '1e-4' gives the nearest double.
const pow10 = (k: number): number => Number(`1e${k}`);

/** A log10 axis: domain widened to whole decades, one tick per decade (thinned past 10). */
export function logAxis(min: number, max: number): LinearAxis {
  checkNumber('logAxis: min', min, { gt: 0 });
  checkNumber('logAxis: max', max, { min });
  let a = Math.floor(Math.log10(min));
  let b = Math.ceil(Math.log10(max));
  if (b === a) {
    a -= 1;
    b += 1;
  }
  const every = Math.ceil((b - a) / 10);
  const ticks: number[] = [];
  for (let k = a; k <= b; k += every) ticks.push(pow10(k));
  return { domain: [pow10(a), pow10(b)], ticks };
}

/** Tick label text: plain for moderate magnitudes, `1e-6` style for powers of ten beyond. */
export function tickLabel(v: number): string {
  if (v !== 0) {
    const k = Math.log10(Math.abs(v));
    if (Number.isInteger(k) && Math.abs(k) >= 4) return `${v < 0 ? '-' : ''}1e${k}`;
  }
  return formatNumber(v, { digits: 6 });
}
