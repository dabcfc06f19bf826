import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import * as core from './index.js';
import * as coreNode from './node.js';
import {
  anyNumber,
  anyNumbers,
  anySize,
  apiCase,
  describePublicApi,
  isFiniteArray,
  isInt,
  isNum,
  junk,
} from './testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tenzo-core-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const f64 = fc.oneof(
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { maxLength: 6 }).map((a) => Float64Array.from(a)),
  anyNumbers,
);
const rng = () => new core.Rng(1);
const isF64 = (x: unknown): x is Float64Array => x instanceof Float64Array;
const isFloatOut = (x: unknown) => x instanceof Float32Array || x instanceof Float64Array;

describePublicApi(
  '@tenzo/core',
  [
    apiCase({
      name: 'checkFinite',
      args: fc.tuple(fc.string(), anyNumber),
      call: (n, v) => core.checkFinite(n, v as number),
      valid: (_, v) => isNum(v),
    }),
    apiCase({
      name: 'checkNumber',
      args: fc.tuple(
        fc.string(),
        anyNumber,
        fc.constantFrom({}, { min: 0 }, { gt: 0, integer: true }, { max: 1 }),
      ),
      call: (n, v, r) => core.checkNumber(n, v, r),
      valid: (_, v, r) =>
        isNum(v) &&
        (!('min' in r) || v >= 0) &&
        (!('gt' in r) || (v > 0 && Number.isInteger(v))) &&
        (!('max' in r) || v <= 1),
    }),
    apiCase({
      name: 'checkInt',
      args: fc.tuple(fc.string(), anySize),
      call: (n, v) => core.checkInt(n, v, { positive: true }),
      valid: (_, v) => isInt(v, 1),
    }),
    apiCase({
      name: 'checkOneOf',
      args: fc.tuple(fc.string(), fc.oneof(fc.constantFrom('a', 'b', 'c'), junk)),
      call: (n, v) => core.checkOneOf(n, v, ['a', 'b']),
      valid: (_, v) => v === 'a' || v === 'b',
    }),
    apiCase({
      name: 'checkPowerOfTwo',
      args: fc.tuple(anySize),
      call: (v) => core.checkPowerOfTwo('n', v),
      valid: (v) => core.isPowerOfTwo(v as number),
    }),
    apiCase({
      name: 'isPowerOfTwo',
      args: fc.tuple(anyNumber),
      call: (v) => core.isPowerOfTwo(v as number),
      ok: (r) => typeof r === 'boolean',
    }),
    apiCase({
      name: 'checkAllFinite',
      args: fc.tuple(anyNumbers),
      call: (v) => core.checkAllFinite('x', v as number[]),
      valid: (v) =>
        isFiniteArray(v) ||
        (Array.isArray(v) && v.length === 0) ||
        (ArrayBuffer.isView(v) && isFiniteArray(Array.from(v as Float64Array).concat(0))),
    }),
    apiCase({
      name: 'checkNumbers',
      args: fc.tuple(anyNumbers, fc.constantFrom(1, 2, 3)),
      call: (v, len) => core.checkNumbers('x', v, { length: len }),
      valid: (v, len) => isFiniteArray(v, len),
    }),
    apiCase({
      name: 'checkProbabilities',
      args: fc.tuple(fc.oneof(anyNumbers, fc.constantFrom([1], [0.5, 0.5], [0.2, 0.8, 0]))),
      call: (v) => core.checkProbabilities('p', v),
      valid: (v) =>
        isFiniteArray(v) &&
        Array.from(v).every((x) => x >= 0) &&
        Math.abs(Array.from(v).reduce((a, b) => a + b, 0) - 1) < 1e-6,
    }),
    apiCase({
      name: 'checkFloat64Array',
      args: fc.tuple(f64),
      call: (v) => core.checkFloat64Array('x', v),
      valid: isF64,
      ok: () => true,
    }),
    apiCase({
      name: 'describeValue',
      args: fc.tuple(fc.oneof(junk, anyNumbers, fc.anything())),
      call: (v) => core.describeValue(v),
      ok: (r) => typeof r === 'string',
    }),
    apiCase({
      name: 'formatShape',
      args: fc.tuple(fc.oneof(junk, anyNumbers)),
      call: (v) => core.formatShape(v as number[]),
      ok: (r) => typeof r === 'string',
    }),
    apiCase({
      name: 'errors',
      args: fc.tuple(
        fc.constantFrom(
          core.ArgumentError,
          core.ShapeError,
          core.DTypeError,
          core.NonFiniteError,
          core.OutOfRangeError,
          core.FormatError,
          core.BudgetError,
          core.ConvergenceError,
          core.SingularMatrixError,
          core.BackendError,
          core.StateError,
          core.EvaluationError,
          core.IoError,
        ),
        fc.string(),
      ),
      call: (E, m) => new E(m),
      ok: (e) => e instanceof core.TenzoError && typeof e.code === 'string',
    }),
    ...[core.fft, core.ifft].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(f64, f64),
        call: (re, im) => f(re as Float64Array, im as Float64Array),
        valid: (re, im) => isF64(re) && isF64(im) && re.length === im.length,
      }),
    ),
    ...[core.fft2, core.ifft2].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(f64, f64, anySize, anySize),
        call: (re, im, r, c) => f(re as Float64Array, im as Float64Array, r as number, c as number),
        valid: (re, im, r, c) =>
          isF64(re) && isF64(im) && isInt(r, 1) && isInt(c, 1) && re.length === r * c && im.length === r * c,
      }),
    ),
    apiCase({
      name: 'RealFftPlan',
      args: fc.tuple(anySize),
      call: (n) => new core.RealFftPlan(n as number),
      valid: (n) => core.isPowerOfTwo(n as number),
      ok: () => true,
    }),
    apiCase({
      name: 'RealFftPlan.forward',
      args: fc.tuple(anyNumbers, f64, f64),
      call: (x, re, im) =>
        new core.RealFftPlan(2).forward(x as number[], re as Float64Array, im as Float64Array),
      valid: (x, re, im) => isFiniteArray(x, 2) && isF64(re) && isF64(im) && re.length >= 2 && im.length >= 2,
    }),
    apiCase({
      name: 'rfft',
      args: fc.tuple(anyNumbers),
      call: (x) => core.rfft(x as number[]),
      valid: (x) => isFiniteArray(x) && core.isPowerOfTwo(x.length),
    }),
    apiCase({
      name: 'Rng',
      args: fc.tuple(fc.oneof(anyNumber, fc.bigInt({ min: -3n, max: 2n ** 70n }))),
      call: (s) => new core.Rng(s as number),
      valid: (s) => isInt(s) || (typeof s === 'bigint' && s >= 0n),
      ok: () => true,
    }),
    apiCase({
      name: 'Rng.fromState',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            algorithm: fc.constantFrom('xoshiro256**', 'x'),
            words: anyNumbers,
            spareNormal: anyNumber,
          }),
        ),
      ),
      call: (st) => core.Rng.fromState(st as core.RngState),
      ok: (r) => r instanceof core.Rng,
    }),
    apiCase({
      name: 'Rng.setState',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            algorithm: fc.constant('xoshiro256**'),
            words: anyNumbers,
            spareNormal: fc.constant(null),
          }),
        ),
      ),
      call: (st) => rng().setState(st as core.RngState),
      ok: () => true,
    }),
    apiCase({
      name: 'Rng.uniformIn',
      args: fc.tuple(anyNumber, anyNumber),
      call: (a, b) => rng().uniformIn(a as number, b as number),
      valid: (a, b) => isNum(a) && isNum(b) && a <= b && Number.isFinite(b - a),
    }),
    apiCase({
      name: 'Rng.int',
      args: fc.tuple(anySize),
      call: (n) => rng().int(n as number),
      valid: (n) => isInt(n, 1, 2 ** 32),
    }),
    apiCase({
      name: 'Rng.permutation',
      args: fc.tuple(anySize),
      call: (n) => rng().permutation(n as number),
      valid: (n) => isInt(n, 0, 100),
    }),
    apiCase({
      name: 'Rng.shuffle',
      args: fc.tuple(anyNumbers),
      call: (a) => rng().shuffle(a as number[]),
      valid: (a) => Array.isArray(a) || ArrayBuffer.isView(a),
      ok: () => true,
    }),
    apiCase({
      name: 'Rng.fillNormal',
      args: fc.tuple(f64, anyNumber, anyNumber),
      call: (o, m, s) => rng().fillNormal(o as Float64Array, m as number, s as number),
      valid: (o, m, s) => isFloatOut(o) && isNum(m, -1e300, 1e300) && isNum(s, 0, 1e300),
      ok: (r) => core.checkNumbers('r', r, { finite: false }) !== undefined,
    }),
    apiCase({
      name: 'Rng.fillUniform',
      args: fc.tuple(f64, anyNumber, anyNumber),
      call: (o, a, b) => rng().fillUniform(o as Float64Array, a as number, b as number),
      valid: (o, a, b) => isFloatOut(o) && isNum(a) && isNum(b) && a <= b && Number.isFinite(b - a),
    }),
    apiCase({
      name: 'Rng.fillRademacher',
      args: fc.tuple(f64),
      call: (o) => rng().fillRademacher(o as Float64Array),
      valid: isFloatOut,
    }),
    apiCase({
      name: 'StateReader',
      args: fc.tuple(fc.string(), fc.oneof(junk, fc.dictionary(fc.string(), anyNumber))),
      call: (op, st) => new core.StateReader(op, st),
      valid: (_, st) => typeof st === 'object' && st !== null && !Array.isArray(st),
      ok: () => true,
    }),
    apiCase({
      name: 'StateReader.number',
      args: fc.tuple(fc.constantFrom('a', 'b'), fc.record({ a: anyNumber })),
      call: (k, st) => new core.StateReader('T.load', st).number(k),
      valid: (k, st) => k === 'a' && typeof st.a === 'number',
      ok: () => true, // a checkpoint keeps ±∞ and NaN as they were
    }),
    apiCase({
      name: 'StateReader.count',
      args: fc.tuple(fc.record({ a: anySize })),
      call: (st) => new core.StateReader('T.load', st).count('a'),
      valid: (st) => isInt(st.a),
    }),
    apiCase({
      name: 'StateReader.rng',
      args: fc.tuple(fc.record({ a: fc.oneof(junk, fc.constant(new core.Rng(3).getState())) })),
      call: (st) => new core.StateReader('T.load', st).rng('a'),
      ok: () => true,
    }),
    apiCase({
      name: 'writeFileAtomic',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('a.txt', '')),
        fc.oneof(junk, fc.constantFrom('x', new Uint8Array(2))),
      ),
      call: (p, d) =>
        coreNode.writeFileAtomic(
          typeof p === 'string' && p !== '' ? join(dir, p) : (p as string),
          d as string,
        ),
      valid: (p, d) =>
        typeof p === 'string' && p !== '' && (typeof d === 'string' || d instanceof Uint8Array),
      runs: 30,
    }),
    apiCase({
      name: 'writeJsonAtomic',
      args: fc.tuple(fc.oneof(junk, fc.constant('b.json'))),
      call: (p) => coreNode.writeJsonAtomic(p === 'b.json' ? join(dir, p) : (p as string), { a: 1 }),
      valid: (p) => p === 'b.json',
      runs: 30,
    }),
    apiCase({
      name: 'removeStaleTemps',
      args: fc.tuple(fc.oneof(junk, fc.constant('dir')), anyNumber),
      call: (d, age) =>
        coreNode.removeStaleTemps(d === 'dir' ? dir : (d as string), { maxAgeMs: age as number }),
      valid: (d, age) =>
        d === 'dir' && (isNum(age, 0) || age === Number.POSITIVE_INFINITY || age === undefined),
      ok: (r) => Array.isArray(r),
    }),
  ],
  { runs: 40 },
);
