import { describeValue, FormatError, type Rng } from '@tenzo/core';
import type { PhysicalDevice } from '../device.js';
import {
  expandBound,
  type InitSegment,
  PROTOCOL_VERSION,
  WIRE_DTYPES,
  type WireBound,
  type WireDtype,
} from './protocol.js';

/** A validated `describe` answer, bounds expanded to one value per parameter. */
export interface DeviceDescription
  extends Pick<PhysicalDevice, 'name' | 'inputSize' | 'outputSize' | 'paramSize' | 'units' | 'bounds'> {
  readonly paramStep: number | null;
  readonly init: readonly InitSegment[];
  readonly outputRange: { readonly min: number; readonly max: number } | null;
  readonly dtypes: readonly WireDtype[];
  readonly replayCache: number;
  readonly maxBodyBytes: number;
  readonly maxRows: number;
}

type Obj = Record<string, unknown>;

/**
 * Checks a `describe` body field by field; anything off throws `FormatError` naming `where`
 * (the device's URL), the field, what was expected and what came.
 */
export function parseDescription(where: string, body: unknown): DeviceDescription {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new FormatError(`${where}: describe.${field}: expected ${expected}, got ${describeValue(got)}`);
  };
  const obj = (v: unknown, field: string): Obj =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : fail(field, 'an object', v);
  const int = (v: unknown, field: string, min: number): number =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= 2 ** 31
      ? (v as number)
      : fail(field, `an integer in [${min}, 2^31]`, v);
  const num = (v: unknown, field: string): number =>
    typeof v === 'number' && Number.isFinite(v) ? v : fail(field, 'a finite number', v);
  const str = (v: unknown, field: string): string =>
    typeof v === 'string' && v.length <= 1000 ? v : fail(field, 'a string', v);

  const b = obj(body, '(body)');
  if (b.protocol !== 'tenzo-device') fail('protocol', "'tenzo-device'", b.protocol);
  if (b.version !== PROTOCOL_VERSION) fail('version', `${PROTOCOL_VERSION} (this client)`, b.version);
  const inputSize = int(b.inputSize, 'inputSize', 1);
  const outputSize = int(b.outputSize, 'outputSize', 1);
  const paramSize = int(b.paramSize, 'paramSize', 0);
  const u = obj(b.units, 'units');
  const units = {
    input: str(u.input, 'units.input'),
    output: str(u.output, 'units.output'),
    param: str(u.param, 'units.param'),
  };
  const bo = obj(b.bounds, 'bounds');
  const bound = (v: unknown, field: string, inf: number): Float64Array => {
    const ok = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
    if (!(ok(v) || (Array.isArray(v) && v.length === paramSize && v.every(ok))))
      fail(field, `a number, null (unbounded) or an array of ${paramSize} of them`, v);
    return expandBound(v as WireBound, paramSize, inf);
  };
  const lower = bound(bo.lower, 'bounds.lower', Number.NEGATIVE_INFINITY);
  const upper = bound(bo.upper, 'bounds.upper', Number.POSITIVE_INFINITY);
  for (let i = 0; i < paramSize; i++)
    if (!(lower[i]! <= upper[i]!)) fail(`bounds[${i}]`, 'lower <= upper', `[${lower[i]}, ${upper[i]}]`);
  const paramStep = b.paramStep === null || b.paramStep === undefined ? null : num(b.paramStep, 'paramStep');
  if (paramStep !== null && paramStep <= 0) fail('paramStep', 'a number > 0 or null', paramStep);
  if (!Array.isArray(b.init)) fail('init', 'an array of segments', b.init);
  const init: InitSegment[] = [];
  let covered = 0;
  for (const [k, raw] of (b.init as unknown[]).entries()) {
    const s = obj(raw, `init[${k}]`);
    const count = int(s.count, `init[${k}].count`, 0);
    covered += count;
    if (s.kind === 'uniform')
      init.push({
        count,
        kind: 'uniform',
        center: num(s.center, `init[${k}].center`),
        halfWidth: num(s.halfWidth, `init[${k}].halfWidth`),
      });
    else if (s.kind === 'normal')
      init.push({
        count,
        kind: 'normal',
        mean: num(s.mean, `init[${k}].mean`),
        std: num(s.std, `init[${k}].std`),
      });
    else if (s.kind === 'constant')
      init.push({ count, kind: 'constant', value: num(s.value, `init[${k}].value`) });
    else fail(`init[${k}].kind`, "'uniform', 'normal' or 'constant'", s.kind);
  }
  if (covered !== paramSize)
    fail('init', `segments covering paramSize = ${paramSize} entries`, `${covered} entries`);
  let outputRange: DeviceDescription['outputRange'] = null;
  if (b.outputRange !== null && b.outputRange !== undefined) {
    const r = obj(b.outputRange, 'outputRange');
    outputRange = { min: num(r.min, 'outputRange.min'), max: num(r.max, 'outputRange.max') };
    if (outputRange.min > outputRange.max)
      fail('outputRange', 'min <= max', `[${outputRange.min}, ${outputRange.max}]`);
  }
  const caps = obj(b.capabilities, 'capabilities');
  const dtypes = caps.dtypes;
  if (!Array.isArray(dtypes) || !dtypes.includes('float64') || !dtypes.every((d) => WIRE_DTYPES.includes(d)))
    fail('capabilities.dtypes', "a list of 'float64' and optionally 'float32'", dtypes);
  const limits = obj(b.limits, 'limits');
  return {
    name: str(b.name, 'name'),
    inputSize,
    outputSize,
    paramSize,
    units,
    bounds: { lower, upper },
    paramStep,
    init,
    outputRange,
    dtypes: dtypes as WireDtype[],
    replayCache: int(caps.replayCache, 'capabilities.replayCache', 0),
    maxBodyBytes: int(limits.maxBodyBytes, 'limits.maxBodyBytes', 1),
    maxRows: int(limits.maxRows, 'limits.maxRows', 1),
  };
}

/** Draws ω from the described initialisation distribution (the simulators' own formulas). */
export function sampleInit(init: readonly InitSegment[], rng: Rng, out: Float64Array): Float64Array {
  let i = 0;
  for (const s of init) {
    for (let k = 0; k < s.count; k++, i++) {
      if (s.kind === 'uniform') out[i] = s.center + s.halfWidth * (2 * rng.uniform() - 1);
      else if (s.kind === 'normal') out[i] = s.mean + s.std * rng.normal();
      else out[i] = s.value;
    }
  }
  return out;
}
