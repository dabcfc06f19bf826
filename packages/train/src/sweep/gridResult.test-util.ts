import type { GridResult } from './grid.js';

/** A grid result for tests: a zo+surrogate slm cell of seed 1 at 50 % with `o` on top. */
export const gridResult = (o: Partial<GridResult>): GridResult => ({
  key: 'k',
  group: 'zo+surrogate',
  device: 'slm',
  seed: 1,
  testAccuracy: 0.5,
  secondsPerEpoch: 1,
  queriesPerStep: 10,
  ...o,
});
