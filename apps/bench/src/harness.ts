/**
 * The measurement harness every bench suite uses: warm-up first, then repeated timed runs
 * until both a minimum sample count and a minimum total time are reached; the median is
 * reported. All implementations of one case are measured in the same process, back to back,
 * so ratios compare like with like.
 */

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

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
  /** optional accuracy or context, e.g. 'err 3e-15' */
  note?: string;
}

export interface SuiteContext {
  /** seed for every random input */
  seed: number;
  /** quick mode: fewer sizes and samples (used by tests and --quick) */
  quick: boolean;
  /** progress callback: called once per finished row */
  onRow?: (row: BenchRow) => void;
}

/**
 * Ratios of each row's median to the baseline's median in the same case (ratio < 1: faster
 * than the baseline). `baselines` is in order of preference: each case uses the first one that
 * was measured in it (e.g. tfjs-wasm for float32, ml-matrix for float64, which tfjs lacks).
 */
export function withRatios(
  rows: BenchRow[],
  baselines: string | readonly string[],
): (BenchRow & { ratio: number | null; baseline: string | null })[] {
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
    return { ...r, ratio: b === undefined ? null : r.medianMs / b.medianMs, baseline: b?.impl ?? null };
  });
}
