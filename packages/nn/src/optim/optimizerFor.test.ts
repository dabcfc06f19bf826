import { ArgumentError, Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear.js';
import { Adam, AdamW } from './adam.js';
import { optimizerFor } from './optimizerFor.js';
import { SGD } from './sgd.js';

describe('optimizerFor', () => {
  const net = new Linear(3, 2, new Rng(0));
  it('builds AdamW, Adam or Nesterov SGD over named parameters', () => {
    const w = optimizerFor('adamw', net.namedParameters(), { lr: 0.01, weightDecay: 0.05 });
    expect(w).toBeInstanceOf(AdamW);
    expect(w.lr).toBe(0.01);
    expect(w.names).toEqual(['weight', 'bias']);
    expect((w as AdamW).weightDecay).toBe(0.05);
    const a = optimizerFor('adam', net.namedParameters(), { lr: 0.02, weightDecay: 0 });
    expect(a).toBeInstanceOf(Adam);
    expect(a).not.toBeInstanceOf(AdamW);
    const s = optimizerFor('sgd', net.namedParameters(), { lr: 0.1, weightDecay: 1e-4 }) as SGD;
    expect(s).toBeInstanceOf(SGD);
    expect([s.momentum, s.nesterov]).toEqual([0.9, true]);
  });

  it('refuses unknown kinds and bad settings', () => {
    expect(() => optimizerFor('lbfgs' as never, net.namedParameters(), { lr: 1, weightDecay: 0 })).toThrow(
      ArgumentError,
    );
    expect(() => optimizerFor('adam', net.namedParameters(), { lr: 0, weightDecay: 0 })).toThrow(/lr/);
    expect(() => optimizerFor('adam', net.namedParameters(), { lr: 1, weightDecay: -1 })).toThrow(
      /weightDecay/,
    );
  });
});
