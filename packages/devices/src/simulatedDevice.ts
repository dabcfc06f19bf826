import {
  ArgumentError,
  checkAllFinite,
  checkInt,
  checkNumber,
  describeValue,
  OutOfRangeError,
  type Restore,
  Rng,
  type RngState,
  type Seed,
  ShapeError,
  StateError,
  type Stateful,
  StateReader,
} from '@tenzo/core';
import type { ZoExecutor } from './accel/executor.js';
import type { ProjectionHost } from './accel/projectedZo.js';
import { type ShardedMatrix, shardedProduct, shardsQuery, sharedFloat64 } from './accel/shardedQuery.js';
import type { DeviceUnits, ParamBounds, PhysicalDevice } from './device.js';
import { type LedgerBudget, type LedgerSnapshot, QueryLedger } from './ledger.js';
import { DriftProcess, type DriftState } from './noise/drift.js';
import { applyOutputNoise, type OutputNoise } from './noise/outputNoise.js';
import { quantizeUniform } from './noise/quantize.js';

/** Options every simulator accepts: shared noise models, seed and query budget. */
export interface SimulatorOptions {
  /** output-side noise applied in order after every query (see `gaussianNoise`, `detectorNoise`, ...) */
  readonly outputNoise?: readonly OutputNoise[];
  /** random-walk drift of the realised ω, std per query call (param units) */
  readonly drift?: number;
  /** seed of the device's noise generator (per-query noise, drift); default 0 */
  readonly seed?: Seed;
  /** hard query limits; exceeding one throws `BudgetError` */
  readonly budget?: LedgerBudget;
  /**
   * The input-side DAC: every entry of X is clipped to [lo, hi] and rounded to one of 2^bits
   * levels before it reaches the physics, as the modulators that encode x on a chip do
   * (torchonn's input quantisation). Absent: inputs are continuous.
   */
  readonly inputDac?: InputDac;
}

/** An input DAC: `bits` bits spanning [lo, hi] (see `SimulatorOptions.inputDac`). */
export interface InputDac {
  readonly bits: number;
  readonly lo: number;
  readonly hi: number;
}

/** Static description a simulator passes to the base class. */
export interface SimulatorSpec {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  readonly units: DeviceUnits;
  readonly bounds: ParamBounds;
}

/** A simulator's checkpoint state (see `SimulatedDevice.state`). */
export type SimulatorState = {
  /** the device's name, checked on load (a snapshot of another device is refused) */
  readonly name: string;
  /** the commanded ω the device is set to (paramSize), and whether one was set at all */
  readonly omega: Float64Array;
  readonly initialised: boolean;
  /** the generator of per-query noise, drift and projected readout noise */
  readonly noiseRng: RngState;
  /** the drift walk's position (null for a device without drift) */
  readonly drift: DriftState | null;
  readonly ledger: LedgerSnapshot;
};

function checkInputDac(device: string, dac: unknown): InputDac {
  if (typeof dac !== 'object' || dac === null)
    throw new ArgumentError(
      `${device}: inputDac expected an object { bits, lo, hi }, got ${describeValue(dac)}`,
    );
  const { bits, lo, hi } = dac as Partial<InputDac>;
  const fn = `${device}: inputDac`;
  return {
    bits: checkInt(`${fn}.bits`, bits, { min: 1, max: 24 }),
    lo: checkNumber(`${fn}.lo`, lo),
    hi: checkNumber(`${fn}.hi`, hi, { gt: lo as number }),
  };
}

/** Bounds helper: every parameter in [lo, hi]. */
export function uniformBounds(size: number, lo: number, hi: number): ParamBounds {
  checkInt('uniformBounds: size', size, { max: 2 ** 31 - 1 });
  // ±Infinity are bounds too (periodic phases are unbounded); NaN and lo > hi are not
  if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo <= hi))
    throw new OutOfRangeError(
      `uniformBounds: expected numbers lo <= hi, got ${describeValue(lo)} and ${describeValue(hi)}`,
    );
  return { lower: new Float64Array(size).fill(lo), upper: new Float64Array(size).fill(hi) };
}

