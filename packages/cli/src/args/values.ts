import { ArgumentError, checkNumber, checkOneOf, describeValue, OutOfRangeError } from '@tenzo/core';
import type { FlagSpec, RangeFlag } from './spec.js';

// Strict decimal syntax: Number('') === 0, Number('0x10') === 16 and Number(' 3 ') === 3 would
// all slip through a plain Number() check.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Guard against `1..1e12` allocating a giant list. */
const MAX_RANGE_LENGTH = 1_000_000;

/** What a flag expects, in words, for error messages and help. */
export function expectation(spec: FlagSpec): string {
  switch (spec.type) {
    case 'number':
      return 'a finite number';
    case 'integer':
      return 'an integer';
    case 'string':
      return `a non-empty ${spec.meta ?? 'string'}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${[...spec.choices.map((c) => `'${c}'`), ...(spec.prefixes ?? []).map((p) => `'${p}…'`)].join(', ')}`;
    case 'range':
      return 'integers as a..b, a..b:step or a,b,c';
  }
}

function parseDecimal(flag: string, text: string, spec: FlagSpec): number {
  if (!DECIMAL.test(text))
    throw new ArgumentError(`${flag}: expected ${expectation(spec)}, got ${describeValue(text)}`);
  return Number(text);
}

function parseInteger(flag: string, text: string, spec: FlagSpec): number {
  // digits only: '1e3' or '1.0' for an integer flag is more likely a slip than a request for 1000
  if (!/^[+-]?\d+$/.test(text.trim()))
    throw new ArgumentError(`${flag}: expected an integer, got ${describeValue(text)}`);
  const v = parseDecimal(flag, text, spec);
  if (!Number.isSafeInteger(v))
    throw new ArgumentError(`${flag}: expected an integer, got ${describeValue(text)}`);
  return v;
}

function parseRange(flag: string, text: string, spec: RangeFlag): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^([+-]?\d+)\.\.([+-]?\d+)(?::(\d+))?$/.exec(part.trim());
    if (m) {
      const lo = Number(m[1]);
      const hi = Number(m[2]);
      const step = m[3] === undefined ? 1 : Number(m[3]);
      if (lo > hi || step < 1) {
        throw new ArgumentError(
          `${flag}: expected a..b:step with a <= b and step >= 1, got ${describeValue(part)}`,
        );
      }
      if ((hi - lo) / step + out.length >= MAX_RANGE_LENGTH) {
        throw new OutOfRangeError(
          `${flag}: expected at most ${MAX_RANGE_LENGTH} values, got ${describeValue(part)}`,
        );
      }
      for (let v = lo; v <= hi; v += step) out.push(v);
    } else {
      out.push(parseInteger(flag, part.trim(), spec));
    }
  }
  const range = { integer: true, ...bounds(spec) };
  for (const v of out) checkNumber(`${flag} element`, v, range);
  return out;
}

function bounds(spec: { min?: number; max?: number; gt?: number; lt?: number }) {
  const r: { min?: number; max?: number; gt?: number; lt?: number } = {};
  if (spec.min !== undefined) r.min = spec.min;
  if (spec.max !== undefined) r.max = spec.max;
  if (spec.gt !== undefined) r.gt = spec.gt;
  if (spec.lt !== undefined) r.lt = spec.lt;
  return r;
}

/**
 * Parses one flag's text. Syntax errors throw ArgumentError, bound violations OutOfRangeError;
 * both name the flag (`--lr`), the expectation and the value.
 */
export function parseFlagValue(flag: string, text: string, spec: FlagSpec): unknown {
  switch (spec.type) {
    case 'number':
      return checkNumber(flag, parseDecimal(flag, text, spec), bounds(spec));
    case 'integer':
      return checkNumber(flag, parseInteger(flag, text, spec), { integer: true, ...bounds(spec) });
    case 'string':
      if (text === '') throw new ArgumentError(`${flag}: expected ${expectation(spec)}, got ""`);
      return text;
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new ArgumentError(`${flag}: expected true or false, got ${describeValue(text)}`);
    case 'enum':
      if (spec.prefixes?.some((p) => text.startsWith(p) && text.length > p.length)) return text;
      if (spec.prefixes !== undefined && !spec.choices.includes(text))
        throw new ArgumentError(`${flag}: expected ${expectation(spec)}, got ${describeValue(text)}`);
      return checkOneOf(flag, text, spec.choices);
    case 'range':
      return parseRange(flag, text, spec);
  }
}
