import { ArgumentError, checkInt } from '@tenzo/core';
import type { BatchFunction } from '../blackbox/blackBox.js';
import { chebyshevGrid, gridFunction } from '../blackbox/grid.js';
import { SHIFT_DRAWS } from './shiftDraws.js';

/** The 14 benchmark functions of the HTBB paper (teneva_bm definitions, HTBB.md §6). */
export const BENCHMARK_NAMES = [
  'Alpine',
  'Chung',
  'Dixon',
  'Griewank',
  'Pathological',
  'Pinter',
  'Qing',
  'Rastrigin',
  'Schaffer',
  'Schwefel',
  'Sphere',
  'Squares',
  'Trigonometric',
  'Wavy',
] as const;

/** The name of one of the `BENCHMARK_NAMES` test functions (Ackley, Alpine, Rastrigin …). */
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

/** x: length d */
type Fn = (x: Float64Array) => number;

interface Spec {
  a: number;
  b: number;
  /** Qing and Trigonometric shift their bounds outward */
  outward?: boolean;
  /** sums of per-coordinate terms: exact low rank (2) on any grid */
  separable: boolean;
  f: Fn;
}

const sq = (v: number) => v * v;

const SPECS: Record<BenchmarkName, Spec> = {
  Alpine: {
    a: -10,
    b: 10,
    separable: true,
    f: (x) => {
      let s = 0;
      for (const v of x) s += Math.abs(v * Math.sin(v) + 0.1 * v);
      return s;
    },
  },
  Chung: {
    a: -10,
    b: 10,
    separable: false,
    f: (x) => {
      let s = 0;
      for (const v of x) s += v * v;
      return s * s;
    },
  },
  Dixon: {
    a: -10,
    b: 10,
    separable: false,
    f: (x) => {
      let s = sq(x[0]! - 1);
      for (let i = 1; i < x.length; i++) s += (i + 1) * sq(2 * x[i]! * x[i]! - x[i - 1]!);
      return s;
    },
  },
  Griewank: {
    a: -100,
    b: 100,
    // Σ x²/4000 − Π cos(·) + 1 has rank 3 (sum, product, constant); for large d the product is
    // negligible and the function numerically rank 2, which is why HTBB recovers it at d = 256
    separable: false,
    f: (x) => {
      let s = 0;
      let p = 1;
      for (let i = 0; i < x.length; i++) {
        s += (x[i]! * x[i]!) / 4000;
        p *= Math.cos(x[i]! / Math.sqrt(i + 1));
      }
      return s - p + 1;
    },
  },
  Pathological: {
    a: -100,
    b: 100,
    separable: false,
    f: (x) => {
      let s = 0;
      for (let i = 0; i + 1 < x.length; i++) {
        const u = x[i]!;
        const v = x[i + 1]!;
        s +=
          0.5 +
          (sq(Math.sin(Math.sqrt(100 * u * u + v * v))) - 0.5) / (1 + 0.001 * sq(u * u - 2 * u * v + v * v));
      }
      return s;
    },
  },
  Pinter: {
    a: -10,
    b: 10,
    separable: false,
    f: (x) => {
      const d = x.length;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < d; k++) {
        const i = k + 1;
        const xm = x[(k - 1 + d) % d]!;
        const xi = x[k]!;
        const xp = x[(k + 1) % d]!;
        s1 += i * xi * xi;
        s2 += 20 * i * sq(Math.sin(xm * Math.sin(xi) + Math.sin(xp)));
        s3 += i * Math.log10(1 + i * sq(xm * xm - 2 * xi + 3 * xp - Math.cos(xi) + 1));
      }
      return s1 + s2 + s3;
    },
  },
  Qing: {
    a: 0,
    b: 500,
    outward: true,
    separable: true,
    f: (x) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += sq(x[i]! * x[i]! - (i + 1));
      return s;
    },
  },
  Rastrigin: {
    a: -5.12,
    b: 5.12,
    separable: true,
    f: (x) => {
      let s = 10 * x.length;
      for (const v of x) s += v * v - 10 * Math.cos(2 * Math.PI * v);
      return s;
    },
  },
  Schaffer: {
    a: -100,
    b: 100,
    separable: false,
    f: (x) => {
      let s = 0;
      for (let i = 0; i + 1 < x.length; i++) {
        const r2 = x[i]! * x[i]! + x[i + 1]! * x[i + 1]!;
        s += 0.5 + (sq(Math.sin(Math.sqrt(r2))) - 0.5) / sq(1 + 0.001 * r2);
      }
      return s;
    },
  },
  Schwefel: {
    a: 0,
    b: 500,
    separable: true,
    f: (x) => {
      let s = 0;
      for (const v of x) s += v * Math.sin(Math.sqrt(Math.abs(v)));
      return -s / x.length;
    },
  },
  Sphere: {
    a: -5.12,
    b: 5.12,
    separable: true,
    f: (x) => {
      let s = 0;
      for (const v of x) s += v * v;
      return s;
    },
  },
  Squares: {
    a: -10,
    b: 10,
    separable: true,
    f: (x) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += (i + 1) * x[i]! * x[i]!;
      return s;
    },
  },
  Trigonometric: {
    a: 0,
    b: Math.PI,
    outward: true,
    separable: false,
    f: (x) => {
      const d = x.length;
      let c = 0;
      for (const v of x) c += Math.cos(v);
      let s = 0;
      for (let i = 0; i < d; i++) s += sq(d - c + (i + 1) * (1 - Math.cos(x[i]!) - Math.sin(x[i]!)));
      return s;
    },
  },
  Wavy: {
    a: -Math.PI,
    b: Math.PI,
    separable: true,
    f: (x) => {
      let s = 0;
      for (const v of x) s += Math.cos(10 * v) * Math.exp((-v * v) / 2);
      return 1 - s / x.length;
    },
  },
};

