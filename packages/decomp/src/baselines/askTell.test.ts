import { ArgumentError, Rng, TenzoError } from '@tenzo/core';
import type { EvaluationEngine } from '@tenzo/engines';
import { describe, expect, it } from 'vitest';
import { type BatchFunction, BlackBox } from '../blackbox/blackBox.js';
import type { BaselineOptions, BaselineResult } from './driver.js';
import { ngOnePlusOneMinimize } from './nevergradOnePlusOne.js';
import { ngPsoMinimize } from './nevergradPso.js';
import { ngSpsaMinimize } from './nevergradSpsa.js';
import { Protes, protesMinimize } from './protes.js';
import { ttoptMinimize } from './ttopt.js';

type Method = (f: BatchFunction | BlackBox, o: BaselineOptions) => Promise<BaselineResult>;

const METHODS: Record<string, Method> = {
  ttopt: ttoptMinimize,
  protes: protesMinimize,
  onePlusOne: ngOnePlusOneMinimize,
  discreteOnePlusOne: (f, o) => ngOnePlusOneMinimize(f, { ...o, mutation: 'discrete' }),
  spsa: ngSpsaMinimize,
  pso: ngPsoMinimize,
};

/** 𝑠·Σ_k (i_k − c_k)²: separable, minimum 0 at the target c */
function separable(target: number[], scale: number): BatchFunction {
  return (pts, count, d) => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < d; k++) out[i]! += scale * (pts[i * d + k]! - target[k]!) ** 2;
    return out;
  };
}

/**
 * Where each method is expected to reach the minimum exactly (tol 0). nevergrad's OnePlusOne and
 * PSO on TransitionChoice stall on a grid as small as 8^6 (σ collapses until every child rounds
 * to its parent; the swarm collapses onto one point), so they are held to 8^2. SPSA's fixed gains
 * (a = 1e-5, c = 0.1) move nothing once both points of a pair fall in the same bins, so it runs on
 * 64 values per dimension and is held to one grid step on two coordinates (tol = 2·scale).
 */
const FINDS: Record<string, { target: number[]; n: number; scale: number; budget: number; tol: number }> = {
  ttopt: { target: [1, 6, 3, 2, 5, 4], n: 8, scale: 100, budget: 3000, tol: 0 },
  protes: { target: [1, 6, 3, 2, 5, 4], n: 8, scale: 100, budget: 3000, tol: 0 },
  discreteOnePlusOne: { target: [1, 6, 3, 2, 5, 4], n: 8, scale: 100, budget: 3000, tol: 0 },
  onePlusOne: { target: [1, 6], n: 8, scale: 100, budget: 500, tol: 0 },
  pso: { target: [1, 6], n: 8, scale: 100, budget: 500, tol: 0 },
  spsa: { target: [20, 40, 30, 35], n: 64, scale: 10, budget: 3000, tol: 20 },
};

// distinct values almost everywhere: no method stalls on ties before the budget
const rugged: BatchFunction = (pts, count, d) => {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++)
    for (let k = 0; k < d; k++) out[i]! += Math.sin(1.7 * (k + 1) * pts[i * d + k]! + 0.3 * k) * (k + 2);
  return out;
};

