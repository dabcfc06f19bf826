import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { recordOp } from '../engine.js';
import { isGradEnabled, noGrad } from './gradMode.js';

describe('autograd', () => {
  it('accumulates gradients across backward calls and through shared inputs', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true, dtype: 'float64' });
    x.mul(x).sum().backward();
    expect(x.grad!.toFlat()).toEqual([2, 4, 6]);
    x.sum().backward();
    expect(x.grad!.toFlat()).toEqual([3, 5, 7]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('does not record under noGrad, and detach cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    const z = x.mul(x.detach()).sum();
    z.backward();
    expect(x.grad!.toFlat()).toEqual([1, 2]);
  });

  it('retains intermediate gradients on request', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    h.square().sum().backward();
    expect(h.grad!.toFlat()).toEqual([6, 12]);
    expect(x.grad!.toFlat()).toEqual([18, 36]);
  });

  it('handles graphs deeper than the call stack', () => {
    const x = tensor([1], { requiresGrad: true, dtype: 'float64' });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('records externally computed ops (e.g. an async device) with recordOp', async () => {
    const x = tensor([1, 2, 3], { requiresGrad: true, dtype: 'float64' });
    const computed = await Promise.resolve(x.detach().mul(5));
    const y = recordOp('device', computed, [x], (dy) => [dy.mul(5)]);
    y.sum().backward();
    expect(x.grad!.toFlat()).toEqual([5, 5, 5]);
  });
});

describe('noGradAsync', () => {
  it('keeps recording off across awaits and restores it after', async () => {
    const { noGradAsync } = await import('./gradMode.js');
    const x = tensor([1, 2], { requiresGrad: true });
    const y = await noGradAsync(async () => {
      await Promise.resolve();
      return x.mul(2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
  });
});
