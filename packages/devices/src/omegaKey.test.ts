import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { mrrWeightBank } from './mrr/weightBank.js';
import { slmPhaseMatrix } from './slm/phaseMatrix.js';

describe('OmegaKey (the simulators skip rebuilding A(ω) for a repeated ω)', () => {
  for (const make of [() => slmPhaseMatrix({ dIn: 9, dOut: 7 }), () => mrrWeightBank({ dIn: 9, dOut: 7 })]) {
    it(`${make().name}: repeated, alternating and one-entry-different settings give the fresh answers`, async () => {
      const dev = make();
      const fresh = make();
      const rng = new Rng(1);
      const X = rng.fillNormal(new Float64Array(4 * 9)) as Float64Array;
      const w1 = dev.initParams(rng);
      const w2 = dev.initParams(rng);
      const w3 = w1.slice();
      const last = w3.length - 1;
      w3[last] = w3[last]! + 1e-3;
      for (const w of [w1, w1, w2, w1, w3, w3, w1]) {
        const a = await dev.query(X, w);
        const b = await make().query(X, w);
        expect(Array.from(a)).toEqual(Array.from(b));
      }
      expect(Array.from(dev.exact.matrix(w3))).not.toEqual(Array.from(fresh.exact.matrix(w1)));
    });
  }
});
