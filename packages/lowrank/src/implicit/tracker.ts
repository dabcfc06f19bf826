import { ArgumentError, checkInt, checkOneOf, Rng, type RngState, type Seed, StateError } from '@tenzo/core';
import { clone } from '@tenzo/linalg';
import { checkLowRank, type LowRank } from '../lowRank.js';
import { type F0Cache, type ImplicitResult, prefetchF0 } from './common.js';
import { type ExactRebuildOptions, exactRebuild } from './exactRebuild.js';
import { type GalerkinSource, implicitAdaptiveBug, implicitBug } from './implicitBug.js';
import { implicitKsl } from './implicitKsl.js';
import { checkEstimator, type TransposeEstimator } from './probes.js';
import { type LinearQuery, QueryCounter, type QueryReport } from './query.js';

/**
 * How an {@link ImplicitTracker} updates its surrogate: the projector-splitting integrator ('ksl'), the
 * basis-update & Galerkin integrator ('bug') or its rank-adaptive form ('adaptive-bug').
 */
export type TrackerIntegrator = 'ksl' | 'bug' | 'adaptive-bug';

/**
 * Options of an {@link ImplicitTracker}: the surrogate rank, probes per update and their estimator, the
 * integrator (KSL, BUG or rank-adaptive BUG) with its tolerance and rank cap, periodic exact rebuilds, f₁
 * caching and the seed or `Rng`.
 */
export interface ImplicitTrackerOptions {
  /** r: rank of the surrogate (the initial rank for 'adaptive-bug') */
  rank: number;
  /** M: probes per update for the transposed product */
  samples: number;
  /** default 'gaussian' */
  estimator?: TransposeEstimator;
  /** default 'ksl' (the paper's) */
  integrator?: TrackerIntegrator;
  /** BUG S-step source (default 'increment', or 'direct' with cacheF0, which needs it) */
  galerkin?: GalerkinSource;
  /** 'adaptive-bug' truncation tolerance (relative, default 1e-8) and rank cap */
  tol?: number;
  maxRank?: number;
  /**
   * exact rebuild every k updates: after k implicit updates the next one is an exactRebuild of
   * f1 instead (0, the default: only the initial build)
   */
  rebuildEvery?: number;
  /** how rebuilds query and factor (default: identity probes, full SVD) */
  rebuild?: Omit<ExactRebuildOptions, 'rng' | 'seed'>;
  /**
   * query f1 at the end of every update (and after every rebuild) on the next update's rows,
   * so updates never query f0 — the device need not be switched back to its old ω
   */
  cacheF0?: boolean;
  /** generator of every probe (advanced in place); or a seed (default 0) */
  rng?: Rng;
  seed?: Seed;
}

/** Everything an ImplicitTracker needs to resume exactly (plain data: matrices and numbers). */
export interface TrackerState {
  readonly surrogate: LowRank | null;
  readonly cache: F0Cache | null;
  readonly updatesSinceRebuild: number;
  /** the probe generator's state, so a resumed run draws the same probes */
  readonly rng: RngState;
}

/** The report of one `init` or `update`. */
export interface TrackerReport extends QueryReport {
  /** 'rebuild' for init and periodic rebuilds, 'update' for implicit updates */
  readonly kind: 'rebuild' | 'update';
  /** rank of the surrogate afterwards */
  readonly rank: number;
}

/**
 * Keeps a low-rank surrogate of a black-box linear operator current as the operator changes
 * (the hybrid layer's device as ω is trained): an exact build at `init`, an implicit update per
 * change, an exact rebuild every `rebuildEvery` updates, optional f0 caching. All state is plain
 * data (`surrogate`, `cache`, `updatesSinceRebuild`, the Rng state) for checkpoints.
 */
export class ImplicitTracker {
  private y: LowRank | null = null;
  private f0Cache: F0Cache | undefined;
  private sinceRebuild = 0;
  private rng: Rng;
  private readonly dIn: number;
  private readonly o: {
    rank: number;
    samples: number;
    estimator: TransposeEstimator;
    integrator: TrackerIntegrator;
    galerkin: GalerkinSource;
    tol: number;
    maxRank: number | undefined;
    rebuildEvery: number;
    rebuild: Omit<ExactRebuildOptions, 'rng' | 'seed'>;
    cacheF0: boolean;
  };

