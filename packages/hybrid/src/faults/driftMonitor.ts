import { type Restore, Rng, type StateReader } from '@tenzo/core';
import type { FaultCounts } from './resilientDevice.js';

/** When and how a physical layer checks its device for drift (`PhysicalLayerOptions.drift`). */
export interface DriftCheckOptions {
  /** check every this many training forwards (0: never, the default) */
  readonly every?: number;
  /** relative change ‖Y − Y_ref‖_F / ‖Y_ref‖_F above which the surrogate is rebuilt (default 0.05) */
  readonly threshold?: number;
  /** k: probe rows (default 8) */
  readonly probes?: number;
}

/** A drift monitor's checkpoint: its reference setting and answers, and forwards since the last check. */
export type DriftState = {
  /** ω_ref (paramSize) and Y_ref (k×d_out), or null before the first reference was taken */
  readonly reference: { readonly omega: Float64Array; readonly Y: Float64Array } | null;
  readonly forwards: number;
};

/**
 * Output drift of a device at a fixed setting (a laser warming up, a detector's gain creeping):
 * the surrogate, tracked from ω changes only, cannot see it, and the ZO gradient's baseline goes
 * stale. The monitor keeps k fixed probe rows P (k×d_in, drawn once from its own generator) and
 * their answers Y_ref at a reference setting ω_ref; every `every` training forwards it re-queries
 * P at ω_ref (k queries) and compares:
 *
 *   rel = ‖f_{ω_ref}(P) − Y_ref‖_F / ‖Y_ref‖_F  >  threshold  ⇒  exact surrogate rebuild + warning
 *
 * after which the reference is retaken at the next forward's ω (k queries). Its generator is its
 * own (the fourth stream of the layer's seed), so turning it on leaves the layer's ZO, sketch and
 * backward-probe streams as they were.
 */
export class DriftMonitor {
  private ref: { omega: Float64Array; Y: Float64Array } | null = null;
  private forwards = 0;
  private readonly P: Float64Array;
  readonly warnings: string[] = [];

  constructor(
    private readonly name: string,
    inputSize: number,
    private readonly options: Required<DriftCheckOptions>,
    seed: number,
    private readonly counts: FaultCounts,
  ) {
    const seeds = new Rng(seed);
    for (let i = 0; i < 3; i++) seeds.fork();
    const rng = seeds.fork();
    this.P = new Float64Array(options.probes * inputSize);
    for (let i = 0; i < this.P.length; i++) this.P[i] = rng.normal();
  }

  /** A deep copy of the reference and the forward count (the probe rows follow from the seed). */
  state(): DriftState {
    return {
      reference: this.ref === null ? null : { omega: this.ref.omega.slice(), Y: this.ref.Y.slice() },
      forwards: this.forwards,
    };
  }

  /**
   * Checks a `state()` read through `r` for a device of `paramSize` parameters and `outputSize`
   * outputs; the returned function puts it in place.
   */
  readState(r: StateReader, paramSize: number, outputSize: number): Restore {
    const forwards = r.count('forwards');
    let reference: { omega: Float64Array; Y: Float64Array } | null = null;
    if (!r.isNull('reference')) {
      const ref = r.record('reference');
      reference = {
        omega: ref.float64('omega', paramSize),
        Y: ref.float64('Y', this.options.probes * outputSize),
      };
    }
    return () => {
      this.ref = reference;
      this.forwards = forwards;
    };
  }

  /** Called at each training forward with its ω; true when the surrogate must be rebuilt now. */
  async check(
    omega: Float64Array,
    query: (X: Float64Array, omega: Float64Array) => Promise<Float64Array>,
  ): Promise<boolean> {
    const { every, threshold, probes } = this.options;
    if (every === 0) return false;
    if (this.ref === null) {
      this.ref = { omega: omega.slice(), Y: await query(this.P, omega) };
      this.counts.driftQueries += probes;
      this.forwards = 0;
      return false;
    }
    if (++this.forwards % every !== 0) return false;
    const Y = await query(this.P, this.ref.omega);
    this.counts.driftQueries += probes;
    this.counts.driftChecks++;
    const rel = relativeChange(Y, this.ref.Y);
    if (!(rel > threshold)) return false;
    this.counts.driftRebuilds++;
    this.warnings.push(
      `${this.name}: output drift ${rel.toPrecision(3)} (relative, on ${probes} probe rows at a fixed ω) above ${threshold}: surrogate rebuilt exactly`,
    );
    this.ref = null;
    return true;
  }
}

function relativeChange(Y: Float64Array, ref: Float64Array): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < ref.length; i++) {
    d += (Y[i]! - ref[i]!) ** 2;
    r += ref[i]! ** 2;
  }
  return r === 0 ? (d === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.sqrt(d / r);
}
