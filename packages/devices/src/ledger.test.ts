import { BudgetError, FormatError, Rng, ShapeError, StateError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { IdentityDevice } from './controls/identityDevice.js';
import { LowRankDevice } from './controls/lowRankDevice.js';
import { MatrixDevice } from './controls/matrixDevice.js';
import { QueryLedger } from './ledger.js';

describe('device contract and query ledger', () => {
  it('counts calls, inputs and reconfigurations (only when ω changes)', async () => {
    const dev = new MatrixDevice({ dIn: 3, dOut: 2 });
    const w = dev.initParams(new Rng(1));
    const X = new Float64Array(5 * 3).fill(1);
    await expect(dev.query(X)).rejects.toBeInstanceOf(StateError);
    await dev.query(X, w);
    await dev.query(X, w);
    await dev.query(X.subarray(0, 6));
    const w2 = w.slice();
    w2[0]! += 1;
    await dev.query(X, w2);
    dev.setParams(w2);
    dev.setParams(w);
    expect(dev.ledger.snapshot()).toMatchObject({ calls: 4, inputs: 17, reconfigurations: 3 });
    expect(dev.ledger.wallMs).toBeGreaterThanOrEqual(0);
    expect(dev.params()).toEqual(w);
  });

  it('throws BudgetError before running a query that would exceed the budget', async () => {
    const dev = new MatrixDevice({ dIn: 2, dOut: 2, budget: { maxInputs: 10, maxReconfigurations: 1 } });
    const w = dev.initParams(new Rng(2));
    await dev.query(new Float64Array(8 * 2), w);
    await expect(dev.query(new Float64Array(3 * 2))).rejects.toBeInstanceOf(BudgetError);
    expect(dev.ledger.inputs).toBe(8);
    await dev.query(new Float64Array(2 * 2));
    expect(() => dev.setParams(w.map((v) => v + 1))).toThrow(BudgetError);
  });

  it('rejects bad shapes and non-finite inputs with typed errors', async () => {
    const dev = new MatrixDevice({ dIn: 3, dOut: 2 });
    const w = dev.initParams(new Rng(3));
    await expect(dev.query(new Float64Array(4), w)).rejects.toBeInstanceOf(ShapeError);
    await expect(dev.query(new Float64Array(3), w.subarray(1))).rejects.toBeInstanceOf(ShapeError);
    await expect(dev.query(Float64Array.of(1, Number.NaN, 0), w)).rejects.toThrow(/finite/);
  });

  it('low-rank and identity controls compute U Vᵀ x and the padded identity; low-rank paramVjp is exact', () => {
    const rng = new Rng(4);
    const lr = new LowRankDevice({ dIn: 5, dOut: 4, rank: 2 });
    const w = lr.initParams(rng);
    const X = rng.fillNormal(new Float64Array(3 * 5)) as Float64Array;
    const A = lr.exact.matrix(w);
    const Y = lr.querySync(X, w);
    for (let b = 0; b < 3; b++)
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += A[i * 5 + j]! * X[b * 5 + j]!;
        expect(Y[b * 4 + i]).toBeCloseTo(s, 13);
      }
    const Yb = rng.fillNormal(new Float64Array(3 * 4)) as Float64Array;
    const g = lr.exact.paramVjp(X, Yb, w);
    const loss = (v: Float64Array) => lr.querySync(X, v).reduce((s, y, k) => s + y * Yb[k]!, 0);
    for (let k = 0; k < w.length; k++) {
      const wp = w.slice();
      wp[k]! += 1e-6;
      const wm = w.slice();
      wm[k]! -= 1e-6;
      expect(g[k]).toBeCloseTo((loss(wp) - loss(wm)) / 2e-6, 7);
    }
    const id = new IdentityDevice({ dIn: 3, dOut: 4 });
    expect(Array.from(id.querySync(Float64Array.of(1, 2, 3)))).toEqual([1, 2, 3, 0]);
    expect(id.paramSize).toBe(0);
  });

  it('state/load round-trips the counters (through JSON), not the budget; bad counters throw FormatError', () => {
    const a = new QueryLedger({ maxCalls: 3 });
    a.check(4, true);
    a.calls = 2;
    a.inputs = 9;
    a.reconfigurations = 1;
    a.wallMs = 0.25;
    a.retries = 3;
    a.timeouts = 1;
    a.rejectedResponses = 2;
    const s = a.state();
    a.calls++;
    expect(s.calls).toBe(2); // a copy
    const b = new QueryLedger({ maxCalls: 3 });
    b.load(JSON.parse(JSON.stringify(s)));
    expect(b.snapshot()).toEqual({
      calls: 2,
      inputs: 9,
      reconfigurations: 1,
      wallMs: 0.25,
      retries: 3,
      timeouts: 1,
      rejectedResponses: 2,
    });
    b.check(1, false);
    b.calls++;
    expect(() => b.check(1, false)).toThrow(BudgetError);
    expect(() => b.load({ ...s, inputs: -1 })).toThrow(FormatError);
    expect(() => b.load({ ...s, inputs: -1 })).toThrow(
      'QueryLedger.load: inputs: expected an integer >= 0, got -1',
    );
    expect(() => b.load({ ...s, calls: '2' as unknown as number })).toThrow(
      /calls: expected an integer >= 0, got "2"/,
    );
    const { wallMs: _, ...noWall } = s;
    expect(() => b.load(noWall as typeof s)).toThrow(/wallMs: expected a finite number >= 0, got undefined/);
    expect(() => b.load({ ...s, timeouts: 1.5 })).toThrow(/timeouts: expected an integer >= 0, got 1.5/);
    expect(b.calls).toBe(3); // a refused load changes nothing
  });

  it('loads a checkpoint written before the fault counters existed (they start at 0); since() subtracts them', () => {
    const old = { calls: 4, inputs: 40, reconfigurations: 2, wallMs: 1 };
    const l = new QueryLedger();
    l.retries = 5;
    l.load(old as unknown as ReturnType<QueryLedger['state']>);
    expect(l.snapshot()).toEqual({ ...old, retries: 0, timeouts: 0, rejectedResponses: 0 });
    const before = l.snapshot();
    l.retries += 2;
    l.timeouts += 1;
    l.rejectedResponses += 1;
    expect(l.since(before)).toMatchObject({ calls: 0, retries: 2, timeouts: 1, rejectedResponses: 1 });
  });
});
