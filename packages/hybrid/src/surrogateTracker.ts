import { type Restore, type Rng, type RngState, type Stateful, StateReader } from '@tenzo/core';
import { diag, type Matrix, svdTruncated } from '@tenzo/linalg';
import { implicitBug, implicitKsl, type LinearQuery, type LowRank } from '@tenzo/lowrank';
import { queryDevice } from './deviceQuery.js';
import type { ResolvedLayerOptions } from './options.js';
import type { LayerDevice } from './physicalLayer.js';
import type { QueryCounts } from './stats.js';

/** A row-major matrix in a checkpoint. */
export type MatrixState = { readonly rows: number; readonly cols: number; readonly data: Float64Array };

/** What the tracker needs to make its next update exactly as it would have (a checkpoint). */
export type SurrogateTrackerState = {
  /** U: d_out×r, S: r×r, V: d_in×r; null before the first build */
  readonly surrogate: { readonly U: MatrixState; readonly S: MatrixState; readonly V: MatrixState } | null;
  /** the ω the surrogate was brought to: the next implicit update queries f_0 = A(ω) there */
  readonly omega: Float64Array | null;
  /** implicit updates since the last exact build (`rebuildEvery` counts them) */
  readonly updatesSinceRebuild: number;
  /** the generator of the sketch probes */
  readonly rng: RngState;
};

/**
 * Keeps a rank-r surrogate U S Vᵀ of the device's A(ω) current (METHODS.md §1.3–1.4): an exact
 * build from identity probes at the start (and every `rebuildEvery` ω changes), otherwise the
 * implicit KSL/BUG update from f_0 = A(ω_old) to f_1 = A(ω_new) with 2(r + M_SM) queries.
 */
export class SurrogateTracker implements Stateful<SurrogateTrackerState> {
  surrogate: LowRank | null = null;
  private omega: Float64Array | null = null;
  private updatesSinceRebuild = 0;
  /** set by a drift check: the next sync rebuilds exactly, even at the same ω */
  private rebuildNext = false;

  constructor(
    private readonly device: LayerDevice,
    private readonly options: ResolvedLayerOptions,
    private readonly rng: Rng,
    private readonly queries: QueryCounts,
  ) {}

  /** A deep copy of the surrogate, its ω, the update count and the probe generator. */
  state(): SurrogateTrackerState {
    const y = this.surrogate;
    return {
      surrogate: y === null ? null : { U: matrixState(y.U), S: matrixState(y.S), V: matrixState(y.V) },
      omega: this.omega === null ? null : this.omega.slice(),
      updatesSinceRebuild: this.updatesSinceRebuild,
      rng: this.rng.getState(),
    };
  }

  /** Restores `state()` of a tracker of the same device and options (checked before any change). */
  load(state: SurrogateTrackerState): void {
    this.readState(new StateReader('SurrogateTracker.load', state))();
  }

  /** Checks a snapshot read through `r`; the returned function puts it in place. */
  readState(r: StateReader): Restore {
    const { inputSize: dIn, outputSize: dOut, paramSize } = this.device;
    let surrogate: LowRank | null = null;
    if (!r.isNull('surrogate')) {
      const y = r.record('surrogate');
      const rank = y.record('V').number('cols', { integer: true, min: 1, max: Math.min(dIn, dOut) });
      surrogate = {
        U: readMatrix(y, 'U', dOut, rank),
        S: readMatrix(y, 'S', rank, rank),
        V: readMatrix(y, 'V', dIn, rank),
      };
    }
    const omega = r.isNull('omega') ? null : r.float64('omega', paramSize);
    const since = r.count('updatesSinceRebuild');
    const rng = r.rng('rng');
    return () => {
      this.surrogate = surrogate;
      this.omega = omega;
      this.updatesSinceRebuild = since;
      this.rng.setState(rng);
    };
  }

  /**
   * Brings the surrogate to ω (no queries when ω has not changed since the last sync). The
   * tracker keeps `omega` itself (no copy): the caller hands over an array it no longer changes.
   */
  async sync(omega: Float64Array): Promise<void> {
    if (!this.rebuildNext && this.surrogate !== null && this.omega !== null && sameVector(this.omega, omega))
      return;
    const { rebuildEvery } = this.options;
    if (
      this.rebuildNext ||
      this.surrogate === null ||
      this.omega === null ||
      (rebuildEvery > 0 && this.updatesSinceRebuild >= rebuildEvery)
    ) {
      await this.rebuild(omega);
    } else {
      // neither is changed while the update runs (this.omega is replaced, never written)
      const from = this.omega;
      const to = omega;
      const { executor } = this.options;
      const f0: LinearQuery = (x) => queryDevice(this.device, executor, x.data, from);
      const f1: LinearQuery = (x) => queryDevice(this.device, executor, x.data, to);
      const opts = {
        samples: this.options.sketchSamples,
        estimator: this.options.sketchEstimator,
        rng: this.rng,
      };
      const res =
        this.options.integrator === 'bug'
          ? await implicitBug(this.surrogate, f0, f1, opts)
          : await implicitKsl(this.surrogate, f0, f1, opts);
      this.surrogate = res.surrogate;
      this.queries.surrogate += res.report.forwardQueries;
      this.updatesSinceRebuild++;
    }
    this.omega = omega;
  }

  /** The device changed under a fixed ω (drift): the next `sync` rebuilds the surrogate exactly. */
  invalidate(): void {
    this.rebuildNext = true;
  }

  /** Exact truncated SVD of A(ω) from the d_in identity probes (rows e_k give A e_k). */
  private async rebuild(omega: Float64Array): Promise<void> {
    const { inputSize: dIn, outputSize: dOut } = this.device;
    const eye = new Float64Array(dIn * dIn);
    for (let k = 0; k < dIn; k++) eye[k * dIn + k] = 1;
    // d_in×d_out: row k is (A e_k)ᵀ
    const At = await queryDevice(this.device, this.options.executor, eye, omega);
    this.queries.rebuild += dIn;
    const A: Matrix = { rows: dOut, cols: dIn, data: new Float64Array(dOut * dIn) };
    for (let k = 0; k < dIn; k++) for (let j = 0; j < dOut; j++) A.data[j * dIn + k] = At[k * dOut + j]!;
    const { U, S, V } = svdTruncated(A, { rank: this.options.rank });
    this.surrogate = { U, S: diag(S), V };
    this.updatesSinceRebuild = 0;
    this.rebuildNext = false;
  }
}

function matrixState(m: Matrix): MatrixState {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** The matrix at `key`, which must be rows×cols. */
function readMatrix(r: StateReader, key: string, rows: number, cols: number): Matrix {
  const m = r.record(key);
  const shape = [m.value('rows'), m.value('cols')];
  if (shape[0] !== rows || shape[1] !== cols) throw r.shapeError(key, `a ${rows}×${cols} matrix`, shape);
  return { rows, cols, data: m.float64('data', rows * cols) };
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
