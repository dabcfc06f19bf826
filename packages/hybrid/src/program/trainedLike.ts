import { Rng } from '@tenzo/core';
import type { Module } from '@tenzo/nn';

/**
 * Test support: makes a freshly built digital network look trained — every parameter and buffer
 * moved by seeded noise and a stripe, BatchNorm running variances kept positive — so that a
 * pretrained start that dropped any tensor would compute something visibly different.
 */
export function trainedLike<M extends Module>(net: M, seed = 8): M {
  const rng = new Rng(seed);
  for (const t of Object.values(net.stateDict()))
    for (let k = 0; k < t.data.length; k++)
      t.data[k] = t.data[k]! + 0.3 * rng.normal() + (k % 3 === 0 ? 0.5 : 0);
  for (const [name, t] of Object.entries(net.stateDict()))
    if (name.endsWith('runningVar'))
      for (let k = 0; k < t.data.length; k++) t.data[k] = 0.5 + Math.abs(t.data[k]!);
  return net;
}