/**
 * Base class of the simulators: validates shapes, keeps ω and the ledger, applies drift and the
 * shared output noise, times the query. Subclasses implement the physics in `simulate`.
 *
 * Checkpoints (`Stateful`): `state()` holds everything a query changes, so a simulator built with
 * the same options that loads it answers the following queries bit for bit like the original.
 * A subclass with changing state of its own would extend `state` and `readState`; the shipped
 * ones have none — their matrix caches (`OmegaKey`) are keyed on ω and A(ω) depends on nothing
 * else, so they stay valid across a load.
 */
export abstract class SimulatedDevice implements PhysicalDevice, Stateful<SimulatorState> {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramSize: number;
  readonly units: DeviceUnits;
  readonly bounds: ParamBounds;
  readonly ledger: QueryLedger;
  /** the generator behind per-query noise and drift (seeded by `options.seed`) */
  protected readonly noiseRng: Rng;
  private readonly outputNoise: readonly OutputNoise[];
  private readonly drift: DriftProcess | null;
  private readonly omega: Float64Array;
  /** the ω the light sees in the query being computed (the setting, moved by drift) */
  protected readonly realised: Float64Array;
  /** scratch: the clamped ω of the query being checked */
  private readonly pending: Float64Array;
  /** every parameter unbounded (periodic phases): queries skip the clamp */
  private readonly unbounded: boolean;
  private initialised = false;
  /** without drift: `realised` holds the current setting (cleared whenever the setting changes) */
  private realisedCurrent = false;
  /**
   * changes whenever `realised` is written: a simulator that built its matrix from `realised`
   * at this version may reuse it without comparing ω (see `shardedMatrix`)
   */
  protected realisedVersion = 0;
  /** the input DAC, or null for continuous inputs */
  readonly inputDac: InputDac | null;
  /** reusable scratch of the projected ZO path */
  private readonly scratchArrays: Float64Array[] = [];
  /** reusable shared X and outputs of sharded queries */
  private readonly queryScratch: Float64Array[] = [];

  constructor(spec: SimulatorSpec, options: SimulatorOptions = {}) {
    if (typeof options !== 'object' || options === null)
      throw new ArgumentError(`${spec.name}: options expected an object, got ${describeValue(options)}`);
    this.name = spec.name;
    this.inputSize = checkInt('inputSize', spec.inputSize, { positive: true });
    this.outputSize = checkInt('outputSize', spec.outputSize, { positive: true });
    this.paramSize = checkInt('paramSize', spec.paramSize);
    this.units = spec.units;
    this.bounds = spec.bounds;
    this.ledger = new QueryLedger(options.budget);
    this.noiseRng = new Rng(options.seed ?? 0);
    if (options.outputNoise !== undefined && !Array.isArray(options.outputNoise))
      throw new ArgumentError(
        `${spec.name}: outputNoise expected an array of OutputNoise, got ${describeValue(options.outputNoise)}`,
      );
    this.outputNoise = options.outputNoise ?? [];
    // NaN is falsy: checked first, so `drift: NaN` is an error rather than drift switched off
    const drift =
      options.drift === undefined ? 0 : checkNumber(`${spec.name}: drift`, options.drift, { min: 0 });
    this.drift = drift > 0 ? new DriftProcess(this.paramSize, drift) : null;
    this.omega = new Float64Array(this.paramSize);
    // shared: a sharded query's chunks may read the phases the device derives from it
    this.realised = sharedFloat64(this.paramSize);
    this.pending = new Float64Array(this.paramSize);
    this.unbounded =
      spec.bounds.lower.every((v) => v === Number.NEGATIVE_INFINITY) &&
      spec.bounds.upper.every((v) => v === Number.POSITIVE_INFINITY);
    this.inputDac = options.inputDac === undefined ? null : checkInputDac(spec.name, options.inputDac);
  }

