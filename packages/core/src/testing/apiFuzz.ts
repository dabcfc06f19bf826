import fc from 'fast-check';
import { describeValue } from '../describe.js';
import { TenzoError, type TenzoErrorCode } from '../errors.js';

/**
 * The public-API fuzz contract of issue #22, shared by every package's `publicApi.fuzz.test.ts`:
 * each call on generated (mostly bad) input ends in a typed error with a stable code or in a
 * correct result, never a raw error, a non-finite result from finite input, or a hang.
 * Test-only: reached through `@tenzo/core/testing` under the workspace's source condition.
 */

export type FuzzOutcome = 'typed' | 'correct' | 'raw' | 'silentWrong' | 'hang';

/**
 * How the calls of a fuzz run ended: `tried` in all, then one count per outcome — a typed tenzo error, a
 * correct result, a raw (untyped) error, a silently wrong result, a hang.
 */
export interface FuzzCounts {
  tried: number;
  typed: number;
  correct: number;
  raw: number;
  silentWrong: number;
  hang: number;
}

/**
 * How much of "correct" was checked: `cases` exports/methods fuzzed, `casesWithPredicate` of them
 * with their own `ok` predicate (shapes, values, identities), `correctChecked` the correct results
 * judged by such a predicate (the rest only by the default finiteness check).
 */
export interface PredicateCounts {
  cases: number;
  casesWithPredicate: number;
  correctChecked: number;
}

/**
 * One fuzzed call of a public API for `apiFuzz`: a name for the report, an arbitrary of (mostly bad)
 * argument lists, the call itself and, optionally, a predicate that checks a result that is not an error.
 */
export interface ApiCase<A extends unknown[]> {
  /** the export (and method) being called, for the report */
  name: string;
  /** generated arguments: mostly bad, some valid so that both branches run */
  args: fc.Arbitrary<A>;
  /** calls the export with one generated argument list; what it returns or throws is classified */
  call: (...args: NoInfer<A>) => unknown;
  /**
   * Whether these arguments are admissible. A call on inadmissible arguments that returns instead
   * of throwing a typed error is a silent wrong result. Default: every argument list is admissible.
   */
  valid?: (...args: NoInfer<A>) => boolean;
  /** Whether a returned result is correct; default: finite whenever every argument is finite. */
  ok?: (result: unknown, args: NoInfer<A>) => boolean;
  /** generated cases for this export (default: the fuzz's `runs`) */
  runs?: number;
}

const CODES: ReadonlySet<TenzoErrorCode> = new Set<TenzoErrorCode>([
  'E_SHAPE',
  'E_DTYPE',
  'E_NON_FINITE',
  'E_RANGE',
  'E_ARGUMENT',
  'E_FORMAT',
  'E_BUDGET',
  'E_CONVERGENCE',
  'E_SINGULAR',
  'E_BACKEND',
  'E_STATE',
  'E_EVALUATION',
  'E_IO',
]);

/** True when every number reachable in `value` (arrays, typed arrays, plain fields, `.data`) is finite. */
export function allFinite(value: unknown, depth = 4): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depth < 0) return true;
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView || typeof (value as unknown as ArrayLike<unknown>)[0] === 'bigint')
      return true;
    const a = value as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    return true;
  }
  if (Array.isArray(value)) return value.every((v) => allFinite(v, depth - 1));
  const data = (value as { data?: unknown }).data;
  if (ArrayBuffer.isView(data)) return allFinite(data, depth - 1);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return true;
  return Object.values(value).every((v) => allFinite(v, depth - 1));
}

function show(args: readonly unknown[]): string {
  return args.map((a) => describeValue(a)).join(', ');
}

/** Runs generated calls against the contract and tallies each outcome. */
export class ApiFuzz {
  readonly counts: FuzzCounts = { tried: 0, typed: 0, correct: 0, raw: 0, silentWrong: 0, hang: 0 };
  /** one line per raw error, silent wrong result or hang (the first 50) */
  readonly problems: string[] = [];
  readonly predicates: PredicateCounts = { cases: 0, casesWithPredicate: 0, correctChecked: 0 };
  private readonly perExport = new Map<string, number>();

  constructor(
    readonly pkg: string,
    readonly opts: { seed?: number; runs?: number; hangMs?: number } = {},
  ) {}

  private record(outcome: FuzzOutcome, name: string, args: readonly unknown[], detail = ''): void {
    this.counts.tried++;
    this.counts[outcome]++;
    this.perExport.set(name, (this.perExport.get(name) ?? 0) + 1);
    if (outcome !== 'typed' && outcome !== 'correct' && this.problems.length < 400)
      this.problems.push(`${outcome}: ${name}(${show(args)})${detail ? ` → ${detail}` : ''}`);
  }

