import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { customOp } from './autograd/customOp.js';
import { randn, tensor } from './creation.js';
import { gradCheck } from './gradCheck.js';
import { concat, pad, stack } from './ops/shape.js';
import type { Tensor } from './tensor.js';

const TOL = 1e-6;
const rng = new Rng(1234);
const r = (shape: number[]) => randn(shape, rng, { dtype: 'float64' });
/** values bounded away from 0 (for log, sqrt, div, pow, abs, relu kinks) */
const pos = (shape: number[]) => r(shape).abs().add(0.5);

function expectGrad(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) {
  const res = gradCheck(f, inputs);
  expect(res.maxRelError, `${name}: rel errors ${res.relErrors.join(', ')}`).toBeLessThanOrEqual(TOL);
}

describe('gradient checks against central differences (float64, rel err ≤ 1e-6)', () => {
  const unaryCases: [string, (x: Tensor) => Tensor, () => Tensor][] = [
    ['neg', (x) => x.neg(), () => r([3, 4])],
    ['exp', (x) => x.exp(), () => r([3, 4])],
    ['log', (x) => x.log(), () => pos([3, 4])],
    ['sqrt', (x) => x.sqrt(), () => pos([3, 4])],
    ['abs', (x) => x.abs(), () => pos([3, 4]).mul(r([3, 4]).sign())],
    ['tanh', (x) => x.tanh(), () => r([3, 4])],
    ['sigmoid', (x) => x.sigmoid(), () => r([3, 4]).mul(3)],
    ['relu', (x) => x.relu(), () => pos([3, 4]).mul(r([3, 4]).sign())],
    ['gelu (erf)', (x) => x.gelu(), () => r([3, 4]).mul(2)],
    ['gelu (tanh)', (x) => x.gelu({ approximate: 'tanh' }), () => r([3, 4]).mul(2)],
    ['sin', (x) => x.sin(), () => r([3, 4])],
    ['cos', (x) => x.cos(), () => r([3, 4])],
    ['square', (x) => x.square(), () => r([3, 4])],
    ['reciprocal', (x) => x.reciprocal(), () => pos([3, 4])],
    ['clamp', (x) => x.clamp(-0.5, 0.7), () => r([4, 5])],
    ['softmax', (x) => x.softmax(), () => r([3, 5])],
    ['softmax axis 0', (x) => x.softmax(0), () => r([3, 5])],
    ['logSoftmax', (x) => x.logSoftmax(), () => r([3, 5])],
    ['logSoftmax axis 1 of 3-D', (x) => x.logSoftmax(1), () => r([2, 3, 4])],
  ];
  for (const [name, f, make] of unaryCases) it(name, () => expectGrad(name, f, [make()]));

  // every broadcasting pattern: equal, scalar, row, column, leading dims, both sides
  const shapePairs: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], []],
    [[], [3, 4]],
    [[3, 4], [4]],
    [
      [3, 4],
      [3, 1],
    ],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [
      [1, 4],
      [3, 1],
    ],
  ];
  const binaryCases: [string, (a: Tensor, b: Tensor) => Tensor, boolean][] = [
    ['add', (a, b) => a.add(b), false],
    ['sub', (a, b) => a.sub(b), false],
    ['mul', (a, b) => a.mul(b), false],
    ['div', (a, b) => a.div(b), true],
    ['pow', (a, b) => a.pow(b), true],
    ['maximum', (a, b) => a.maximum(b), false],
    ['minimum', (a, b) => a.minimum(b), false],
  ];
  for (const [name, f, positive] of binaryCases) {
    for (const [sa, sb] of shapePairs) {
      it(`${name} ${JSON.stringify(sa)} ∘ ${JSON.stringify(sb)}`, () => {
        const mk = positive ? pos : r;
        expectGrad(name, f, [mk(sa), mk(sb)]);
      });
    }
  }

  it('where (broadcast condition)', () => {
    const cond = tensor([1, 0, 1, 0], { dtype: 'float64' });
    expectGrad('where', (a, b) => cond.where(a, b), [r([3, 4]), r([3, 1])]);
  });

  // reductions over each axis of a 3-D tensor, with and without keepDims, plus axis pairs and all
  const axesCases: (number | number[] | undefined)[] = [0, 1, 2, -1, [0, 1], [0, 2], [1, 2], undefined];
  for (const axis of axesCases) {
    for (const keepDims of [false, true]) {
      const tag = `axis ${JSON.stringify(axis)}${keepDims ? ' keepDims' : ''}`;
      it(`sum ${tag}`, () => expectGrad('sum', (x) => x.sum({ axis, keepDims }), [r([2, 3, 4])]));
      it(`mean ${tag}`, () => expectGrad('mean', (x) => x.mean({ axis, keepDims }), [r([2, 3, 4])]));
      it(`max ${tag}`, () => expectGrad('max', (x) => x.max({ axis, keepDims }), [r([2, 3, 4])]));
      it(`min ${tag}`, () => expectGrad('min', (x) => x.min({ axis, keepDims }), [r([2, 3, 4])]));
      it(`variance ${tag}`, () =>
        expectGrad('variance', (x) => x.variance({ axis, keepDims, correction: 1 }), [r([2, 3, 4])]));
      it(`logsumexp ${tag}`, () =>
        expectGrad('logsumexp', (x) => x.logsumexp({ axis, keepDims }), [r([2, 3, 4])]));
    }
  }

  it('matmul 2-D, all transpose combinations', () => {
    expectGrad('mm', (a, b) => a.matmul(b), [r([3, 4]), r([4, 5])]);
    expectGrad('mm tB', (a, b) => a.matmul(b, { transposeB: true }), [r([3, 4]), r([5, 4])]);
    expectGrad('mm tA', (a, b) => a.matmul(b, { transposeA: true }), [r([4, 3]), r([4, 5])]);
    expectGrad('mm tA tB', (a, b) => a.matmul(b, { transposeA: true, transposeB: true }), [
      r([4, 3]),
      r([5, 4]),
    ]);
  });

  it('matmul batched with broadcast batch dims and vectors', () => {
    expectGrad('bmm', (a, b) => a.matmul(b), [r([2, 3, 4]), r([2, 4, 5])]);
    expectGrad('bmm broadcast', (a, b) => a.matmul(b), [r([2, 1, 3, 4]), r([3, 4, 2])]);
    expectGrad('bmm broadcast tB', (a, b) => a.matmul(b, { transposeB: true }), [r([2, 3, 4]), r([5, 4])]);
    expectGrad('vec-mat', (a, b) => a.matmul(b), [r([4]), r([4, 3])]);
    expectGrad('mat-vec', (a, b) => a.matmul(b), [r([3, 4]), r([4])]);
  });

  it('layout ops', () => {
    expectGrad('reshape', (x) => x.reshape([4, 3]).mul(tensor([1, 2, 3], { dtype: 'float64' })), [r([3, 4])]);
    expectGrad('permute', (x) => x.permute([2, 0, 1]), [r([2, 3, 4])]);
    expectGrad('transpose', (x) => x.T, [r([3, 4])]);
    expectGrad('slice', (x) => x.slice([1, 0, 2], [1, 2, 2]), [r([2, 3, 4])]);
    expectGrad(
      'pad',
      (x) =>
        pad(
          x,
          [
            [1, 0],
            [2, 3],
          ],
          0.5,
        ),
      [r([2, 3])],
    );
    expectGrad('concat', (a, b) => concat([a, b], 1), [r([2, 3]), r([2, 2])]);
    expectGrad('stack', (a, b) => stack([a, b], 1), [r([2, 3]), r([2, 3])]);
    expectGrad('split', (x) => x.split([1, 3], 1)[1]!.mul(2), [r([2, 4])]);
    expectGrad('broadcastTo', (x) => x.broadcastTo([2, 3, 4]), [r([3, 1])]);
    expectGrad('gather repeated', (x) => x.gather([2, 0, 2, 1], 1), [r([2, 3])]);
    expectGrad('squeeze/unsqueeze', (x) => x.unsqueeze(1).squeeze(1).flatten(), [r([2, 3])]);
  });

  it('composite expressions share subgraphs correctly', () => {
    expectGrad('shared', (x) => x.mul(x).add(x.exp()).div(x.square().add(1)).logSoftmax().sum({ axis: 0 }), [
      r([3, 4]),
    ]);
  });

  it('custom ops with a hand-written backward', () => {
    const cube = customOp({
      name: 'cube',
      forward: (x) => ({ output: x.mul(x).mul(x), saved: x.square() }),
      backward: (dy, { saved }) => [dy.mul(saved).mul(3)],
    });
    expectGrad('cube', (x) => cube(x), [r([3, 3])]);
  });

  it('detects a wrong backward (the checker can fail)', () => {
    const wrong = customOp({
      name: 'wrongSquare',
      forward: (x) => x.mul(x),
      backward: (dy, { inputs }) => [dy.mul(inputs[0]!).mul(2.001)],
    });
    expect(gradCheck((x) => wrong(x), [r([3, 3])]).maxRelError).toBeGreaterThan(1e-4);
  });
});