  /**
   * X as the device sees it: through the input DAC when there is one (a quantised copy; X itself
   * is never changed), else X.
   */
  protected digitise(X: Float64Array): Float64Array {
    const dac = this.inputDac;
    if (dac === null || !(X instanceof Float64Array)) return X; // the caller reports a bad X
    return quantizeUniform(X.slice(), dac.bits, dac.lo, dac.hi);
  }

  /**
   * Why the projected ZO query would not be exact for this simulator's shared noise settings
   * (drift moves ω between queries; only Gaussian readout noise projects exactly), or null.
   */
  protected projectionBlocker(): string | null {
    if (this.drift) return 'drift changes the realised ω between queries';
    const other = this.outputNoise.find((m) => m.kind !== 'gaussian');
    if (other) return `'${other.kind}' readout noise does not project onto ⟨y, W⟩ exactly`;
    return null;
  }

  /** The simulator state a projected ZO estimate reads and updates (see accel/projectedZo). */
  protected projectionHost(): ProjectionHost {
    let variance = 0;
    for (const m of this.outputNoise) if (m.kind === 'gaussian') variance += m.sigma * m.sigma;
    return {
      name: this.name,
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      bounds: this.bounds,
      ledger: this.ledger,
      readoutSigma: Math.sqrt(variance),
      digitise: (P) => this.digitise(P),
      noiseKey: () => [this.noiseRng.nextUint32(), this.noiseRng.nextUint32()],
      scratch: (slot, n, shared) => this.sharedScratch(this.scratchArrays, slot, n, shared),
      settle: (omega) => {
        const changed = this.differs(omega);
        if (changed) this.assign(omega);
        return changed;
      },
    };
  }

  /**
   * Writes B×outputSize outputs for the B×inputSize batch X at the realised ω (drift already
   * added; device-specific parameter non-idealities are the subclass's business).
   */
  protected abstract simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void;

  /** Draws ω from the device's initialisation distribution into `out`. */
  protected abstract sampleInit(rng: Rng, out: Float64Array): void;

  params(): Float64Array {
    return this.omega.slice();
  }

  /** A deep copy of the changing state: setting, noise generator, drift, ledger. */
  state(): SimulatorState {
    return {
      name: this.name,
      omega: this.omega.slice(),
      initialised: this.initialised,
      noiseRng: this.noiseRng.getState(),
      drift: this.drift === null ? null : this.drift.state(),
      ledger: this.ledger.state(),
    };
  }

  /** Restores `state()` of a simulator built with the same options (all checked before any change). */
  load(state: SimulatorState): void {
    this.readState(new StateReader(`${this.name}.load`, state))();
  }

  /** Checks a snapshot read through `r`; the returned function puts it in place. */
  readState(r: StateReader): Restore {
    const name = r.value('name');
    if (name !== this.name) throw r.formatError('name', `'${this.name}' (this device)`, name);
    const omega = r.float64('omega', this.paramSize);
    const initialised = r.boolean('initialised');
    const noise = r.rng('noiseRng');
    let drift: Restore = () => {};
    if (this.drift !== null) drift = this.drift.readState(r.record('drift'));
    else if (!r.isNull('drift'))
      throw r.formatError('drift', 'null (this device has no drift)', r.value('drift'));
    const ledger = this.ledger.readState(r.record('ledger'));
    return () => {
      this.omega.set(omega);
      this.realisedCurrent = false;
      this.initialised = initialised;
      this.noiseRng.setState(noise);
      drift();
      ledger();
    };
  }

  initParams(rng: Rng): Float64Array {
    const out = new Float64Array(this.paramSize);
    this.sampleInit(rng, out);
    return out;
  }

  setParams(omega: Float64Array): void {
    this.checkOmega(omega);
    if (this.differs(omega)) {
      this.ledger.checkReconfiguration();
      this.assign(omega);
      this.ledger.reconfigurations++;
    }
  }

