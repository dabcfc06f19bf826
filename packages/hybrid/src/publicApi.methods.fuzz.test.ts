import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import { slmPhaseMatrix } from '@tenzo/devices';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import * as H from './index.js';

// Methods of PhysicalLayer (issue #22): forward, a backward pass with upstream gradients of every
// wrong shape and value, then estimateParamGrad; load with states mutated field by field. Each
// result is checked: the parameter gradient has the device's parameter count and finite entries
// (zero, with no query, when no batch awaits it); a state that loads reads back as given.

const make = (mode: NonNullable<H.PhysicalLayerOptions['mode']>) =>
  new H.PhysicalLayer(slmPhaseMatrix({ dIn: 4, dOut: 3 }), new Rng(2), {
    rank: 2,
    mode,
    zoSamples: 3,
    sketchSamples: 3,
    seed: 4,
  });
const xs = fc.oneof(
  fc
    .integer({ min: 1, max: 3 })
    .chain((b) =>
      fc
        .array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4 * b, maxLength: 4 * b })
        .map((v) => fromTypedArray(Float32Array.from(v), [b, 4])),
    ),
  fc.constantFrom(
    () => fromTypedArray(new Float32Array(3), [1, 3]),
    () => fromTypedArray(Float32Array.of(Number.NaN, 0, 0, 0), [1, 4]),
  ),
  junk,
);
const upstream = fc.oneof(
  fc.constant('ONES'),
  fc.constant('NONE'),
  fc.constant('NAN'),
  fc.constant('HUGE'),
  fc.constant('WRONG_SHAPE'),
  junk,
);
function gradFor(kind: unknown, y: Tensor): unknown {
  const fill = (v: number) => fromTypedArray(new Float32Array(y.size).fill(v), y.shape);
  if (kind === 'ONES') return fill(1);
  if (kind === 'NAN') return fill(Number.NaN);
  if (kind === 'HUGE') return fill(3e38);
  if (kind === 'WRONG_SHAPE') return fromTypedArray(new Float32Array(y.size + 1), [y.size + 1]);
  return kind;
}
const made = (v: unknown) => (typeof v === 'function' && v.length === 0 ? (v as () => unknown)() : v);
const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)) ===
  JSON.stringify(b, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));

describePublicApi('@tenzo/hybrid methods', [
  apiCase({
    name: 'PhysicalLayer.forward → backward → estimateParamGrad',
    args: fc.tuple(fc.constantFrom('exact', 'zo+surrogate', 'zo-only'), xs, upstream),
    call: async (mode, x, g) => {
      const layer = make(mode as NonNullable<H.PhysicalLayerOptions['mode']>);
      const y = await layer.forward(made(x) as Tensor);
      if (g !== 'NONE') y.backward(gradFor(g, y) as Tensor);
      return [layer, g, await layer.estimateParamGrad()] as const;
    },
    // p finite entries; nothing awaited (no backward): zeros and no query
    ok: (r) => {
      const [layer, g, rep] = r as [H.PhysicalLayer, unknown, H.ParamGradReport];
      const p = slmPhaseMatrix({ dIn: 4, dOut: 3 }).paramSize;
      if (!(rep.grad instanceof Float64Array) || rep.grad.length !== p || !rep.grad.every(Number.isFinite))
        return false;
      if (g === 'NONE') return rep.grad.every((v) => v === 0) && rep.queries === 0;
      return layer !== null;
    },
    runs: 450,
  }),
  apiCase({
    name: 'PhysicalLayer.load',
    args: fc.tuple(
      fc.constantFrom(
        'zoRng',
        'probeRng',
        'surrogate',
        'queries',
        'pending',
        'lastSurrogateCosine',
        'frozen',
        'faults',
        'drift',
        'device',
        'none',
      ),
      fc.oneof(
        junk,
        anyNumber,
        anyNumbers,
        fc.constant({}),
        fc.constant([{ X: new Float64Array(4), Y: new Float64Array(2), Ybar: null }]),
      ),
    ),
    call: async (field, value) => {
      const src = make('zo+surrogate');
      const y = await src.forward(fromTypedArray(Float32Array.of(1, 0.5, -1, 2), [1, 4]));
      y.backward(fromTypedArray(new Float32Array(y.size).fill(1), y.shape));
      const state = src.state() as unknown as Record<string, unknown>;
      const given = field === 'none' ? state : { ...state, [field]: value };
      const dst = make('zo+surrogate');
      dst.load(given as never);
      return [given, dst.state()] as const;
    },
    // loaded, then read back: the state given
    ok: (r) => {
      const [given, back] = r as [Record<string, unknown>, Record<string, unknown>];
      // states written before faults and drift were recorded omit them: they load as none
      const filled = { ...given };
      if (filled.faults === undefined && Object.values(back.faults as object).every((v) => v === 0))
        filled.faults = back.faults;
      if (filled.drift === undefined && back.drift === null) filled.drift = null;
      return same(filled, back);
    },
    runs: 600,
  }),
]);
