import {
  ArgumentError,
  checkObject,
  checkRng,
  describeValue,
  formatShape,
  type Restore,
  Rng,
  ShapeError,
  StateError,
  type Stateful,
  StateReader,
} from '@tenzo/core';
import type { ExactLinearAccess, PhysicalDevice, ZoExecutor } from '@tenzo/devices';
import {
  applyTranspose,
  applyTransposeCorrected,
  type LowRank,
  probeResidual,
  type ResidualProbes,
} from '@tenzo/lowrank';
import { Module, Parameter } from '@tenzo/nn';
import { allocate, type DType, fromTypedArray, recordOp, Tensor } from '@tenzo/tensor';
import { layerParamGrad } from '@tenzo/zo';
import { queryDevice } from './deviceQuery.js';
import { DriftMonitor } from './faults/driftMonitor.js';
import { type FaultCounts, ResilientDevice, zeroFaults } from './faults/resilientDevice.js';
import {
  deviceState,
  type PendingBatch,
  type PhysicalLayerState,
  readDeviceState,
  readFaultCounts,
  readPending,
} from './layerState.js';
import { type PhysicalLayerOptions, type ResolvedLayerOptions, resolveOptions } from './options.js';
import { type QueryCounts, readQueryCounts, zeroCounts } from './stats.js';
import { SurrogateTracker } from './surrogateTracker.js';

/**
 * A device that may also offer the simulator-only exact interface (for ablations) and a query
 * sharded over an executor's threads (`SimulatedDevice.queryOn`, used with the `executor` option).
 */
export type LayerDevice = PhysicalDevice & {
  readonly exact?: ExactLinearAccess;
  /** `query`, with the work sharded over the executor's threads (bit-identical results) */
  queryOn?(executor: ZoExecutor, X: Float64Array, omega?: Float64Array): Promise<Float64Array>;
};

/**
 * One ω-gradient of a `PhysicalLayer`: ω̄ (length paramSize), the input vectors sent to the device for it,
 * the batches it came from and the share of ‖ȲᵀX‖² its probes carried.
 */
export interface ParamGradReport {
  /** ω̄ (length paramSize), also written to `layer.omega.grad` */
  grad: Float64Array;
  /** input vectors sent to the device for it (0 in the exact modes) */
  queries: number;
  /** batches (forward calls with a backward) it was computed from */
  batches: number;
  /** share of ‖Ȳᵀ X‖² the ZO probes carried (below 1 only with `batchRank`) */
  captured: number;
}

/**
 * A physical device as a layer of a tenzo network (arXiv 2509.15113, METHODS.md §1):
 *
 *   forward:   y = g · f_ω(x)          (awaits the device; x: [B, d_in] → y: [B, d_out])
 *   backward:  x̄ = g · V Sᵀ Uᵀ ȳ       (the rank-r surrogate, synchronous, inside autograd)
 *              ḡ = Σ ⟨ȳ, f_ω(x)⟩
 *   then       await layer.estimateParamGrad()  → ω̄ by zeroth-order estimates (more queries)
 *
 * ω (`omega`, float64) and the gain train with their own optimizer (the reference: Adam, lr 1e-2,
 * cosine). The surrogate is rebuilt exactly from d_in identity probes on the first forward, and
 * afterwards tracked through every ω change by the implicit KSL (or BUG) integrator from
 * 2(r + M_SM) queries, lazily on the first forward after an optimizer step.
 *
 * Checkpoints: `stateDict()` holds ω, the gain and the gain-calibration flag; `state()` the rest —
 * the device's state, every generator, the surrogate and the ω it was tracked to, the query counts
 * and the batches awaiting `estimateParamGrad`. A layer built with the same arguments that loads
 * both (and whose optimizer loads its own state) continues bit for bit. A snapshot may be taken
 * at a step boundary or after a backward; one between a forward and its backward keeps the batch,
 * but not the autograd graph that would have given it its Ȳ. A device without `state`/`load` (a
 * real or remote one) is not snapshotted: the resumed run goes on with the device as it is.
 */