  async query(X: Float64Array, omega?: Float64Array): Promise<Float64Array> {
    return this.querySync(X, omega);
  }

  /**
   * The same answer and accounting as `query(X, ω)`, with the product (and, for the SLM and
   * the all-pass microring bank, the build of A(ω)) cut into output blocks that run on
   * `executor`'s threads: bit-identical for any executor. Small queries, and simulators without
   * a matrix to shard, compute in this thread. A simulator capability like `projectedZo`, not
   * part of the black-box contract; one query at a time (await it before the next).
   */
  async queryOn(executor: ZoExecutor, X: Float64Array, omega?: Float64Array): Promise<Float64Array> {
    if (
      executor === null ||
      typeof executor !== 'object' ||
      typeof (executor as Partial<ZoExecutor>).run !== 'function'
    )
      throw new ArgumentError(
        `${this.name}.queryOn: executor expected a ZoExecutor (inProcess, or workerPool from @tenzo/devices/node), got ${describeValue(executor)}`,
      );
    const batch = this.admit(X, omega);
    const t0 = performance.now();
    this.realise();
    const plan = shardsQuery(executor, batch, this.inputSize, this.outputSize)
      ? this.shardedMatrix(this.realised)
      : null;
    let out: Float64Array;
    if (plan === null) {
      out = new Float64Array(batch * this.outputSize);
      this.simulate(this.digitise(X), batch, this.realised, out);
    } else {
      const scratch = (slot: number, n: number) => this.sharedScratch(this.queryScratch, slot, n, true);
      out = await shardedProduct(
        executor,
        plan,
        this.digitise(X),
        batch,
        this.inputSize,
        this.outputSize,
        scratch,
      );
    }
    return this.finish(out, batch, t0);
  }

  /**
   * The matrix a sharded query multiplies by, for the realised ω (see `queryOn`): null (the
   * default) when the simulator has none and computes its queries in `simulate`.
   */
  protected shardedMatrix(_omega: Float64Array): ShardedMatrix | null {
    return null;
  }

  /** The synchronous core of `query` (simulators resolve immediately); same accounting. */
  querySync(X: Float64Array, omega?: Float64Array): Float64Array {
    const batch = this.admit(X, omega);
    const t0 = performance.now();
    this.realise();
    const out = new Float64Array(batch * this.outputSize);
    this.simulate(this.digitise(X), batch, this.realised, out);
    return this.finish(out, batch, t0);
  }

  /** Checks a query, sets the device to ω (counted) and returns its batch size. */
  private admit(X: Float64Array, omega: Float64Array | undefined): number {
    if (!(X instanceof Float64Array)) throw new ShapeError(`${this.name}.query: X must be a Float64Array`);
    if (X.length === 0 || X.length % this.inputSize !== 0) {
      throw new ShapeError(
        `${this.name}.query: X length ${X.length} is not a positive multiple of inputSize ${this.inputSize}`,
      );
    }
    checkAllFinite('X', X);
    const batch = X.length / this.inputSize;
    let reconf = false;
    if (omega !== undefined) {
      this.checkOmegaShape(omega);
      // one pass: finiteness, clamping into the bounds and the comparison with the current
      // setting (the ZO estimates reconfigure ~10⁷ parameters per training step)
      reconf = this.clampInto(omega, this.pending);
    } else if (!this.initialised && this.paramSize > 0) {
      throw new StateError(`${this.name}.query: no ω given and none set yet (call setParams or pass ω)`);
    }
    this.ledger.check(batch, reconf);
    if (omega !== undefined && reconf) {
      this.omega.set(this.pending);
      this.realisedCurrent = false;
      this.initialised = true;
      this.ledger.reconfigurations++;
    }
    return batch;
  }

  /** The ω the light sees this query: the setting, moved by drift. */
  private realise(): void {
    if (this.drift) {
      this.drift.step(this.noiseRng);
      this.drift.apply(this.omega, this.realised);
      this.realisedVersion++;
    } else if (!this.realisedCurrent) {
      this.realised.set(this.omega);
      this.realisedCurrent = true;
      this.realisedVersion++;
    }
  }

