/**
 * Whether two runs' settings are the same, as a resumed run must check them: equal as JSON
 * values, with object members compared by name, not by position.
 *
 * Why not `JSON.stringify(a) === JSON.stringify(b)`: a command's flags come out of the parser in
 * the order they were typed, so `--seed 1 --epochs 2` and `--epochs 2 --seed 1` would differ and a
 * resume with the same flags in another order (or one made by `lm-hybrid --seeds`, which sets the
 * seed itself) would be refused. Array order still counts; members that are `undefined` are absent,
 * as in JSON; a value JSON cannot write (a bigint, a function, a cycle) equals nothing.
 */
export function sameSettings(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a ?? null, new Set()) === canonicalJson(b ?? null, new Set());
  } catch {
    return false;
  }
}

/** JSON text with every object's members sorted by name; throws on what JSON cannot write. */
function canonicalJson(v: unknown, open: Set<object>): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return JSON.stringify(v); // NaN and ±Infinity read back as null, as in JSON
  if (typeof v !== 'object') throw new TypeError(`a ${typeof v} has no JSON form`);
  if (open.has(v)) throw new TypeError('a cycle has no JSON form');
  open.add(v);
  try {
    if (Array.isArray(v))
      return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x, open))).join(',')}]`;
    const members = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x, open)}`);
    return `{${members.join(',')}}`;
  } finally {
    open.delete(v);
  }
}
