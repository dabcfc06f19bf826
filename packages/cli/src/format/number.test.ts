import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, formatRate } from './number.js';

describe('formatNumber', () => {
  it('keeps integers and trims non-integers to significant digits', () => {
    expect(formatNumber(8000)).toBe('8000');
    expect(formatNumber(0.23104)).toBe('0.231');
    expect(formatNumber(1.23456, { digits: 3 })).toBe('1.23');
    expect(formatNumber(2.5, { fixed: 2 })).toBe('2.50');
    expect(formatNumber(0.971, { percent: true, fixed: 1 })).toBe('97.1%');
  });
  it('switches to exponent notation for tiny and huge magnitudes', () => {
    expect(formatNumber(1.2e-5)).toBe('1.2e-5');
    expect(formatNumber(12345678.9)).toBe('1.235e+7');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-inf');
  });
});

describe('formatDuration / formatRate', () => {
  it('render clock times and SI rates', () => {
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatRate(1234.5)).toBe('1.23k');
    expect(formatRate(12.345)).toBe('12.3');
    expect(formatRate(2.5e6)).toBe('2.5M');
  });
});
