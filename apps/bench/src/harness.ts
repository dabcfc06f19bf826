/**
 * The measurement harness every bench suite uses. Two ways to time:
 * - `measure`: one function, warm-up first, then repeated timed runs until both a minimum sample
 *   count and a minimum total time are reached; the median is reported.
 * - `measureInterleaved`: every implementation of one case, warmed up, then timed in rounds —
 *   each round runs each implementation once, in an order rotated from round to round. Load
 *   from elsewhere on the machine (another build, a thermal throttle) then falls on all of them
 *   alike, and the per-round ratios to a baseline give a ratio with an honest spread.
 */
import { ArgumentError } from '@tenzo/core';

export interface MeasureOptions {
  /** untimed calls before measuring (JIT, caches, wasm instantiation) */
  warmup?: number;
  /** at least this many timed calls */
  minSamples?: number;
  /** keep sampling until this much time has been spent (ms) */
  minTimeMs?: number;
  /** never take more than this many samples */
  maxSamples?: number;
}

export interface Measurement {
  medianMs: number;
  minMs: number;
  samples: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of xs, linearly interpolated between order statistics. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

const median = (xs: readonly number[]) => quantile(xs, 0.5);

/** Times a synchronous or asynchronous function. */
export async function measure(fn: () => unknown, opts: MeasureOptions = {}): Promise<Measurement> {
  const { warmup = 3, minSamples = 5, minTimeMs = 300, maxSamples = 200 } = opts;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxSamples && (times.length < minSamples || performance.now() - start < minTimeMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { medianMs: median(times), minMs: Math.min(...times), samples: times.length };
}

/** One implementation of a case, for {@link measureInterleaved}. */
export interface Implementation {
  name: string;
  /** the timed call */
  run: () => unknown;
  /** untimed, before every call of `run` (e.g. switching tfjs to this implementation's backend) */
  prepare?: () => unknown;
  /**
   * `run` resolves to its own duration in ms, measured where the work ran (a peer process that
   * times its step itself, so the pipe's latency stays out of the figure)
   */
  selfTimed?: boolean;
}

export interface InterleaveOptions {
  /** untimed calls of each implementation before the first round (default 2) */
  warmup?: number;
  /** at least this many rounds (default 5) */
  minRounds?: number;
  /** keep taking rounds until this much time has been spent (ms, default 300) */
  minTimeMs?: number;
  /** never take more than this many rounds (default 200) */
  maxRounds?: number;
  /** implementation the per-round ratios are taken against */
  baseline?: string;
  /** called after every round with the number of rounds done */
  onRound?: (rounds: number) => void;
}

/** Times of one implementation over the rounds of an interleaved measurement. */
export interface InterleavedTiming {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  p25Ms: number;
  p75Ms: number;
  /** round k's time at index k: aligned with every other implementation of the same measurement */
  roundsMs: number[];
}

/** Spread of the per-round ratios time / baseline time (< 1: faster than the baseline). */
export interface RatioSpread {
  baseline: string;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export interface InterleavedResult {
  rounds: number;
  /** in the order the implementations were given */
  timings: InterleavedTiming[];
  /** per implementation, its per-round ratios to `baseline` (empty without one) */
  ratios: Map<string, RatioSpread & { perRound: number[] }>;
}

/** Per-round ratios a[k] / b[k] of two aligned round series, summarised. */
export function roundRatios(
  a: readonly number[],
  b: readonly number[],
  baseline: string,
): RatioSpread & { perRound: number[] } {
  const perRound = a.map((t, k) => t / b[k]!);
  return {
    baseline,
    median: median(perRound),
    p25: quantile(perRound, 0.25),
    p75: quantile(perRound, 0.75),
    min: Math.min(...perRound),
    max: Math.max(...perRound),
    perRound,
  };
}

/**
 * Times the implementations of one case in interleaved rounds: warm-up of each, then rounds in
 * which every implementation runs once (round k starts at implementation k mod n), until both
 * `minRounds` and `minTimeMs` are reached.
 */
export async function measureInterleaved(
  impls: readonly Implementation[],
  opts: InterleaveOptions = {},
): Promise<InterleavedResult> {
  const { warmup = 2, minRounds = 5, minTimeMs = 300, maxRounds = 200, baseline } = opts;
  const names = impls.map((i) => i.name);
  if (new Set(names).size !== names.length)
    throw new ArgumentError(
      `measureInterleaved: implementation names must be unique, got ${names.join(', ')}`,
    );
  if (baseline !== undefined && !names.includes(baseline))
    throw new ArgumentError(
      `measureInterleaved: baseline '${baseline}' is not one of the implementations (${names.join(', ')})`,
    );
  const once = async (impl: Implementation): Promise<number> => {
    await impl.prepare?.();
    const t0 = performance.now();
    const r = await impl.run();
    const dt = performance.now() - t0;
    if (!impl.selfTimed) return dt;
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0)
      throw new ArgumentError(
        `measureInterleaved: '${impl.name}' is selfTimed, so run() must resolve to its time in ms; got ${String(r)}`,
      );
    return r;
  };
  for (const impl of impls) for (let i = 0; i < warmup; i++) await once(impl);
  const times: number[][] = impls.map(() => []);
  const start = performance.now();
  let rounds = 0;
  while (rounds < maxRounds && (rounds < minRounds || performance.now() - start < minTimeMs)) {
    for (let j = 0; j < impls.length; j++) {
      const i = (j + rounds) % impls.length;
      times[i]!.push(await once(impls[i]!));
    }
    rounds++;
    opts.onRound?.(rounds);
  }
  const timings = impls.map((impl, i) => {
    const t = times[i]!;
    return {
      name: impl.name,
      medianMs: median(t),
      minMs: Math.min(...t),
      maxMs: Math.max(...t),
      p25Ms: quantile(t, 0.25),
      p75Ms: quantile(t, 0.75),
      roundsMs: t,
    };
  });
  const ratios = new Map<string, RatioSpread & { perRound: number[] }>();
  if (baseline !== undefined) {
    const b = timings[names.indexOf(baseline)]!.roundsMs;
    for (const t of timings) ratios.set(t.name, roundRatios(t.roundsMs, b, baseline));
  }
  return { rounds, timings, ratios };
}

/** One measured (case, implementation) pair. */
export interface BenchRow {
  /** suite name, e.g. 'matmul', 'linalg' */
  suite: string;
  /** what was computed, e.g. 'f32 512x512x512' or 'qr 1024x64' */
  case: string;
  /** who computed it, e.g. 'tenzo', 'tfjs-wasm', 'ml-matrix', 'plain-js' */
  impl: string;
  medianMs: number;
  minMs: number;
  samples: number;
  /** interleaved measurements: the spread of the times */
  maxMs?: number;
  p25Ms?: number;
  p75Ms?: number;
  /** interleaved measurements: round k's time at index k, aligned with the case's other rows */
  roundsMs?: number[];
  /** optional accuracy or context, e.g. 'err 3e-15' */
  note?: string;
}

/** The rows of one interleaved measurement, in the order of its implementations. */
export function interleavedRows(
  result: InterleavedResult,
  base: { suite: string; case: string },
  notes: Readonly<Record<string, string>> = {},
): BenchRow[] {
  return result.timings.map(({ name, roundsMs, ...t }) => ({
    ...base,
    impl: name,
    ...t,
    samples: roundsMs.length,
    roundsMs,
    ...(notes[name] === undefined ? {} : { note: notes[name] }),
  }));
}

export interface SuiteContext {
  /** seed for every random input */
  seed: number;
  /** quick mode: tiny sizes and few samples (used by tests and --quick) */
  quick: boolean;
  /** the long grids (every size, bmm, more rounds): --full */
  full?: boolean;
  /** threads for tenzo's multi-threaded rows and the peers' all-threads rows (--threads) */
  threads?: number;
  /** progress callback: called once per finished row */
  onRow?: (row: BenchRow) => void;
  /** what a long case is doing (e.g. its round), for the progress line */
  onStatus?: (text: string) => void;
}

/** A row with its ratio to the case's baseline and, when both were interleaved, the ratio's spread. */
export type RatedRow = BenchRow & {
  ratio: number | null;
  baseline: string | null;
  /** quartiles and range of the per-round ratios (interleaved rows only) */
  ratioP25?: number;
  ratioP75?: number;
  ratioMin?: number;
  ratioMax?: number;
};

/**
 * Ratios of each row's time to the baseline's in the same case (ratio < 1: faster than the
 * baseline). `baselines` is in order of preference: each case uses the first one that was
 * measured in it (e.g. tfjs-wasm for float32, ml-matrix for float64, which tfjs lacks). When a row
 * and its baseline were measured in the same interleaved rounds, the ratio is the median of the
 * per-round ratios (paired, so load that hit one round hits both) and its quartiles and range come
 * with it; otherwise it is the ratio of the medians.
 */
export function withRatios(rows: BenchRow[], baselines: string | readonly string[]): RatedRow[] {
  const prefs = typeof baselines === 'string' ? [baselines] : baselines;
  const chosen = new Map<string, BenchRow>();
  for (const r of rows) {
    const key = `${r.suite}\u0000${r.case}`;
    const cur = chosen.get(key);
    const rank = prefs.indexOf(r.impl);
    if (rank >= 0 && (cur === undefined || rank < prefs.indexOf(cur.impl))) chosen.set(key, r);
  }
  return rows.map((r) => {
    const b = chosen.get(`${r.suite}\u0000${r.case}`);
    if (b === undefined) return { ...r, ratio: null, baseline: null };
    if (r.roundsMs !== undefined && b.roundsMs !== undefined && r.roundsMs.length === b.roundsMs.length) {
      const s = roundRatios(r.roundsMs, b.roundsMs, b.impl);
      return {
        ...r,
        ratio: s.median,
        baseline: b.impl,
        ratioP25: s.p25,
        ratioP75: s.p75,
        ratioMin: s.min,
        ratioMax: s.max,
      };
    }
    return { ...r, ratio: r.medianMs / b.medianMs, baseline: b.impl };
  });
}
