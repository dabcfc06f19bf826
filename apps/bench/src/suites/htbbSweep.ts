/**
 * `tenzo-bench htbb sweep`: the spread of HTBB's cost over seeds (issue #25). Approximation mode
 * (docs/HTBB.md §7 protocol: r0 = 2, `sweeps` sweeps + finalisation, f(I[perm]) with a random input
 * permutation per seed) is run over many seeds per function; per function the median and maximum
 * unique evaluations, their ratio (the bar: max ≤ 3 × median) and the errors on a fixed random
 * test set. Every (function, d, seed) run is self-contained so the command can resume.
 */
import { Rng } from '@tenzo/core';
import {
  type BatchFunction,
  BENCHMARK_NAMES,
  type BenchmarkName,
  benchmarkFunction,
  type HtbbApproxOptions,
  htbbApprox,
  htEvaluate,
  relativeError,
} from '@tenzo/decomp';

export interface SweepRun {
  fn: BenchmarkName;
  d: number;
  seed: number;
  /** unique black-box evaluations of the run */
  evals: number;
  /** relative L2 error on the test set */
  err: number;
  /** largest rank of the interpolant */
  maxRank: number;
  /** sweeps completed */
  sweeps: number;
  /** true when the run's evaluation budget ended it (the best interpolant so far was returned) */
  budgetStopped: boolean;
  seconds: number;
}

/** The approximation protocol's black box: f(I[perm]) with a random input permutation per seed. */
export function permutedBox(batch: BatchFunction, d: number, seed: number): BatchFunction {
  const perm = new Rng(1_000_003 * seed + 17).permutation(d);
  return (points, count) => {
    const q = new Int32Array(count * d);
    for (let i = 0; i < count; i++) for (let k = 0; k < d; k++) q[i * d + k] = points[i * d + perm[k]!]!;
    return batch(q, count, d);
  };
}

/**
 * The approximation protocol's setup for one (function, d, seed): the benchmark function, its
 * black box f(I[perm]) and a test set of `testSize` (default 10⁴) uniform random multi-indices
 * drawn from `testSeed` (default 0; the same for every seed) with f's values there.
 */
export async function approxProtocol(
  fn: BenchmarkName,
  d: number,
  seed: number,
  opts: { testSize?: number; testSeed?: number } = {},
) {
  const bf = benchmarkFunction(fn, d);
  const f = permutedBox(bf.batch, d, seed);
  const m = opts.testSize ?? 10_000;
  const rng = new Rng(opts.testSeed ?? 0);
  const test = new Int32Array(m * d);
  for (let i = 0; i < test.length; i++) test[i] = rng.int(bf.n);
  const y = await f(test, m, d);
  return { bf, f, test, m, y };
}

/**
 * One run of the seed sweep: htbbApprox on f(I[perm]) with the library's default bounds (the
 * options in `htbb` are passed on, e.g. a rank cap or budget), error on `testSize` uniform random
 * multi-indices drawn from `testSeed`.
 */
export async function sweepRun(
  fn: BenchmarkName,
  d: number,
  seed: number,
  opts: { sweeps?: number; testSize?: number; testSeed?: number; htbb?: Partial<HtbbApproxOptions> } = {},
): Promise<SweepRun> {
  const { bf, f, test, m, y } = await approxProtocol(fn, d, seed, opts);
  const t0 = performance.now();
  const h = await htbbApprox(f, { ...opts.htbb, d, n: bf.n, r0: 2, sweeps: opts.sweeps ?? 100, seed });
  const seconds = (performance.now() - t0) / 1000;
  return {
    fn,
    d,
    seed,
    evals: h.evaluations,
    err: relativeError(y, htEvaluate(h.ht, test, m)),
    maxRank: Math.max(...h.ht.cores.map((c) => c.cols)),
    sweeps: h.sweeps,
    budgetStopped: (h as { budgetExhausted?: boolean }).budgetExhausted === true,
    seconds,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export interface SweepSummaryRow {
  function: BenchmarkName;
  d: number;
  seeds: number;
  medianEvals: number;
  maxEvals: number;
  /** max / median evaluations (the bar: ≤ 3) */
  maxOverMedian: number;
  meanErr: number;
  medianErr: number;
  maxErr: number;
  maxRank: number;
  /** runs the evaluation budget ended */
  budgetStops: number;
  meanSeconds: number;
}

/** Per (function, d): evaluation spread and errors over the seeds. */
export function summarizeSweep(runs: SweepRun[]): SweepSummaryRow[] {
  const out: SweepSummaryRow[] = [];
  const ds = [...new Set(runs.map((r) => r.d))].sort((a, b) => a - b);
  for (const d of ds) {
    for (const fn of BENCHMARK_NAMES) {
      const rs = runs.filter((r) => r.fn === fn && r.d === d);
      if (rs.length === 0) continue;
      const ev = rs.map((r) => r.evals);
      const med = median(ev);
      const mx = Math.max(...ev);
      out.push({
        function: fn,
        d,
        seeds: rs.length,
        medianEvals: med,
        maxEvals: mx,
        maxOverMedian: mx / med,
        meanErr: mean(rs.map((r) => r.err)),
        medianErr: median(rs.map((r) => r.err)),
        maxErr: Math.max(...rs.map((r) => r.err)),
        maxRank: Math.max(...rs.map((r) => r.maxRank)),
        budgetStops: rs.filter((r) => r.budgetStopped).length,
        meanSeconds: mean(rs.map((r) => r.seconds)),
      });
    }
  }
  return out;
}
