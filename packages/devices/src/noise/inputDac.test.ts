import { ArgumentError, OutOfRangeError, Rng, TenzoError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { matrixDevice } from '../controls/matrixDevice.js';
import { clementsMesh } from '../mesh/mziMesh.js';
import { mrrWeightBank } from '../mrr/weightBank.js';
import { slmPhaseMatrix } from '../slm/phaseMatrix.js';
import { quantizeUniform } from './quantize.js';

const dIn = 6;
const dOut = 5;
const dac = { bits: 3, lo: -1.5, hi: 1.5 } as const;

function batch(seed: number, rows: number): Float64Array {
  // spread wider than the DAC range, so clipping is exercised too
  return new Rng(seed).fillNormal(new Float64Array(rows * dIn), 0, 1.5) as Float64Array;
}

const makers = {
  slm: (o: object) => slmPhaseMatrix({ dIn, dOut, ...o }),
  mrr: (o: object) => mrrWeightBank({ dIn, dOut, ...o }),
  mzi: (o: object) => clementsMesh({ dIn, dOut, ...o }),
  matrix: (o: object) => matrixDevice({ dIn, dOut, ...o }),
};

describe('input DAC (SimulatorOptions.inputDac)', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: a query sees the quantised inputs, bit for bit, and X is left as given`, async () => {
      const withDac = make({ inputDac: dac });
      const plain = make({});
      const omega = plain.initParams(new Rng(3));
      const X = batch(1, 4);
      const copy = X.slice();
      const Xq = quantizeUniform(X.slice(), dac.bits, dac.lo, dac.hi);
      expect(Array.from(Xq).some((v, i) => v !== X[i])).toBe(true);
      expect(new Set(Xq).size).toBeLessThanOrEqual(2 ** dac.bits);
      const y = await withDac.query(X, omega);
      expect(Array.from(y)).toEqual(Array.from(await plain.query(Xq, omega)));
      expect(Array.from(X)).toEqual(Array.from(copy));
      // and it differs from the unquantised query: the DAC is not a no-op
      expect(Array.from(y)).not.toEqual(Array.from(await plain.query(X, omega)));
    });

    it(`${name}: the exact ω̄ is taken at the quantised inputs`, () => {
      const withDac = make({ inputDac: dac });
      const plain = make({});
      const omega = plain.initParams(new Rng(4));
      const X = batch(2, 3);
      const Ybar = new Rng(5).fillNormal(new Float64Array(3 * dOut)) as Float64Array;
      const Xq = quantizeUniform(X.slice(), dac.bits, dac.lo, dac.hi);
      expect(Array.from(withDac.exact.paramVjp(X, Ybar, omega))).toEqual(
        Array.from(plain.exact.paramVjp(Xq, Ybar, omega)),
      );
    });
  }

  for (const name of ['slm', 'mrr', 'mzi'] as const) {
    it(`${name}: the projected ZO estimate sees the same quantised rows as a materialised query`, async () => {
      const withDac = makers[name]({ inputDac: dac }) as ReturnType<typeof slmPhaseMatrix>;
      const plain = makers[name]({}) as ReturnType<typeof slmPhaseMatrix>;
      const omega = plain.initParams(new Rng(6));
      const P = batch(3, 4);
      const W = new Rng(7).fillNormal(new Float64Array(4 * dOut)) as Float64Array;
      const Pq = quantizeUniform(P.slice(), dac.bits, dac.lo, dac.hi);
      const req = {
        W,
        omega,
        q: 5,
        mu: 1e-3,
        directions: 'gaussian' as const,
        key: [11, 12] as [number, number],
      };
      const a = await withDac.projectedZo.estimate({ ...req, P });
      const b = await plain.projectedZo.estimate({ ...req, P: Pq });
      expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
      expect(Array.from(a.diffs)).toEqual(Array.from(b.diffs));
    });
  }

  it('refuses a DAC that is not one, naming the field', () => {
    const bad: [unknown, typeof TenzoError][] = [
      [null, ArgumentError],
      [8, ArgumentError],
      [{ bits: 0, lo: -1, hi: 1 }, OutOfRangeError],
      [{ bits: 2.5, lo: -1, hi: 1 }, TenzoError],
      [{ bits: 8, lo: 1, hi: 1 }, OutOfRangeError],
      [{ bits: 8, lo: Number.NaN, hi: 1 }, TenzoError],
      [{ bits: 8, lo: -1 }, TenzoError],
    ];
    for (const [inputDac, type] of bad) {
      expect(() => slmPhaseMatrix({ dIn, dOut, inputDac } as never)).toThrow(type);
      expect(() => slmPhaseMatrix({ dIn, dOut, inputDac } as never)).toThrow(/inputDac/);
    }
  });
});
