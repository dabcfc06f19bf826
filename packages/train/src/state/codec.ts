import { FormatError, type StateRecord, type StateValue } from '@tenzo/core';

/** The typed arrays a state may hold, by the name the codec stores with each. */
const ARRAY_TYPES = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;
type StateArray = Float64Array | Float32Array | Int32Array | Uint32Array;

/**
 * A state split for storage: its typed arrays by key (float32 arrays as float32, every other
 * kind as float64, which holds int32 and uint32 values exactly) and the rest as JSON text in
 * which each array is a `{"$array": key, "type": …}` reference. Numbers JSON cannot carry
 * (±∞, NaN, −0) are `{"$number": "…"}`, so every float64 comes back with its exact bits.
 */
export interface EncodedState {
  readonly arrays: Record<string, Float64Array | Float32Array>;
  readonly json: string;
}

function typeName(v: object): ArrayTypeName | null {
  for (const [name, Ctor] of Object.entries(ARRAY_TYPES)) if (v instanceof Ctor) return name as ArrayTypeName;
  return null;
}

/** Splits a state into arrays and JSON (see {@link EncodedState}); keys are the arrays' paths. */
export function encodeState(state: StateRecord): EncodedState {
  const arrays: Record<string, Float64Array | Float32Array> = {};
  const walk = (v: StateValue, path: string): unknown => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) return { $number: Object.is(v, -0) ? '-0' : String(v) };
      return v;
    }
    if (ArrayBuffer.isView(v)) {
      const type = typeName(v);
      if (type === null)
        throw new FormatError(
          `encodeState: '${path}' is a ${v.constructor.name}; supported: ${Object.keys(ARRAY_TYPES).join(', ')}`,
        );
      const a = v as StateArray;
      arrays[path] = a instanceof Float32Array ? a.slice() : Float64Array.from(a);
      return { $array: path, type };
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x as StateValue, `${path}/${i}`));
    if (typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // an absent optional member, as JSON.stringify treats it
        if (x === undefined) continue;
        if (k.startsWith('$'))
          throw new FormatError(
            `encodeState: key '${k}' at '${path}' starts with '$', which the codec reserves`,
          );
        out[k] = walk(x as StateValue, path === '' ? k : `${path}/${k}`);
      }
      return out;
    }
    throw new FormatError(`encodeState: '${path}' holds a ${typeof v}, which a state cannot carry`);
  };
  const json = JSON.stringify(walk(state, ''));
  return { arrays, json };
}

/** Rebuilds a state from {@link encodeState}'s output; `source` names it in errors. */
export function decodeState(encoded: EncodedState, source = 'state'): StateRecord {
  if (typeof source !== 'string')
    throw new FormatError(`decodeState: source expected a string, got ${typeof source}`);
  if (encoded === null || typeof encoded !== 'object' || typeof encoded.json !== 'string')
    throw new FormatError(`${source}: expected { arrays, json } with json a string, got ${typeof encoded}`);
  if (encoded.arrays === null || typeof encoded.arrays !== 'object')
    throw new FormatError(
      `${source}: expected { arrays, json } with arrays an object, got ${typeof encoded.arrays}`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(encoded.json);
  } catch (cause) {
    throw new FormatError(`${source}: the state's JSON does not parse`, { cause });
  }
  const walk = (v: unknown, path: string): StateValue => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}/${i}`));
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('$number' in o) {
        const s = o.$number;
        if (s === '-0') return -0;
        if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return Number(s);
        throw new FormatError(
          `${source}: '${path}' expected a $number of NaN, ±Infinity or -0, got ${JSON.stringify(s)}`,
        );
      }
      if ('$array' in o) {
        const key = o.$array;
        const type = o.type;
        const a = typeof key === 'string' ? encoded.arrays[key] : undefined;
        if (a === undefined)
          throw new FormatError(
            `${source}: '${path}' refers to array ${JSON.stringify(key)}, which is missing`,
          );
        if (typeof type !== 'string' || !(type in ARRAY_TYPES))
          throw new FormatError(
            `${source}: '${path}' has array type ${JSON.stringify(type)}; expected one of ${Object.keys(ARRAY_TYPES).join(', ')}`,
          );
        const Ctor = ARRAY_TYPES[type as ArrayTypeName];
        if (Ctor === Float32Array || Ctor === Float64Array) {
          if (!(a instanceof Ctor))
            throw new FormatError(`${source}: '${path}' expected ${type} data, got ${a.constructor.name}`);
          return a.slice();
        }
        const out = new Ctor(a.length);
        const lo = Ctor === Int32Array ? -(2 ** 31) : 0;
        const hi = Ctor === Int32Array ? 2 ** 31 - 1 : 2 ** 32 - 1;
        for (let i = 0; i < a.length; i++) {
          const x = a[i]!;
          if (!Number.isInteger(x) || x < lo || x > hi)
            throw new FormatError(`${source}: '${path}'[${i}] = ${x} is not a ${type} value`);
          out[i] = x;
        }
        return out;
      }
      const out: Record<string, StateValue> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x, path === '' ? k : `${path}/${k}`);
      return out;
    }
    throw new FormatError(`${source}: '${path}' is not a state value`);
  };
  const state = walk(raw, '');
  if (state === null || typeof state !== 'object' || Array.isArray(state) || ArrayBuffer.isView(state))
    throw new FormatError(
      `${source}: expected an object at the top of the state, got ${JSON.stringify(raw)?.slice(0, 60)}`,
    );
  return state as StateRecord;
}