/**
 * A benchmark of the HTBB paper on a Chebyshev grid: its name, d and n, the shifted bounds and grid per
 * dimension, whether it is separable, the function at a point and the batched black box over grid indices.
 */
export interface BenchmarkFunction {
  name: BenchmarkName;
  d: number;
  /** grid size per dimension */
  n: number;
  /** shifted lower / upper bounds per dimension (length d) */
  lower: Float64Array;
  upper: Float64Array;
  /** Chebyshev grid per dimension (length n each; index 0 is the upper bound) */
  grids: Float64Array[];
  /** a sum of per-coordinate terms: rank ≤ 2 in every unfolding */
  separable: boolean;
  /** the function at a point x (length d) */
  f: (x: Float64Array) => number;
  /** the batched black box over grid indices */
  batch: BatchFunction;
}

/**
 * A benchmark function of the HTBB paper on the reference's grid: n-point Chebyshev grid on
 * bounds shifted by (b − a)/100 times numpy default_rng(42) draws (inward, or outward for Qing
 * and Trigonometric), exactly as teneva_bm builds them (HTBB.md §6). d ≤ 1024.
 */
export function benchmarkFunction(
  name: BenchmarkName,
  d: number,
  options: { n?: number } = {},
): BenchmarkFunction {
  const spec = SPECS[name];
  if (spec === undefined) {
    throw new ArgumentError(
      `benchmarkFunction: name must be one of ${BENCHMARK_NAMES.join(', ')}, got ${String(name)}`,
    );
  }
  checkInt('benchmarkFunction: d', d, { positive: true, max: SHIFT_DRAWS.length / 2 });
  const n = checkInt('benchmarkFunction: options.n', options.n ?? 8, { min: 2, max: 1 << 20 });
  const s = (spec.b - spec.a) / 100;
  const sign = spec.outward ? -1 : 1;
  const lower = new Float64Array(d);
  const upper = new Float64Array(d);
  const grids: Float64Array[] = [];
  for (let k = 0; k < d; k++) {
    lower[k] = spec.a + sign * s * SHIFT_DRAWS[k]!;
    upper[k] = spec.b - sign * s * SHIFT_DRAWS[d + k]!;
    grids.push(chebyshevGrid(n, lower[k]!, upper[k]!));
  }
  return {
    name,
    d,
    n,
    lower,
    upper,
    grids,
    separable: spec.separable,
    f: spec.f,
    batch: gridFunction(spec.f, grids),
  };
}