export class PhysicalLayer extends Module implements Stateful<PhysicalLayerState> {
  readonly device: LayerDevice;
  readonly omega: Parameter;
  readonly gain: Parameter | null;
  readonly options: ResolvedLayerOptions;
  /** queries spent since construction, by purpose */
  readonly queries: QueryCounts = zeroCounts();
  /** cosine(surrogate x̄, Aᵀȳ) of the last backward, when tracked */
  lastSurrogateCosine: number | null = null;
  /**
   * A frozen layer keeps ω fixed (the "device frozen at init" baseline): its forward passes keep
   * nothing for `estimateParamGrad`, and the surrogate, built once, needs no further updates.
   */
  frozen = false;
  private readonly tracker: SurrogateTracker;
  /** the device as queried: through the fault policy for real and remote devices */
  private readonly queried: LayerDevice;
  private readonly faultCounts: FaultCounts = zeroFaults();
  private readonly drift: DriftMonitor | null;
  private readonly zoRng: Rng;
  private readonly probeRng: Rng;
  private pending: PendingBatch[] = [];
  /** 1 once the 'auto' gain has been set (a buffer, so a resumed run does not redo it) */
  private readonly gainCalibrated: Tensor;

  constructor(
    device: LayerDevice,
    rng: Rng,
    opts: PhysicalLayerOptions = {},
    readonly dtype: DType = 'float32',
  ) {
    super();
    checkLayerDevice(device);
    checkRng('PhysicalLayer: rng', rng);
    checkObject('PhysicalLayer: opts', opts);
    this.device = device;
    this.options = resolveOptions(opts, device);
    const { mode, rank } = this.options;
    if ((mode !== 'zo+surrogate' || this.options.trackSurrogateQuality) && device.exact === undefined) {
      throw new ArgumentError(
        `PhysicalLayer: mode '${mode}'${this.options.trackSurrogateQuality ? ' with trackSurrogateQuality' : ''} needs a simulator with exact access; device '${device.name}' has none`,
      );
    }
    if (rank > Math.min(device.inputSize, device.outputSize)) {
      throw new ArgumentError(
        `PhysicalLayer: rank expected <= min(d_in, d_out) = ${Math.min(device.inputSize, device.outputSize)}, got ${rank}`,
      );
    }
    const init = device.initParams(rng);
    this.omega = this.registerParameter('omega', new Parameter(init, [device.paramSize], 'float64'));
    this.gain = this.options.outputGain
      ? this.registerParameter(
          'gain',
          new Parameter(
            allocate(dtype, 1).fill(this.options.gainInit === 'auto' ? 1 : this.options.gainInit),
            [1],
            dtype,
          ),
        )
      : null;
    this.gainCalibrated = this.registerBuffer(
      'gainCalibrated',
      fromTypedArray(allocate(dtype, 1).fill(this.options.gainInit === 'auto' ? 0 : 1), [1]),
    );
    // simulators (checkpointable or exact) are queried directly, so their runs stay as they were
    this.queried =
      device.state === undefined && device.exact === undefined
        ? new ResilientDevice(device, this.options.faults, this.faultCounts)
        : device;
    const seeds = new Rng(this.options.seed);
    this.zoRng = seeds.fork();
    this.tracker = new SurrogateTracker(this.queried, this.options, seeds.fork(), this.queries);
    // a third stream, so that backward probes leave the ZO directions and sketch probes unchanged
    this.probeRng = seeds.fork();
    this.drift =
      this.options.drift.every > 0
        ? new DriftMonitor(
            device.name,
            device.inputSize,
            this.options.drift,
            this.options.seed,
            this.faultCounts,
          )
        : null;
  }

  /**
   * Fault and drift counters since construction: the layer's (rows re-queried, queries re-sent,
   * drift checks and rebuilds) and the device ledger's (client retries, timeouts, rejected answers).
   */
  get faults(): FaultCounts & { retries: number; timeouts: number; rejectedResponses: number } {
    const l = this.device.ledger;
    return {
      ...this.faultCounts,
      retries: l.retries ?? 0,
      timeouts: l.timeouts ?? 0,
      rejectedResponses: l.rejectedResponses ?? 0,
    };
  }

