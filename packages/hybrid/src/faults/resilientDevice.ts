import { FormatError, type Rng } from '@tenzo/core';
import { InvalidRowsError, type PhysicalDevice, RemoteDeviceError } from '@tenzo/devices';

/** What a physical layer does when its device misbehaves (`PhysicalLayerOptions.faults`). */
export interface FaultPolicy {
  /** re-queries of just the invalid rows of one query (non-finite, out of range; default 3) */
  readonly rowRetries?: number;
  /**
   * re-sends of a whole query after the device gave up on it (a `RemoteDeviceError` with reason
   * 'exhausted', after the client's own retries, or a malformed answer; default 1). Refusals (4xx)
   * and aborts are not retried: they fail the step at once.
   */
  readonly queryRetries?: number;
}

/** The layer's fault and drift counters (`PhysicalLayer.faults`). */
export type FaultCounts = {
  /** rows sent again because their answer was invalid */
  rowRequeries: number;
  /** whole queries sent again after the device gave up */
  queryRetries: number;
  /** drift checks run (each re-queries the probe set) */
  driftChecks: number;
  /** drift checks above the threshold: each triggered an exact surrogate rebuild */
  driftRebuilds: number;
  /** input vectors spent on drift checks */
  driftQueries: number;
};

export function zeroFaults(): FaultCounts {
  return { rowRequeries: 0, queryRetries: 0, driftChecks: 0, driftRebuilds: 0, driftQueries: 0 };
}

/**
 * A device seen through the layer's fault policy: `query` re-queries only the invalid rows of an
 * answer (`InvalidRowsError`, up to `rowRetries` times, keeping the valid rows) and re-sends a
 * query the device gave up on (`queryRetries`). What still fails is thrown as the device threw it
 * (an `EvaluationError`: the trainer skips the step). The rest of the contract is the device's.
 * Used for devices with no checkpointable state and no exact access — real and remote ones — so
 * runs on simulators are untouched.
 */
export class ResilientDevice implements PhysicalDevice {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  private readonly rowRetries: number;
  private readonly queryRetries: number;

  constructor(
    readonly device: PhysicalDevice,
    policy: Required<FaultPolicy>,
    private readonly counts: FaultCounts,
  ) {
    this.name = device.name;
    this.inputSize = device.inputSize;
    this.outputSize = device.outputSize;
    this.paramSize = device.paramSize;
    this.rowRetries = policy.rowRetries;
    this.queryRetries = policy.queryRetries;
  }

  /** The wrapped device's parameter units. */
  get units() {
    return this.device.units;
  }
  /** The wrapped device's parameter bounds. */
  get bounds() {
    return this.device.bounds;
  }
  get paramStep() {
    return this.device.paramStep ?? null;
  }
  get ledger() {
    return this.device.ledger;
  }
  params(): Float64Array {
    return this.device.params();
  }
  setParams(omega: Float64Array): void {
    this.device.setParams(omega);
  }
  initParams(rng: Rng): Float64Array {
    return this.device.initParams(rng);
  }

  async query(X: Float64Array, omega?: Float64Array): Promise<Float64Array> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.queryRows(X, omega);
      } catch (err) {
        if (attempt >= this.queryRetries || !retryable(err)) throw err;
        this.counts.queryRetries++;
      }
    }
  }

  /** One query; its invalid rows are sent again (alone) until valid or `rowRetries` is spent. */
  private async queryRows(X: Float64Array, omega?: Float64Array): Promise<Float64Array> {
    try {
      return await this.device.query(X, omega);
    } catch (err) {
      if (!(err instanceof InvalidRowsError) || this.rowRetries === 0) throw err;
      const { inputSize: n, outputSize: m } = this;
      const out = err.output.slice();
      let bad = [...err.rows];
      for (let k = 0; k < this.rowRetries; k++) {
        this.counts.rowRequeries += bad.length;
        const sub = new Float64Array(bad.length * n);
        for (const [i, r] of bad.entries()) sub.set(X.subarray(r * n, (r + 1) * n), i * n);
        let Y: Float64Array;
        let still: readonly number[] = [];
        try {
          Y = await this.device.query(sub, omega);
        } catch (again) {
          if (!(again instanceof InvalidRowsError)) throw again;
          Y = again.output;
          still = again.rows;
        }
        const keep = new Set(still);
        bad.forEach((r, i) => {
          if (!keep.has(i)) out.set(Y.subarray(i * m, (i + 1) * m), r * m);
        });
        if (still.length === 0) return out;
        bad = still.map((i) => bad[i]!);
      }
      throw new InvalidRowsError(
        `${this.name}.query: rows [${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', …' : ''}] (${bad.length} of ${X.length / n}) still invalid after ${this.rowRetries} re-queries (first: ${err.message})`,
        err.requestId,
        bad,
        out,
      );
    }
  }
}

/** A whole query worth sending again: the device gave up on transport faults, or answered garbage. */
function retryable(err: unknown): boolean {
  if (err instanceof RemoteDeviceError) return err.reason === 'exhausted';
  return err instanceof FormatError;
}
