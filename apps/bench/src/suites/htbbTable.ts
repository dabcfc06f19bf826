/**
 * The HTBB paper's optimisation table, column for column (docs/HTBB.md §7, issue #25): on the 14
 * benchmark functions (n = 8), every method minimises the same function with the same budget of
 * unique evaluations — HTBB, the paper's baselines re-implemented in @tenzo/decomp (TTOpt,
 * PROTES, nevergrad's OnePlusOne / DiscreteOnePlusOne / SPSA / PSO on TransitionChoice) and
 * tenzo's own (1+1)-ES and random search. The reference implementation (Python, teneva) is not
 * run here: its column is the reference repository's stored result (HTBB.md §7, d = 256 only).
 */
import {
  type BaselineOptions,
  type BaselineResult,
  BENCHMARK_NAMES,
  type BenchmarkName,
  benchmarkFunction,
  type HtbbOptimizeResult,
  htbbMinimize,
  ngOnePlusOneMinimize,
  ngPsoMinimize,
  ngSpsaMinimize,
  onePlusOneMinimize,
  protesMinimize,
  randomSearchMinimize,
  ttoptMinimize,
} from '@tenzo/decomp';
import { HTBB_REFERENCE } from './htbb.js';

type Runner = (
  f: Parameters<typeof htbbMinimize>[0],
  o: BaselineOptions,
) => Promise<HtbbOptimizeResult | BaselineResult>;

/** The table's columns, in order: key, header, runner. */
export const TABLE_METHODS = [
  { key: 'htbb', header: 'HTBB', run: htbbMinimize as Runner },
  { key: 'ttopt', header: 'TTOpt', run: ttoptMinimize as Runner },
  { key: 'protes', header: 'PROTES', run: protesMinimize as Runner },
  { key: 'opo', header: 'OnePlusOne', run: ngOnePlusOneMinimize as Runner },
  {
    key: 'dopo',
    header: 'DiscreteOPO',
    run: ((f, o) => ngOnePlusOneMinimize(f, { ...o, mutation: 'discrete' })) as Runner,
  },
  { key: 'spsa', header: 'SPSA', run: ngSpsaMinimize as Runner },
  { key: 'pso', header: 'PSO', run: ngPsoMinimize as Runner },
  { key: 'es', header: '(1+1)-ES', run: onePlusOneMinimize as Runner },
  { key: 'random', header: 'random', run: randomSearchMinimize as Runner },
] as const;

export type TableMethod = (typeof TABLE_METHODS)[number]['key'];

/** The reference's SPSA and PSO columns at d = 256 (HTBB.md §7; TTOpt and OPO are in HTBB_REFERENCE). */
const REFERENCE_SPSA_PSO: Record<BenchmarkName, [number, number]> = {
  Alpine: [398.6, 475.9],
  Chung: [1.536e6, 6.983e7],
  Dixon: [3.197e6, 2.683e8],
  Griewank: [31.19, 209.4],
  Pathological: [93.2, 106.5],
  Pinter: [5.937e5, 1.511e6],
  Qing: [1.259e12, 1.756e12],
  Rastrigin: [931.3, 3721],
  Schaffer: [101.6, 119.7],
  Schwefel: [-188.5, -138.4],
  Sphere: [316.6, 2186],
  Squares: [1.554e5, 1.024e6],
  Trigonometric: [1.772e7, 1.009e7],
  Wavy: [0.3224, 0.6363],
};

export interface TableRun {
  fn: BenchmarkName;
  seed: number;
  d: number;
  /** per method: best value, unique evaluations, seconds, why it stopped, best-so-far trace */
  methods: Record<
    TableMethod,
    { value: number; evals: number; seconds: number; stoppedBy: string; trace: [number, number][] }
  >;
}

/** One (function, seed): every method of the table with the same budget and seed. */
export async function tableRun(
  fn: BenchmarkName,
  d: number,
  seed: number,
  budget: number,
): Promise<TableRun> {
  const bf = benchmarkFunction(fn, d);
  const methods = {} as TableRun['methods'];
  for (const m of TABLE_METHODS) {
    const t0 = performance.now();
    const r = await m.run(bf.batch, { d, n: bf.n, budget, seed });
    methods[m.key] = {
      value: r.value,
      evals: r.evaluations,
      seconds: (performance.now() - t0) / 1000,
      stoppedBy: r.stoppedBy,
      trace: r.trace.map((p) => [p.evaluations, p.value] as [number, number]),
    };
  }
  return { fn, seed, d, methods };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Per-function means of every method, the best tenzo method and the best baseline (tenzo's
 * "best method" is the better of HTBB and its (1+1)-ES; the paper's baselines are TTOpt,
 * PROTES, OnePlusOne, DiscreteOPO, SPSA, PSO and random search), and at d = 256 the reference's
 * stored columns.
 */
export function summarizeTable(runs: TableRun[], d: number) {
  const out: Record<string, number | string>[] = [];
  for (const fn of BENCHMARK_NAMES) {
    const rs = runs.filter((r) => r.fn === fn);
    if (rs.length === 0) continue;
    const row: Record<string, number | string> = { function: fn, seeds: rs.length };
    for (const m of TABLE_METHODS) row[m.key] = mean(rs.map((r) => r.methods[m.key].value));
    const ours = (['htbb', 'es'] as const).map((k) => [k, row[k] as number] as const);
    const theirs = TABLE_METHODS.filter((m) => m.key !== 'htbb' && m.key !== 'es').map(
      (m) => [m.key, row[m.key] as number] as const,
    );
    const bestOurs = ours.reduce((a, b) => (b[1] < a[1] ? b : a));
    const bestTheirs = theirs.reduce((a, b) => (b[1] < a[1] ? b : a));
    row.best = [...ours, ...theirs].reduce((a, b) => (b[1] < a[1] ? b : a))[0];
    row.tenzoBest = bestOurs[0];
    row.baselineBest = bestTheirs[0];
    // ≤ 0: tenzo's best method is at least as good as every baseline (relative to |value|)
    row.gap = (bestOurs[1] - bestTheirs[1]) / Math.max(Math.abs(bestTheirs[1]), Number.MIN_VALUE);
    row.htbbSeconds = mean(rs.map((r) => r.methods.htbb.seconds));
    if (d === 256) {
      const ref = HTBB_REFERENCE[fn];
      row.refHtbb = ref.opt;
      row.refTtopt = ref.optTtopt;
      row.refOpo = ref.optOpo;
      row.refSpsa = REFERENCE_SPSA_PSO[fn][0];
      row.refPso = REFERENCE_SPSA_PSO[fn][1];
    }
    out.push(row);
  }
  return out;
}

/** Mean best-so-far per method on a grid of evaluation counts (for the SVGs). */
export function tableTraces(runs: TableRun[], budget: number, points = 60) {
  const xs = Array.from({ length: points }, (_, j) => Math.max(1, Math.round(((j + 1) * budget) / points)));
  return TABLE_METHODS.map((m) => ({
    name: m.header,
    x: xs,
    y: xs.map((x) => {
      const vals = runs.map((r) => {
        let v = Number.NaN;
        for (const [e, val] of r.methods[m.key].trace) if (e <= x) v = val;
        return v;
      });
      return vals.some(Number.isNaN) ? Number.NaN : mean(vals);
    }),
  }));
}