  /** Warnings since the last call (drift detected), for the trainer's log. */
  takeWarnings(): string[] {
    return this.drift === null ? [] : this.drift.warnings.splice(0);
  }

  /** The parameters that live on the device (ω) and the gain — trained by the layer's own optimizer. */
  deviceParameters(): Parameter[] {
    return this.gain ? [this.omega, this.gain] : [this.omega];
  }

  /** The current surrogate (null before the first forward). */
  get surrogate(): LowRank | null {
    return this.tracker.surrogate;
  }

  /**
   * ω was replaced from outside (a programmed start, `applyProgram`): the next training forward
   * rebuilds the surrogate exactly at the new setting instead of integrating across the jump.
   */
  resetSurrogate(): void {
    this.tracker.invalidate();
  }

  /** A deep copy of the layer's training state (see the class comment: `stateDict()` holds the rest). */
  state(): PhysicalLayerState {
    return {
      device: deviceState(this.device),
      zoRng: this.zoRng.getState(),
      probeRng: this.probeRng.getState(),
      surrogate: this.tracker.state(),
      queries: { ...this.queries },
      pending: this.pending.map(({ X, Y, Ybar }) => ({
        X: X.slice(),
        Y: Y.slice(),
        Ybar: Ybar?.slice() ?? null,
      })),
      lastSurrogateCosine: this.lastSurrogateCosine,
      frozen: this.frozen,
      faults: { ...this.faultCounts },
      drift: this.drift === null ? null : this.drift.state(),
    };
  }

  /**
   * Restores `state()` of a layer built with the same arguments. Everything is checked before
   * anything changes: a malformed snapshot throws FormatError or ShapeError naming the field.
   */
  load(state: PhysicalLayerState): void {
    const r = new StateReader('PhysicalLayer.load', state);
    const zo = r.rng('zoRng');
    const probe = r.rng('probeRng');
    const surrogate = this.tracker.readState(r.record('surrogate'));
    const queries = readQueryCounts(r.record('queries'));
    const pending = readPending(r, this.device);
    const cosine = r.isNull('lastSurrogateCosine') ? null : r.number('lastSurrogateCosine');
    const frozen = r.boolean('frozen');
    const faults = readFaultCounts(r);
    let drift: Restore = () => {};
    const driftValue = r.value('drift');
    if (this.drift !== null && driftValue !== undefined && driftValue !== null)
      drift = this.drift.readState(r.record('drift'), this.device.paramSize, this.device.outputSize);
    else if (this.drift === null && driftValue !== undefined && driftValue !== null)
      throw r.formatError('drift', 'null (this layer has no drift monitor)', driftValue);
    const device = readDeviceState(r, this.device);
    // the device first: its own load may still refuse its part, before anything here has changed
    device();
    surrogate();
    this.zoRng.setState(zo);
    this.probeRng.setState(probe);
    Object.assign(this.queries, queries);
    this.pending = pending;
    this.lastSurrogateCosine = cosine;
    this.frozen = frozen;
    if (faults !== null) Object.assign(this.faultCounts, faults);
    drift();
  }

  private usesSurrogate(): boolean {
    return this.options.mode === 'zo+surrogate' || this.options.mode === 'surrogate-only';
  }

  /**
   * ω clamped into the device's bounds (an optimizer step may leave them), in place, and a copy
   * of it for the step's queries (one pass).
   */
  private currentOmega(): Float64Array {
    const w = this.omega.data as Float64Array;
    const out = new Float64Array(w.length);
    const { lower, upper } = this.device.bounds;
    for (let i = 0; i < w.length; i++) {
      const v = Math.min(upper[i]!, Math.max(lower[i]!, w[i]!));
      w[i] = v;
      out[i] = v;
    }
    return out;
  }

