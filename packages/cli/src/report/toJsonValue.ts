import { ArgumentError } from '@tenzo/core';

/**
 * Converts a results object into plain JSON data, so reports never silently lose content:
 * JSON.stringify turns a Float32Array into {"0":…,"1":…}, throws on bigint and drops Maps.
 * Here typed arrays become arrays, bigints strings, Maps objects, Sets arrays, Errors
 * `{ name, message, code? }`; NaN and ±Infinity become null (as in JSON.stringify). Cycles throw.
 */
export function toJsonValue(value: unknown, path = '$', seen = new Set<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v) =>
      typeof v === 'bigint' ? v.toString() : Number.isFinite(v) ? v : null,
    );
  }
  const obj = value as object;
  if (seen.has(obj)) throw new ArgumentError(`${path}: expected acyclic data, got a reference cycle`);
  if (value instanceof Date) return value.toISOString();
  seen.add(obj);
  try {
    if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${path}[${i}]`, seen) ?? null);
    if (value instanceof Set) return [...value].map((v, i) => toJsonValue(v, `${path}[${i}]`, seen) ?? null);
    const entries: [string, unknown][] =
      value instanceof Map ? [...value].map(([k, v]) => [String(k), v]) : Object.entries(value);
    const out: Record<string, unknown> = {};
    if (value instanceof Error) {
      out.name = value.name;
      out.message = value.message;
    }
    for (const [k, v] of entries) {
      const j = toJsonValue(v, `${path}.${k}`, seen);
      if (j !== undefined) out[k] = j;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
