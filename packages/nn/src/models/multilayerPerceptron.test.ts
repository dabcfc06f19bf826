import { Rng } from '@tenzo/core';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../layers/activation.js';
import { Dropout } from '../layers/dropout.js';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../layers/sequential.js';
import { multilayerPerceptron } from './multilayerPerceptron.js';

describe('multilayerPerceptron', () => {
  it('is [Linear → ReLU → Dropout] per hidden width, then Linear, named as nn.Sequential', () => {
    const net = multilayerPerceptron(
      { inputs: 12, hidden: [8, 6], outputs: 3, dropout: 0.2 },
      new Rng(0),
      new Rng(1),
    );
    expect(net.layers.map((l) => l.constructor.name)).toEqual([
      'Linear',
      'ReLU',
      'Dropout',
      'Linear',
      'ReLU',
      'Dropout',
      'Linear',
    ]);
    expect(net.namedParameters().map(([n, p]) => `${n} ${p.shape.join('×')}`)).toEqual([
      '0.weight 8×12',
      '0.bias 8',
      '3.weight 6×8',
      '3.bias 6',
      '6.weight 3×6',
      '6.bias 3',
    ]);
    expect(net.eval().forward(randn([5, 12], new Rng(2))).shape).toEqual([5, 3]);
  });

  it('draws its weights from initRng in layer order (the same as building the Sequential by hand)', () => {
    const net = multilayerPerceptron(
      { inputs: 5, hidden: [4], outputs: 2, dropout: 0.1 },
      new Rng(7),
      new Rng(8),
    );
    const init = new Rng(7);
    const byHand = new Sequential(
      new Linear(5, 4, init),
      new ReLU(),
      new Dropout(0.1, new Rng(8)),
      new Linear(4, 2, init),
    );
    const a = net.stateDict();
    const b = byHand.stateDict();
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) expect(a[k]!.toFlat()).toEqual(b[k]!.toFlat());
    // the masks come from dropoutRng: the same generator state gives the same training output
    const x = randn([3, 5], new Rng(9));
    expect(net.forward(x).toFlat()).toEqual(byHand.forward(x).toFlat());
  });

  it('no dropout layers at p = 0, a linear model without hidden widths', () => {
    const net = multilayerPerceptron(
      { inputs: 4, hidden: [3], outputs: 2, dropout: 0 },
      new Rng(0),
      new Rng(1),
    );
    expect(net.layers.some((l) => l instanceof Dropout)).toBe(false);
    const linear = multilayerPerceptron(
      { inputs: 4, hidden: [], outputs: 2, dropout: 0.5 },
      new Rng(0),
      new Rng(1),
    );
    expect(linear.layers).toHaveLength(1);
  });

  it('rejects bad widths and dropout with the argument named', () => {
    const r = new Rng(0);
    expect(() =>
      multilayerPerceptron({ inputs: 4, hidden: [3, 0], outputs: 2, dropout: 0 }, r, r),
    ).toThrowError('multilayerPerceptron: hidden[1]: expected an integer >= 1, got 0');
    expect(() => multilayerPerceptron({ inputs: 4, hidden: [], outputs: 2, dropout: 1 }, r, r)).toThrowError(
      'multilayerPerceptron: dropout: expected a finite number >= 0 and < 1, got 1',
    );
  });
});
