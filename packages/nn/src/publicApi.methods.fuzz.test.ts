import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import { fromTypedArray, type Tensor, tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import * as N from './index.js';

// Methods of @tenzo/nn's objects (issue #22): GPT.forward, Module.stateDict/loadStateDict,
// Optimizer.step/stateDict/loadStateDict, Linear.forward — called with arguments of every wrong
// type, shape and value. Each returned value is checked: logits' shape and that the last
// position's logits do not depend on later tokens (causality), a state loaded and read back
// equals the state given, an Adam/SGD step equals its update rule computed here.

const gpt = () =>
  new N.GPT({ vocabSize: 7, maxSeqLen: 5, dModel: 8, nHeads: 2, nLayers: 1, dtype: 'float64' }, new Rng(1));
const model = gpt();
const ids = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }))
    .chain(([b, t]) =>
      fc
        .array(fc.integer({ min: 0, max: 6 }), { minLength: b * t, maxLength: b * t })
        .map((v) => [b, t, v] as const),
    )
    .map(([b, t, v]) => tensor(v, { shape: [b, t] })),
  fc.constantFrom(
    () => tensor([[1, 2, 9]]),
    () => tensor([[1, -1]]),
    () => tensor([[0, 1, 2, 3, 4, 5]]),
    () => tensor([1, 2]),
    () => tensor([[0.5, 1]], { dtype: 'float64' }),
    () => tensor([[Number.NaN, 1]], { dtype: 'float64' }),
  ),
  junk,
);
const made = (v: unknown): unknown =>
  typeof v === 'function' && v.length === 0 ? (v as () => unknown)() : v;
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) =>
  a.length === b.length &&
  Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)));

const linear = () => new N.Linear(3, 2, new Rng(2), { dtype: 'float64' });
const stateArb = fc.oneof(
  junk,
  fc.constant('OWN'),
  fc.constant('SHIFTED'),
  fc.constant('NAN'),
  fc.constant('WRONG_SHAPE'),
  fc.constant('EXTRA'),
  fc.constant('MISSING'),
  fc.dictionary(
    fc.constantFrom('weight', 'bias', 'x'),
    fc.oneof(junk, fc.constant(fromTypedArray(new Float64Array(2), [2]))),
  ),
);
function stateFor(kind: unknown, m: N.Linear): unknown {
  const own = m.stateDict();
  const copy = (f: (v: number) => number) =>
    Object.fromEntries(
      Object.entries(own).map(([k, t]) => [k, fromTypedArray(Float64Array.from(t.data, f), t.shape)]),
    );
  if (kind === 'OWN') return copy((v) => v);
  if (kind === 'SHIFTED') return copy((v) => v + 1);
  if (kind === 'NAN') return copy(() => Number.NaN);
  if (kind === 'WRONG_SHAPE') return { ...copy((v) => v), bias: fromTypedArray(new Float64Array(3), [3]) };
  if (kind === 'EXTRA') return { ...copy((v) => v), extra: fromTypedArray(new Float64Array(1), [1]) };
  if (kind === 'MISSING') return { weight: copy((v) => v).weight };
  return kind;
}