describe.each(Object.entries(METHODS))('%s (ask/tell baseline)', (name, run) => {
  it('finds the minimum of a small separable function', async () => {
    const c = FINDS[name]!;
    const d = c.target.length;
    const r = await run(separable(c.target, c.scale), { d, n: c.n, budget: c.budget, seed: 5 });
    expect(r.value).toBeLessThanOrEqual(c.tol);
    if (c.tol === 0) expect(Array.from(r.index)).toEqual(c.target);
    expect(r.evaluations).toBeLessThanOrEqual(c.budget);
  });

  it('spends the budget exactly, counting each unique point once', async () => {
    // OnePlusOne's σ collapses within a few dozen points (every child then rounds to its parent)
    const budget = name === 'onePlusOne' ? 23 : 537;
    let rows = 0;
    const counted: BatchFunction = (pts, count, d) => {
      rows += count;
      return rugged(pts, count, d);
    };
    const r = await run(counted, { d: 10, n: 8, budget, seed: 2 });
    expect(rows).toBe(r.evaluations);
    expect(r.evaluations).toBe(budget);
    expect(r.stoppedBy).toBe('budget');
    // a shared box with a larger budget: this run still spends only its own
    const box = new BlackBox(rugged, { n: 8, d: 10, budget: 5000 });
    const shared = await run(box, { d: 10, n: 8, budget: budget - 7, seed: 2 });
    expect(shared.evaluations).toBe(budget - 7);
    expect(box.evaluations).toBe(budget - 7);
    expect(shared.trace.at(-1)!.value).toBe(shared.value);
  });

  it('stops on the cache-hit limit when it only asks for known points', async () => {
    const r = await run(separable([0, 0, 0], 1), { d: 3, n: 2, budget: 1000, seed: 1, maxCacheHits: 50 });
    // 2^3 points in all: the budget cannot be spent
    expect(r.evaluations).toBeLessThanOrEqual(8);
    expect(r.stoppedBy).toBe('cacheHits');
    expect(r.value).toBe(0);
  });

  it('replays from its seed', async () => {
    const a = await run(rugged, { d: 10, n: 8, budget: 400, seed: 9 });
    const b = await run(rugged, { d: 10, n: 8, budget: 400, seed: 9 });
    expect(b).toEqual(a);
  });

  it('gives the same result through an evaluation engine that splits and reorders the work', async () => {
    // an engine as a worker pool behaves: parts of 3 rows, finished in reverse order
    const engine: EvaluationEngine = {
      name: 'split×3',
      async evaluate(points, count, dim) {
        const out = new Float64Array(count);
        const starts = Array.from({ length: Math.ceil(count / 3) }, (_, j) => 3 * j).reverse();
        for (const s of starts) {
          await Promise.resolve();
          const m = Math.min(3, count - s);
          out.set(rugged(Int32Array.from(points.slice(s * dim, (s + m) * dim)), m, dim) as Float64Array, s);
        }
        return out;
      },
      async close() {},
    };
    const viaFunction = await run(rugged, { d: 10, n: 8, budget: 300, seed: 4 });
    const viaEngine = await run(new BlackBox(engine, { n: 8, d: 10, budget: 300 }), {
      d: 10,
      n: 8,
      budget: 300,
      seed: 4,
    });
    expect(viaEngine).toEqual(viaFunction);
  });

  it('rejects bad options with typed errors', async () => {
    await expect(run(rugged, null as unknown as BaselineOptions)).rejects.toThrow(ArgumentError);
    await expect(run(rugged, { d: 0, n: 8 })).rejects.toThrow(TenzoError);
    await expect(run(rugged, { d: 4, n: 8, budget: -1 })).rejects.toThrow(TenzoError);
    await expect(run(rugged, { d: 4, n: 8, budget: 1.5 })).rejects.toThrow(TenzoError);
    const box = new BlackBox(rugged, { n: 8, d: 5 });
    await expect(run(box, { d: 4, n: 8 })).rejects.toThrow(ArgumentError);
  });
});