  /** Readout noise and the ledger's count of a computed query. */
  private finish(out: Float64Array, batch: number, t0: number): Float64Array {
    applyOutputNoise(this.outputNoise, out, this.noiseRng);
    this.ledger.wallMs += performance.now() - t0;
    this.ledger.calls++;
    this.ledger.inputs += batch;
    return out;
  }

  /** Scratch array number `slot` of `arrays` with length n (shared or not), reused across calls. */
  private sharedScratch(arrays: Float64Array[], slot: number, n: number, shared: boolean): Float64Array {
    const cur = arrays[slot];
    if (cur !== undefined && cur.length === n && cur.buffer instanceof SharedArrayBuffer === shared)
      return cur;
    const a = shared ? sharedFloat64(n) : new Float64Array(n);
    arrays[slot] = a;
    return a;
  }

  /** Resolves an optional ω for the exact side interface (defaults to the current setting). */
  protected resolveOmega(omega: Float64Array | undefined): Float64Array {
    if (omega === undefined) return this.clipped(this.omega);
    this.checkOmega(omega);
    return this.clipped(omega);
  }

  private clipped(omega: Float64Array): Float64Array {
    const out = new Float64Array(omega.length);
    const { lower, upper } = this.bounds;
    for (let i = 0; i < omega.length; i++) out[i] = Math.min(upper[i]!, Math.max(lower[i]!, omega[i]!));
    return out;
  }

  private checkOmega(omega: Float64Array): void {
    this.checkOmegaShape(omega);
    checkAllFinite('omega', omega);
  }

  private checkOmegaShape(omega: Float64Array): void {
    if (!(omega instanceof Float64Array) || omega.length !== this.paramSize) {
      throw new ShapeError(
        `${this.name}: ω must be a Float64Array of length ${this.paramSize}, got ${omega?.constructor?.name}(${omega?.length})`,
      );
    }
  }

  /**
   * Writes ω clamped into the bounds to `out` and says whether it differs from the current
   * setting; throws NonFiniteError (via checkAllFinite) on NaN/±∞.
   */
  private clampInto(omega: Float64Array, out: Float64Array): boolean {
    const { lower, upper } = this.bounds;
    const cur = this.omega;
    // most queries repeat the setting (the surrogate's f0, the forward after f1): equal entries
    // are finite and within the bounds already, so one compare pass settles it (`out` unused)
    if (this.initialised) {
      let i = 0;
      while (i < omega.length && omega[i] === cur[i]) i++;
      if (i === omega.length) return false;
    }
    // unbounded parameters (periodic phases) skip the clamp's two loads and compares
    const clamp = !this.unbounded;
    let changed = !this.initialised;
    let finite = true;
    for (let i = 0; i < omega.length; i++) {
      const v = omega[i]!;
      if (v - v !== 0) finite = false;
      const c = clamp ? Math.min(upper[i]!, Math.max(lower[i]!, v)) : v;
      out[i] = c;
      if (c !== cur[i]) changed = true;
    }
    if (!finite) checkAllFinite('omega', omega);
    return changed;
  }

  private differs(omega: Float64Array): boolean {
    if (!this.initialised) return true;
    const { lower, upper } = this.bounds;
    for (let i = 0; i < omega.length; i++) {
      if (Math.min(upper[i]!, Math.max(lower[i]!, omega[i]!)) !== this.omega[i]) return true;
    }
    return false;
  }

  // Hardware saturates at its limits: ω outside the bounds is clipped, like a DAC at full scale.
  private assign(omega: Float64Array): void {
    const { lower, upper } = this.bounds;
    for (let i = 0; i < omega.length; i++)
      this.omega[i] = Math.min(upper[i]!, Math.max(lower[i]!, omega[i]!));
    this.initialised = true;
    this.realisedCurrent = false;
  }
}