  /**
   * x: [B, d_in] → [B, d_out] from one device query of the B rows; records what the backward and the
   * ω-gradient need.
   * @throws ShapeError when x is not [B, d_in]
   */
  async forward(x: Tensor): Promise<Tensor> {
    const { inputSize: dIn, outputSize: dOut } = this.device;
    if (!(x instanceof Tensor))
      throw new ArgumentError(
        `PhysicalLayer(${this.device.name}): input expected a Tensor [B, ${this.device.inputSize}], got ${describeValue(x)}`,
      );
    if (x.ndim !== 2 || x.shape[1] !== dIn) {
      throw new ShapeError(
        `PhysicalLayer(${this.device.name}): input expected [B, ${dIn}], got ${formatShape(x.shape)}`,
      );
    }
    const B = x.shape[0]!;
    const omega = this.currentOmega();
    if (this.training && this.drift !== null) {
      const q = (P: Float64Array, w: Float64Array) => this.queried.query(P, w);
      if (await this.drift.check(omega, q)) this.tracker.invalidate();
    }
    if (this.training && this.usesSurrogate()) await this.tracker.sync(omega);
    const X = Float64Array.from(x.data);
    const Y = await queryDevice(this.queried, this.options.executor, X, omega);
    this.queries.forward += B;
    // the unbiased backward's probes: fresh for every training batch (they need no ȳ, so they
    // are queried here, where the device can be awaited); skipped when no x̄ is wanted
    let probes: ResidualProbes | null = null;
    if (this.training && this.usesSurrogate() && this.options.backwardProbes > 0 && x.requiresGrad) {
      const q = (z: { data: Float64Array }) =>
        queryDevice(this.queried, this.options.executor, z.data, omega);
      probes = await probeResidual(this.tracker.surrogate!, q, {
        samples: this.options.backwardProbes,
        estimator: this.options.backwardEstimator,
        rng: this.probeRng,
      });
      this.queries.correction += probes.report.forwardQueries;
    }
    const y = fromTypedArray(toDType(Y, this.dtype), [B, dOut]);
    const g = this.gain;
    if (g && this.training && this.gainCalibrated.data[0] === 0) {
      // data-dependent init (as LSUV does for weights): output RMS = input RMS on the first batch
      const rmsIn = rms(X);
      const rmsOut = rms(Y);
      if (rmsIn > 0 && rmsOut > 0) g.data[0] = rmsIn / rmsOut;
      this.gainCalibrated.data[0] = 1;
    }
    const out = g ? y.mul(g) : y;
    if (!this.training) return out;
    const entry: PendingBatch = { X, Y, Ybar: null };
    if (!this.frozen) this.pending.push(entry);
    // ω is listed as an input so that the backward runs (and ȳ is kept for estimateParamGrad)
    // even when nothing upstream requires grad; its gradient comes from estimateParamGrad, not here
    const inputs = g ? [x, g, this.omega] : [x, this.omega];
    return recordOp(`PhysicalLayer(${this.device.name})`, out.detach(), inputs, (dy) => {
      const gv = g ? g.data[0]! : 1;
      const Ybar = new Float64Array(B * dOut);
      for (let i = 0; i < Ybar.length; i++) Ybar[i] = gv * dy.data[i]!;
      entry.Ybar = Ybar;
      const grads: (Tensor | null)[] = [
        x.requiresGrad
          ? fromTypedArray(toDType(this.inputGradient(Ybar, B, omega, probes), x.dtype), [B, dIn])
          : null,
      ];
      if (g) {
        let s = 0;
        for (let i = 0; i < Y.length; i++) s += dy.data[i]! * Y[i]!;
        grads.push(fromTypedArray(allocate(g.dtype, 1).fill(s), [1]));
      }
      grads.push(null);
      return grads;
    });
  }