describePublicApi('@tenzo/nn methods', [
  apiCase({
    name: 'GPT.forward',
    args: fc.tuple(ids),
    call: (i) => {
      const x = made(i) as Tensor;
      return [x, model.forward(x)] as const;
    },
    // [B, T, V] finite logits, and the first position's logits do not see later tokens
    ok: (r) => {
      const [x, y] = r as [Tensor, Tensor];
      const [b, t] = x.shape as [number, number];
      if (y.shape.join() !== [b, t, 7].join() || !y.toFlat().every(Number.isFinite)) return false;
      const first = model.forward(x.slice([0, 0], [1, 1]));
      return close(first.toFlat(), y.slice([0, 0, 0], [1, 1, 7]).toFlat(), 1e-9);
    },
    runs: 250,
  }),
  apiCase({
    name: 'GPT(config)',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record(
          {
            vocabSize: anyNumber,
            maxSeqLen: anyNumber,
            dModel: fc.oneof(anyNumber, fc.constant(8)),
            nHeads: fc.oneof(anyNumber, fc.constant(2)),
            nLayers: fc.oneof(anyNumber, fc.constant(1)),
            dtype: fc.oneof(junk, fc.constant('float64')),
          },
          { requiredKeys: [] },
        ),
      ),
      fc.oneof(junk, fc.constant(new Rng(3))),
    ),
    call: (c, rng) => {
      const m = new N.GPT(c as never, rng as Rng);
      return m.forward(tensor([[0]]));
    },
    ok: (r, [c]) => {
      const y = r as Tensor;
      const v = (c as { vocabSize: number }).vocabSize;
      return y.shape.join() === [1, 1, v].join() && y.toFlat().every(Number.isFinite);
    },
    runs: 150,
  }),
  apiCase({
    name: 'Module.loadStateDict',
    args: fc.tuple(
      stateArb,
      fc.oneof(fc.constant(undefined), junk, fc.record({ strict: fc.oneof(junk, fc.boolean()) })),
    ),
    call: (kind, opts) => {
      const m = linear();
      const state = stateFor(kind, m);
      const report = m.loadStateDict(state as Record<string, Tensor>, opts as { strict?: boolean });
      return [state, report, m.stateDict()] as const;
    },
    // every given key's values are now the module's; the report lists exactly the others
    ok: (r) => {
      const [state, report, after] = r as [
        Record<string, Tensor>,
        { missing: string[]; unexpected: string[] },
        Record<string, Tensor>,
      ];
      const given = Object.keys(state);
      return (
        Object.entries(after).every(([k, t]) => !(k in state) || close(t.data, state[k]!.data, 0)) &&
        report.missing.every((k) => !given.includes(k)) &&
        report.unexpected.every((k) => !(k in after)) &&
        Object.values(after).every((t) => t.toFlat().every(Number.isFinite))
      );
    },
    runs: 200,
  }),
  apiCase({
    name: 'Linear.forward',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.constantFrom(
          () => tensor([[1, 2, 3]], { dtype: 'float64' }),
          () => tensor([1, 2, 3], { dtype: 'float64' }),
          () => tensor([[1, 2]], { dtype: 'float64' }),
          () => tensor([[1, 2, 3]], { dtype: 'float32' }),
        ),
      ),
    ),
    call: (x) => {
      const m = linear();
      const xx = made(x) as Tensor;
      return [m, xx, m.forward(xx)] as const;
    },
    // x·Wᵀ + b, entry by entry
    ok: (r) => {
      const [m, x, y] = r as [N.Linear, Tensor, Tensor];
      const w = m.stateDict().weight!.toArray() as number[][];
      const b = m.stateDict().bias!.toFlat();
      const xv = x.toFlat();
      const want = w.map((row, o) => row.reduce((s, wv, i) => s + wv * xv[i]!, b[o]!));
      return close(y.toFlat(), want, 1e-6);
    },
    runs: 100,
  }),
  apiCase({
    name: 'Optimizer.step',
    args: fc.tuple(
      fc.constantFrom('adam', 'sgd'),
      fc.oneof(anyNumbers, fc.constant([0.5, -1]), fc.constant(Float64Array.of(1, 2, 3))),
      fc.oneof(anyNumber, fc.constant(0.1)),
    ),
    call: (kind, g, lr) => {
      const p = fromTypedArray(Float64Array.of(1, -2), [2]);
      p.setRequiresGrad();
      const opt =
        kind === 'adam' ? new N.Adam([p], { lr: lr as number }) : new N.SGD([p], { lr: lr as number });
      // a list becomes a gradient tensor of its length; junk is set as the gradient itself
      const grad = Array.isArray(g) || ArrayBuffer.isView(g) ? Float64Array.from(g as ArrayLike<number>) : g;
      p.grad = (grad instanceof Float64Array ? fromTypedArray(grad, [grad.length]) : grad) as Tensor;
      opt.step();
      return [kind, grad, lr, p.toFlat()] as const;
    },
    // SGD: p − lr·g; Adam's first step: p − lr·sign(g) (bias-corrected m/√v, up to ε)
    ok: (r) => {
      const [kind, g, lr, p] = r as [string, Float64Array, number, number[]];
      // no gradient (null/undefined): the parameter is skipped, as in PyTorch
      if (g === null || g === undefined) return p[0] === 1 && p[1] === -2;
      if (!(g instanceof Float64Array) || g.length !== 2) return false;
      const want = [1, -2].map((v, i) =>
        kind === 'sgd' ? v - lr * g[i]! : v - (lr * g[i]!) / (Math.abs(g[i]!) + 1e-8),
      );
      return close(p, want, 1e-6);
    },
    runs: 200,
  }),
  apiCase({
    name: 'Optimizer.loadStateDict',
    args: fc.tuple(
      fc.oneof(
        // a valid state, so that the loaded-and-read-back branch is checked too
        fc.constant({
          meta: { kind: 'adam', lr: 0.01, stepCount: 3 },
          slots: {
            'exp_avg.0': fromTypedArray(Float64Array.of(0.1, 0.2), [2]),
            'exp_avg_sq.0': fromTypedArray(Float64Array.of(0.01, 0.04), [2]),
          },
        }),
        junk,
        fc.record(
          {
            meta: fc.oneof(
              junk,
              fc.record(
                { kind: fc.oneof(junk, fc.constantFrom('adam', 'sgd')), lr: anyNumber, stepCount: anyNumber },
                { requiredKeys: [] },
              ),
            ),
            slots: fc.oneof(
              junk,
              fc.constant({}),
              fc.dictionary(
                fc.constantFrom('exp_avg.0', 'exp_avg_sq.0', 'exp_avg.5', 'bogus', 'exp_avg.-1', 'm.x'),
                fc.oneof(
                  junk,
                  fc.constantFrom(
                    fromTypedArray(Float64Array.of(0.1, 0.2), [2]),
                    fromTypedArray(Float64Array.of(Number.NaN, 0), [2]),
                    fromTypedArray(new Float64Array(3), [3]),
                  ),
                ),
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    call: (s) => {
      const p = fromTypedArray(Float64Array.of(1, -2), [2]).setRequiresGrad();
      const opt = new N.Adam([p], { lr: 0.1 });
      opt.loadStateDict(s as N.OptimizerState);
      return [s, opt.stateDict()] as const;
    },
    // loaded and read back: the same meta and the same (finite) slots
    ok: (r) => {
      const [s, back] = r as [N.OptimizerState, N.OptimizerState];
      return (
        back.meta.kind === 'adam' &&
        Number.isFinite(back.meta.lr) &&
        back.meta.lr >= 0 &&
        Number.isInteger(back.meta.stepCount) &&
        back.meta.stepCount >= 0 &&
        back.meta.lr === s.meta.lr &&
        Object.entries(s.slots).every(
          ([k, t]) => back.slots[k] !== undefined && close(back.slots[k]!.data, t.data, 0),
        ) &&
        Object.values(back.slots).every((t) => t.toFlat().every(Number.isFinite))
      );
    },
    runs: 200,
  }),
]);