  /** Calls `c.call` on `c.runs` generated argument lists (fixed seed) and classifies each outcome. */
  async check<A extends unknown[]>(c: ApiCase<A>): Promise<void> {
    const hangMs = this.opts.hangMs ?? 2000;
    this.predicates.cases++;
    if (c.ok) this.predicates.casesWithPredicate++;
    const samples = fc.sample(c.args, {
      numRuns: c.runs ?? this.opts.runs ?? 20,
      seed: this.opts.seed ?? 22,
    });
    for (const args of samples) {
      // TENZO_FUZZ_TRACE=1 names each call before it runs: the way to find a synchronous hang
      if (process.env.TENZO_FUZZ_TRACE) process.stderr.write(`${c.name}(${show(args)})\n`);
      const start = performance.now();
      let outcome: FuzzOutcome;
      let detail = '';
      try {
        let result = c.call(...args);
        if (result instanceof Promise) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise<typeof HANG>((resolve) => {
            timer = setTimeout(() => resolve(HANG), hangMs);
          });
          result = await Promise.race([result, timeout]).finally(() => clearTimeout(timer));
        }
        if (result === HANG || performance.now() - start > hangMs) outcome = 'hang';
        else if (c.valid && !c.valid(...args)) {
          outcome = 'silentWrong';
          detail = 'accepted';
        } else if (!(c.ok ? c.ok(result, args) : !allFinite(args) || allFinite(result))) {
          outcome = 'silentWrong';
          detail = `returned ${describeValue(result)}`;
        } else {
          outcome = 'correct';
          if (c.ok) this.predicates.correctChecked++;
        }
      } catch (e) {
        if (performance.now() - start > hangMs) outcome = 'hang';
        else if (e instanceof TenzoError && CODES.has(e.code) && e.message.length > 0) outcome = 'typed';
        else {
          outcome = 'raw';
          detail = e instanceof Error ? `${e.name}: ${e.message}` : describeValue(e);
        }
      }
      this.record(outcome, c.name, args, detail);
    }
  }

  /** Runs every case in turn (built with `apiCase`). */
  async checkAll(cases: readonly ApiCase<unknown[]>[]): Promise<void> {
    for (const c of cases) await this.check(c);
  }

  /** Exports that were called, for asserting that none was left out. */
  exportsCalled(): string[] {
    return [...this.perExport.keys()].map((k) => k.split(/[.(]/)[0]!);
  }

  /** One printable line: package, then the six counts. */
  summary(): string {
    const c = this.counts;
    const p = this.predicates;
    return `${this.pkg}: tried ${c.tried} / typed error ${c.typed} / correct ${c.correct} / raw ${c.raw} / silent wrong ${c.silentWrong} / hang ${c.hang} (${p.casesWithPredicate} of ${p.cases} cases with a result predicate; ${p.correctChecked} correct results checked by one)`;
  }
}

const HANG = Symbol('hang');

/** A case with its argument types checked, erased for a list of cases of different signatures. */
export function apiCase<A extends unknown[]>(c: ApiCase<A>): ApiCase<unknown[]> {
  return c as unknown as ApiCase<unknown[]>;
}

/** Junk of every type: what an untyped caller might pass anywhere. */
export const junk: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '3',
  '',
  'abc',
  true,
  {},
  [],
  [Number.NaN],
  () => 1,
  Symbol('junk'),
  10n,
);

/** Numbers at every edge plus junk; `valid` decides which of them a slot accepts. */
export const anyNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, -0.5, 2, 3, 1e-320, 1e308, -1e308, 2 ** 53),
  fc.integer({ min: -4, max: 8 }),
  fc.double({ noNaN: false }),
  junk,
);

/** Sizes: mostly small valid integers, with negative, zero, fractional, huge and junk ones. */
export const anySize: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 40, 1e300) },
  { weight: 1, arbitrary: junk },
);

/** Arrays of numbers: empty, with NaN/±Infinity, typed, ragged, junk. */
export const anyNumbers: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 0, maxLength: 6 }),
  fc.array(fc.double({ noNaN: false }), { minLength: 1, maxLength: 6 }),
  fc.constantFrom<unknown>(
    [],
    [1, Number.NaN],
    [Number.POSITIVE_INFINITY],
    new Float64Array(0),
    new Float64Array([1, 2, 3]),
    new Int32Array([1, 2]),
    ['1', '2'],
    [[1], [2, 3]],
  ),
  junk,
);

/** Finite, non-empty array of numbers. */
export function isFiniteArray(x: unknown, length?: number): x is ArrayLike<number> {
  if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) return false;
  const a = x as ArrayLike<unknown>;
  if (a.length === 0 || (length !== undefined && a.length !== length)) return false;
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) return false;
  return true;
}

/** An integer in [min, max]. */
export function isInt(x: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}

/** A finite number in [min, max]. */
export function isNum(
  x: unknown,
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;
}