describe('method options', () => {
  it('are checked', async () => {
    const o = { d: 4, n: 8, budget: 100 };
    await expect(ttoptMinimize(rugged, { ...o, rank: 0 })).rejects.toThrow(TenzoError);
    await expect(ttoptMinimize(rugged, { ...o, fsOpt: -1 })).rejects.toThrow(TenzoError);
    await expect(ttoptMinimize(rugged, { ...o, quantize: 'yes' as unknown as boolean })).rejects.toThrow(
      ArgumentError,
    );
    await expect(protesMinimize(rugged, { ...o, k: 10, kTop: 11 })).rejects.toThrow(TenzoError);
    await expect(protesMinimize(rugged, { ...o, lr: 0 })).rejects.toThrow(TenzoError);
    await expect(protesMinimize(rugged, { ...o, r: 2.5 })).rejects.toThrow(TenzoError);
    await expect(
      ngOnePlusOneMinimize(rugged, { ...o, mutation: 'cauchy' as unknown as 'discrete' }),
    ).rejects.toThrow(ArgumentError);
    await expect(ngPsoMinimize(rugged, { ...o, popsize: 0 })).rejects.toThrow(TenzoError);
  });

  it('start where nevergrad starts: OnePlusOne and SPSA at index ⌊n/2⌋ (SPSA ±1 around it)', async () => {
    const first: Int32Array[] = [];
    const spy: BatchFunction = (pts, count, d) => {
      if (first.length === 0) first.push(pts.slice(0, d));
      return rugged(pts, count, d);
    };
    await ngOnePlusOneMinimize(spy, { d: 5, n: 8, budget: 3 });
    expect(Array.from(first[0]!)).toEqual([4, 4, 4, 4, 4]);
    first.length = 0;
    await ngSpsaMinimize(spy, { d: 5, n: 8, budget: 4 });
    for (const i of first[0]!) expect([3, 4]).toContain(i);
  });
});

describe('Protes gradient', () => {
  it('matches central finite differences of the elite mean −log p', () => {
    const shape = [3, 4, 2, 3];
    const p = new Protes(shape, new Rng(4), { k: 6, kTop: 3, kGd: 1, lr: 0.05, r: 3, quantize: false });
    p.ask();
    const inner = p as unknown as {
      cores: Float64Array[];
      samples: Int32Array;
      gradient(elite: number[]): Float64Array[];
    };
    const elite = [0, 2, 5];
    const loss = () => {
      // −log p(i) from the definition: a product of normalised |conditionals|, by brute force
      const full = (idx: number[]) => {
        let v = new Float64Array([1]);
        idx.forEach((j, k) => {
          const g = inner.cores[k]!;
          const r1 = g.length / (v.length * shape[k]!);
          const out = new Float64Array(r1);
          for (let x = 0; x < v.length; x++)
            for (let y = 0; y < r1; y++) out[y]! += v[x]! * g[(x * shape[k]! + j) * r1 + y]!;
          v = out;
        });
        return v[0]!;
      };
      let total = 0;
      for (const s of elite) {
        const idx = Array.from(inner.samples.subarray(s * 4, s * 4 + 4));
        for (let k = 0; k < 4; k++) {
          // conditional of i_k given i_<k: the prefix fixed, the suffix summed
          const sumOver = (j: number) => {
            let acc = 0;
            const rest = shape.slice(k + 1);
            const m = rest.reduce((a, b) => a * b, 1);
            for (let t = 0; t < m; t++) {
              let u = t;
              const suffix = rest.map((n) => {
                const v = u % n;
                u = Math.floor(u / n);
                return v;
              });
              acc += full([...idx.slice(0, k), j, ...suffix]);
            }
            return Math.abs(acc);
          };
          let den = 0;
          for (let j = 0; j < shape[k]!; j++) den += sumOver(j);
          total -= Math.log(sumOver(idx[k]!) / den);
        }
      }
      return total / elite.length;
    };
    const grads = inner.gradient(elite);
    const h = 1e-6;
    for (let k = 0; k < 4; k++) {
      for (let e = 0; e < inner.cores[k]!.length; e += 3) {
        const c = inner.cores[k]!;
        const x0 = c[e]!;
        c[e] = x0 + h;
        const up = loss();
        c[e] = x0 - h;
        const down = loss();
        c[e] = x0;
        expect(grads[k]![e]!).toBeCloseTo((up - down) / (2 * h), 5);
      }
    }
  });
});