  constructor(dIn: number, options: ImplicitTrackerOptions) {
    const op = 'ImplicitTracker';
    this.dIn = checkInt(`${op}: dIn`, dIn, { positive: true });
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError(`${op}: options {rank, samples, ...} are required, got ${String(options)}`);
    }
    const samples = checkInt(`${op}: options.samples`, options.samples, { positive: true });
    const cacheF0 = options.cacheF0 === true;
    const integrator = checkOneOf(`${op}: options.integrator`, options.integrator ?? 'ksl', [
      'ksl',
      'bug',
      'adaptive-bug',
    ] as const);
    const galerkin = checkOneOf(
      `${op}: options.galerkin`,
      options.galerkin ?? (cacheF0 ? 'direct' : 'increment'),
      ['increment', 'direct'] as const,
    );
    if (cacheF0 && integrator !== 'ksl' && galerkin === 'increment') {
      throw new ArgumentError(
        `${op}: cacheF0 with a BUG integrator needs galerkin: 'direct' (the increment S-step queries f0 at the new basis)`,
      );
    }
    if (options.rng !== undefined && typeof (options.rng as Partial<Rng> | null)?.fillNormal !== 'function') {
      throw new ArgumentError(`${op}: options.rng must be an Rng from @tenzo/core`);
    }
    this.rng = options.rng ?? new Rng(options.seed ?? 0);
    this.o = {
      rank: checkInt(`${op}: options.rank`, options.rank, { positive: true, max: dIn }),
      samples,
      estimator: checkEstimator(op, options.estimator ?? 'gaussian', samples, dIn),
      integrator,
      galerkin,
      tol: options.tol ?? 1e-8,
      maxRank: options.maxRank,
      rebuildEvery: checkInt(`${op}: options.rebuildEvery`, options.rebuildEvery ?? 0),
      rebuild: { ...(options.rebuild ?? {}) },
      cacheF0,
    };
  }

  /** The current surrogate (null before `init`). */
  get surrogate(): LowRank | null {
    return this.y;
  }

  /** The f0 responses the next update will use (with `cacheF0`). */
  get cache(): F0Cache | undefined {
    return this.f0Cache;
  }

  /** Implicit updates since the last exact (re)build. */
  get updatesSinceRebuild(): number {
    return this.sinceRebuild;
  }

  /** A deep copy of the state, for checkpoints. */
  getState(): TrackerState {
    const y = this.y;
    const c = this.f0Cache;
    return {
      surrogate: y === null ? null : { U: clone(y.U), S: clone(y.S), V: clone(y.V) },
      cache:
        c === undefined
          ? null
          : { V: clone(c.V), probes: clone(c.probes), estimator: c.estimator, responses: clone(c.responses) },
      updatesSinceRebuild: this.sinceRebuild,
      rng: this.rng.getState(),
    };
  }

  /** Restores `getState()` output (validated; the options stay those of the constructor). */
  setState(state: TrackerState): void {
    const op = 'ImplicitTracker.setState';
    if (state === null || typeof state !== 'object')
      throw new ArgumentError(`${op}: expected a TrackerState`);
    const y = state.surrogate === null ? null : checkLowRank(op, state.surrogate);
    if (y !== null && y.V.rows !== this.dIn) {
      throw new ArgumentError(`${op}: surrogate has d_in = ${y.V.rows}, this tracker ${this.dIn}`);
    }
    const since = checkInt(`${op}: updatesSinceRebuild`, state.updatesSinceRebuild);
    const rng = Rng.fromState(state.rng);
    this.y = y === null ? null : { U: clone(y.U), S: clone(y.S), V: clone(y.V) };
    const c = state.cache;
    this.f0Cache =
      c === null
        ? undefined
        : { V: clone(c.V), probes: clone(c.probes), estimator: c.estimator, responses: clone(c.responses) };
    this.sinceRebuild = since;
    this.rng = rng;
  }

  /** Exact build from f (the operator's current setting); with `cacheF0`, also prefetches. */
  async init(f: LinearQuery): Promise<TrackerReport> {
    return this.rebuildFrom(f);
  }

  /**
   * Brings the surrogate from f0 (the operator before the change) to f1 (after). f0 may be
   * omitted when `cacheF0` is on (the cache holds its responses). Every `rebuildEvery`-th call
   * after a build is an exact rebuild of f1 instead (no f0 queries).
   */
  async update(f1: LinearQuery, f0?: LinearQuery): Promise<TrackerReport> {
    const y = this.y;
    if (y === null) throw new StateError('ImplicitTracker.update: call init(f) first');
    const { rebuildEvery } = this.o;
    if (rebuildEvery > 0 && this.sinceRebuild >= rebuildEvery) return this.rebuildFrom(f1);
    const from = this.f0Cache ?? f0;
    if (from === undefined) {
      throw new ArgumentError('ImplicitTracker.update: f0 is required without a cache (cacheF0: false)');
    }
    const common = {
      samples: this.o.samples,
      estimator: this.o.estimator,
      rng: this.rng,
      prefetch: this.o.cacheF0,
    };
    let res: ImplicitResult;
    if (this.o.integrator === 'ksl') res = await implicitKsl(y, from, f1, common);
    else if (this.o.integrator === 'bug')
      res = await implicitBug(y, from, f1, { ...common, galerkin: this.o.galerkin });
    else {
      res = await implicitAdaptiveBug(y, from, f1, {
        ...common,
        galerkin: this.o.galerkin,
        tol: this.o.tol,
        ...(this.o.maxRank === undefined ? {} : { maxRank: this.o.maxRank }),
      });
    }
    this.y = res.surrogate;
    this.f0Cache = res.cache;
    this.sinceRebuild++;
    return { ...res.report, kind: 'update', rank: res.surrogate.U.cols };
  }

  private async rebuildFrom(f: LinearQuery): Promise<TrackerReport> {
    const r = await exactRebuild(f, this.dIn, this.o.rank, { ...this.o.rebuild, rng: this.rng });
    this.y = r.surrogate;
    this.sinceRebuild = 0;
    this.f0Cache = undefined;
    let calls = r.report.calls;
    let f1Queries = r.report.f1Queries;
    if (this.o.cacheF0) {
      // the rebuild rows are not the next update's rows, so one prefetch call follows
      const counter = new QueryCounter('ImplicitTracker', r.surrogate.U.rows);
      const p = { samples: this.o.samples, estimator: this.o.estimator, rng: this.rng, prefetch: true };
      this.f0Cache = await prefetchF0(r.surrogate.V, f, p, counter);
      const pre = counter.report();
      calls = [...calls, ...pre.calls];
      f1Queries += pre.f1Queries;
    }
    return {
      forwardQueries: f1Queries,
      f0Queries: 0,
      f1Queries,
      cachedF0: 0,
      calls,
      kind: 'rebuild',
      rank: r.surrogate.U.cols,
    };
  }
}