  /**
   * x̄ = Aᵀȳ per row, from the surrogate (corrected by the backward probes when given) or
   * (ablations) the simulator's exact matrix.
   */
  private inputGradient(
    Ybar: Float64Array,
    B: number,
    omega: Float64Array,
    probes: ResidualProbes | null,
  ): Float64Array {
    const { inputSize: dIn, outputSize: dOut } = this.device;
    const exact = () => rowsTimesMatrix(Ybar, B, this.device.exact!.matrix(omega), dOut, dIn);
    if (!this.usesSurrogate()) return exact();
    const s = this.tracker.surrogate;
    if (s === null)
      throw new StateError(
        'PhysicalLayer: backward before the surrogate was built (forward in train mode first)',
      );
    // rows: X̄ = Ȳ U S Vᵀ (each row is V Sᵀ Uᵀ ȳ_b = Aᵀȳ_b for A ≈ U S Vᵀ)
    const g = { rows: B, cols: this.device.outputSize, data: Ybar };
    const xbar = (probes === null ? applyTranspose(s, g) : applyTransposeCorrected(s, probes, g)).data;
    if (this.options.trackSurrogateQuality) this.lastSurrogateCosine = cosine(xbar, exact());
    return xbar;
  }

  /**
   * ω̄ for the batches seen since the last call (their forward outputs serve as the
   * unperturbed baseline): ZO estimate in the 'zo+surrogate' and 'zo-only' modes, the
   * simulator's exact vector-Jacobian product otherwise. Writes `omega.grad` and clears the batches.
   */
  async estimateParamGrad(): Promise<ParamGradReport> {
    const done = this.pending.filter((p) => p.Ybar !== null);
    this.pending = [];
    const p = this.device.paramSize;
    if (done.length === 0) {
      this.omega.grad = null;
      return { grad: new Float64Array(p), queries: 0, batches: 0, captured: 1 };
    }
    const X = concat(done.map((d) => d.X));
    const Ybar = concat(done.map((d) => d.Ybar!));
    const omega = this.currentOmega();
    let grad: Float64Array;
    let queries = 0;
    let captured = 1;
    if (this.options.mode === 'zo+surrogate' || this.options.mode === 'zo-only') {
      const res = await layerParamGrad(this.queried, omega, X, Ybar, {
        q: this.options.zoSamples,
        mu: this.options.mu,
        rng: this.zoRng,
        directions: this.options.directions,
        compress: 'auto',
        ...(this.options.batchRank > 0 ? { compressRank: this.options.batchRank } : {}),
        baseline: concat(done.map((d) => d.Y)),
        simulation: this.options.simulation,
        ...(this.options.executor === null ? {} : { executor: this.options.executor }),
      });
      grad = res.grad;
      queries = res.inputs;
      captured = res.captured;
      this.queries.zo += queries;
    } else {
      grad = this.device.exact!.paramVjp(X, Ybar, omega);
    }
    this.omega.grad = fromTypedArray(grad.slice(), [p]);
    return { grad, queries, batches: done.length, captured };
  }
}

function toDType(a: Float64Array, dtype: DType): Float32Array | Float64Array {
  return dtype === 'float64' ? a : Float32Array.from(a);
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Rows of Ȳ (B×d_out) times A (d_out×d_in): each row becomes Aᵀȳ_b. */
function rowsTimesMatrix(
  Ybar: Float64Array,
  B: number,
  A: Float64Array,
  dOut: number,
  dIn: number,
): Float64Array {
  const out = new Float64Array(B * dIn);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < dOut; j++) {
      const y = Ybar[b * dOut + j]!;
      if (y === 0) continue;
      const row = j * dIn;
      const o = b * dIn;
      for (let k = 0; k < dIn; k++) out[o + k]! += y * A[row + k]!;
    }
  }
  return out;
}

function rms(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s / Math.max(1, a.length));
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** What a layer calls on its device: sizes, query, initParams (a simulator or a remote device). */
function checkLayerDevice(device: LayerDevice): void {
  const d = device as Partial<LayerDevice> | null;
  const ok =
    typeof d === 'object' &&
    d !== null &&
    typeof d.query === 'function' &&
    typeof d.initParams === 'function' &&
    Number.isInteger(d.inputSize) &&
    Number.isInteger(d.outputSize) &&
    Number.isInteger(d.paramSize);
  if (!ok)
    throw new ArgumentError(`PhysicalLayer: device expected a PhysicalDevice, got ${describeValue(device)}`);
}
