import { FormatError } from '../errors.js';

/** Limits of `parseJsonStrict` on untrusted JSON: nesting depth and members per object. */
export interface StrictJsonOptions {
  /** deepest nesting of arrays and objects (default 256) */
  readonly maxDepth?: number;
  /** most members one object may have (default unlimited) */
  readonly maxMembers?: number;
}

/**
 * JSON.parse for files tenzo reads, stricter where the built-in is lenient in ways that hide
 * corruption: a byte-order mark or anything but JSON around the value, duplicate keys (JSON.parse
 * keeps the last one silently), and keys such as `__proto__` (objects come back with a null
 * prototype, so every key is an own data property). Errors are `FormatError`s that name `source`,
 * the position and the path of the offending value.
 */
export function parseJsonStrict(text: string, source: string, opts: StrictJsonOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? 256;
  const maxMembers = opts.maxMembers ?? Number.POSITIVE_INFINITY;
  let i = 0;
  const n = text.length;
  const fail = (what: string, path: string): never => {
    throw new FormatError(`${source}: ${what} at character ${i}${path === '' ? '' : ` (in ${path})`}`);
  };
  const ws = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    }
  };
  const str = (path: string): string => {
    // text[i] is the opening quote
    const start = ++i;
    let out = '';
    let from = start;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(from, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('a control character inside a string', path);
      if (c === 0x5c) {
        out += text.slice(from, i);
        const e = text[++i];
        if (e === 'u') {
          const hex = text.slice(i + 1, i + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('a bad \\u escape', path);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
        } else {
          const m = ESCAPES[e ?? ''];
          if (m === undefined) fail(`a bad escape \\${e ?? ''}`, path);
          out += m;
        }
        from = i + 1;
      }
    }
    return fail('an unterminated string', path);
  };
  const value = (path: string, depth: number): unknown => {
    ws();
    if (i >= n) fail('unexpected end of the text', path);
    const c = text[i]!;
    if (c === '{') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`, path);
      i++;
      const obj: Record<string, unknown> = Object.create(null);
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a key (a string) expected', path);
        const key = str(path);
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, path);
        seen.add(key);
        if (seen.size > maxMembers) fail(`more than ${maxMembers} members in one object`, path);
        ws();
        if (text[i] !== ':') fail("':' expected", path);
        i++;
        obj[key] = value(path === '' ? key : `${path}.${key}`, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("',' or '}' expected", path);
      }
    }
    if (c === '[') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`, path);
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${path}[${arr.length}]`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("',' or ']' expected", path);
      }
    }
    if (c === '"') return str(path);
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail(`unexpected ${JSON.stringify(c)}`, path);
    i += m[0].length;
    return Number(m[0]);
  };
  if (text.charCodeAt(0) === 0xfeff) fail('a byte-order mark before the JSON', '');
  const v = value('', 0);
  ws();
  if (i < n) fail('trailing characters after the JSON value', '');
  return v;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
