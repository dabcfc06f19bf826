import { BudgetError, Rng, StateError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { gaussianForward } from '../estimators/gaussian.js';
import { batchObjective, countedObjective } from '../objective.js';
import { quadratic, rosenbrock } from '../testFunctions.js';
import { type MinimizeOptions, minimize, minimizeBatch } from './minimize.js';
import { ZoAdam } from './zoAdam.js';

const q20 = quadratic(20, 10);
const x20 = new Float64Array(20).fill(1);
const rb = rosenbrock(2);
const xr = Float64Array.of(-1.2, 1);

describe('ZO optimizers converge within stated budgets (fixed seeds)', () => {
  it.each([
    ['zoSgd', { method: 'zoSgd', lr: 0.01 }, 2000],
    ['zoSignSgd', { method: 'zoSignSgd', lr: 0.05 }, 10000],
    ['zoAdam', { method: 'zoAdam', lr: 0.05 }, 5000],
    ['spsa', { method: 'spsa', a: 0.1, c: 0.01 }, 2000],
  ] as const)(
    '%s: convex quadratic d = 20 (κ = 10), f ≤ 1e-3 f(x0) within %i queries',
    async (_n, o, budget) => {
      const r = await minimize(q20.f, x20, {
        ...(o as MinimizeOptions),
        seed: 1,
        maxEvaluations: budget,
        target: 1e-3 * q20.f(x20),
      });
      expect(r.stopReason).toBe('target');
      expect(r.evaluations).toBeLessThanOrEqual(budget);
    },
  );

  // Rosenbrock's curved valley makes single runs seed-dependent: the claim is about the median
  // best value over five fixed seeds, which does not hinge on one lucky stream.
  it.each([
    ['zoSgd', { method: 'zoSgd', lr: 1e-3 }, 1e-2, 10000],
    ['zoSignSgd', { method: 'zoSignSgd', lr: 0.02, decay: 0.3 }, 1e-2, 25000],
    ['zoAdam', { method: 'zoAdam', lr: 0.05, beta2: 0.99 }, 0.1, 40000],
    ['spsa', { method: 'spsa', a: 0.02, c: 0.01, A: 100 }, 0.1, 40000],
  ] as const)(
    '%s: non-convex Rosenbrock from (−1.2, 1) (f = 24.2), median best f over seeds 1..5 ≤ %d within %i queries',
    async (_n, o, target, budget) => {
      const best: number[] = [];
      for (let seed = 1; seed <= 5; seed++) {
        const r = await minimize(rb.f, xr, {
          ...(o as MinimizeOptions),
          seed,
          maxEvaluations: budget,
          target,
        });
        expect(r.evaluations).toBeLessThanOrEqual(budget);
        best.push(r.bestF);
      }
      best.sort((a, b) => a - b);
      expect(best[2]).toBeLessThanOrEqual(target);
    },
  );

  it('ZO-Adam reduces a 1000-dimensional quadratic 100× within 30 000 queries', async () => {
    const p = quadratic(1000, 10);
    const x0 = new Float64Array(1000).fill(1);
    const r = await minimizeBatch(batchObjective(p.f, 1000), x0, {
      lr: 0.05,
      seed: 1,
      maxEvaluations: 30000,
      target: 1e-2 * p.f(x0),
    });
    expect(r.stopReason).toBe('target');
    expect(r.evaluations).toBeLessThan(30000);
  });
});

describe('ask/tell, bounds, budgets', () => {
  it('projects iterates onto the box and never exceeds the evaluation budget', async () => {
    const F = countedObjective(batchObjective(q20.f, 20));
    const lower = 0.5;
    const r = await minimizeBatch(F, x20, { lr: 0.05, lower, upper: 2, maxEvaluations: 999, seed: 3 });
    expect(F.evaluations).toBe(r.evaluations);
    expect(r.evaluations).toBeLessThanOrEqual(999);
    expect(r.evaluations + 2).toBeGreaterThan(999);
    for (const v of r.x) expect(v).toBeGreaterThanOrEqual(lower);
    // the constrained minimum of ½Σh x² over x ≥ 0.5 is the corner x = 0.5
    const fc = q20.f(new Float64Array(20).fill(0.5));
    expect(r.bestF).toBeLessThan(1.2 * fc);
  });

  it('countedObjective throws BudgetError; ask/tell enforce their order', async () => {
    const F = countedObjective(batchObjective(q20.f, 20), 5);
    await expect(F(new Float64Array(6 * 20), 6)).rejects.toBeInstanceOf(BudgetError);
    const opt = new ZoAdam(x20, { lr: 0.1, estimator: gaussianForward({ q: 2, mu: 1e-3 }) });
    expect(() => opt.tell(new Float64Array(3))).toThrow(StateError);
    const P = opt.ask();
    expect(P.length).toBe(3 * 20);
    expect(() => opt.ask()).toThrow(StateError);
    opt.tell(await F(P, 3));
    expect(opt.iteration).toBe(1);
  });

  it('async objectives are evaluated concurrently up to the limit, and runs replay from the seed', async () => {
    let inFlight = 0;
    let peak = 0;
    const f = async (x: Float64Array) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return q20.f(x);
    };
    const opts: MinimizeOptions = {
      lr: 0.05,
      estimator: gaussianForward({ q: 7, mu: 1e-3 }),
      maxEvaluations: 40,
      concurrency: 3,
      seed: 4,
    };
    const a = await minimize(f, x20, opts);
    expect(peak).toBe(3);
    const b = await minimize(q20.f, x20, opts);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(new Rng(4).uniform()).toBeGreaterThan(0);
  });
});
