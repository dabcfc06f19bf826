import { checkInt, checkNumber, type Rng } from '@tenzo/core';
import { type ProjectedZoAccess, projectedAccess } from '../accel/projectedZo.js';
import { type ShardedMatrix, ShardedMatrixKey, sharedFloat64 } from '../accel/shardedQuery.js';
import { deviceWidths } from '../argumentChecks.js';
import { batchSize, vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { batchMatvec, outerSum } from '../linear.js';
import { pixelCrosstalk } from '../noise/crosstalk.js';
import { quantizePhase } from '../noise/quantize.js';
import { OmegaKey } from '../omegaKey.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';

export interface SlmPhaseMatrixOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  /** phase DAC resolution: each pixel takes one of 2^bits phases in [0, 2π) */
  readonly phaseBits?: number;
  /**
   * half-width of the uniform initialisation around π/2 (default 0.1, the reference's; with
   * `phaseBits`, at least one DAC level 2π/2^bits — otherwise every pixel rounds to π/2 and the
   * device starts as A ≡ 0, from which no gradient flows)
   */
  readonly initSpread?: number;
  /** fringing-field crosstalk κ ∈ [0, 0.25] between neighbouring pixels of the d_out×d_in grid */
  readonly pixelCrosstalk?: number;
}

/**
 * The reference's SLM layer (METHODS.md §1.5): a coherent phase matrix
 *   A_ij = cos(Φ_ij) / sqrt(d_in),   ω = Φ (d_out×d_in, row-major, rad, range [0, 2π]),
 * initialised Φ ~ U[π/2 − 0.1, π/2 + 0.1] (so A starts near zero, as in the reference; wider
 * with a coarse phase DAC, see `initSpread`).
 * Non-idealities: phase quantisation, pixel crosstalk, and the shared output noise / drift.
 */
export class SlmPhaseMatrix extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly phaseBits: number | null;
  readonly crosstalk: number;
  /** half-width of the initial phases around π/2 */
  readonly initSpread: number;
  /** analytic side interface for ablations and tests (not part of the black-box contract) */
  readonly exact: ExactLinearAccess;
  /** the fast ZO path of the simulator (⟨A(ω + μu), WᵀP⟩ without the product; not black-box) */
  readonly projectedZo: ProjectedZoAccess;
  private readonly phiEff: Float64Array;
  private readonly A: Float64Array;
  /** the ω that A was last built for */
  private readonly built: OmegaKey;
  /** `built` as sharded queries check it */
  private readonly shardKey: ShardedMatrixKey;

  constructor(opts: SlmPhaseMatrixOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    super(
      {
        name: `slm-phase-matrix ${dOut}x${dIn}`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: dIn * dOut,
        units: {
          input: 'field amplitude (a.u.)',
          output: 'field amplitude (a.u.)',
          param: 'pixel phase (rad)',
        },
        bounds: uniformBounds(dIn * dOut, 0, 2 * Math.PI),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.phaseBits =
      opts.phaseBits === undefined ? null : checkInt('phaseBits', opts.phaseBits, { min: 1, max: 24 });
    this.initSpread = checkNumber(
      'initSpread',
      opts.initSpread ?? Math.max(0.1, this.phaseBits === null ? 0 : (2 * Math.PI) / 2 ** this.phaseBits),
      { min: 0, max: Math.PI / 2 },
    );
    this.crosstalk = checkNumber('pixelCrosstalk', opts.pixelCrosstalk ?? 0, { min: 0, max: 0.25 });
    this.phiEff = new Float64Array(dIn * dOut);
    // shared, so that the chunks of a sharded query (queryOn) build and read it on other threads
    this.A = sharedFloat64(dIn * dOut);
    this.built = new OmegaKey(dIn * dOut);
    this.shardKey = new ShardedMatrixKey(this.built);
    this.exact = {
      matrix: (omega) => this.buildMatrix(this.resolveOmega(omega)).slice(),
      paramVjp: (X, Ybar, omega) => this.paramVjp(this.digitise(X), Ybar, this.resolveOmega(omega)),
    };
    this.projectedZo = projectedAccess(
      this.phaseBits !== null
        ? 'phase quantisation is not elementwise-smooth in ω'
        : this.crosstalk > 0
          ? 'pixel crosstalk couples neighbouring phases'
          : this.projectionBlocker(),
      () => this.projectionHost(),
      { law: 'cos', scale: 1 / Math.sqrt(dIn) },
    );
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    const h = this.initSpread;
    for (let i = 0; i < out.length; i++) out[i] = Math.PI / 2 + h * (2 * rng.uniform() - 1);
  }

  /** one phase DAC level 2π/2^bits, or null for continuous phases */
  get paramStep(): number | null {
    return this.phaseBits === null ? null : (2 * Math.PI) / 2 ** this.phaseBits;
  }

  /** Φ_cmd → DAC → fringing: the phases the light actually sees. */
  private effectivePhases(omega: Float64Array): Float64Array {
    let phi = omega;
    if (this.phaseBits !== null) phi = quantizePhase(omega, this.phaseBits, new Float64Array(omega.length));
    if (this.crosstalk > 0) {
      pixelCrosstalk(phi, this.dOut, this.dIn, this.crosstalk, this.phiEff);
      return this.phiEff;
    }
    return phi;
  }

  private buildMatrix(omega: Float64Array): Float64Array {
    if (this.built.matches(omega)) return this.A;
    this.built.remember(omega);
    this.shardKey.invalidate();
    const phi = this.effectivePhases(omega);
    const s = 1 / Math.sqrt(this.dIn);
    for (let k = 0; k < phi.length; k++) this.A[k] = Math.cos(phi[k]!) * s;
    return this.A;
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    batchMatvec(X, batch, this.buildMatrix(omega), this.dOut, this.dIn, out);
  }

  /** A for a sharded query: as cached, or A = cos(φ)/√d_in built in the query's chunks. */
  protected override shardedMatrix(omega: Float64Array): ShardedMatrix {
    const key = this.shardKey;
    const { abandon } = key;
    if (key.matches(omega, this.realised, this.realisedVersion)) return { A: this.A, build: null, abandon };
    key.remember(omega, this.realised, this.realisedVersion);
    const phi = this.effectivePhases(omega);
    return { A: this.A, build: { law: 'cos', scale: 1 / Math.sqrt(this.dIn), phi }, abandon };
  }

  // dA_ij/dΦ_ij = −sin(Φ_ij)/√d_in; quantisation is treated as straight-through (its true
  // derivative is zero almost everywhere), crosstalk is a symmetric linear map so its adjoint is itself.
  private paramVjp(X: Float64Array, Ybar: Float64Array, omega: Float64Array): Float64Array {
    const batch = vjpBatch(X, Ybar, this.dIn, this.dOut);
    batchSize('X', X, this.dIn);
    const G = outerSum(X, Ybar, batch, this.dOut, this.dIn);
    const phi = this.effectivePhases(omega);
    const s = -1 / Math.sqrt(this.dIn);
    for (let k = 0; k < G.length; k++) G[k]! *= Math.sin(phi[k]!) * s;
    if (this.crosstalk > 0) {
      const out = new Float64Array(G.length);
      pixelCrosstalk(G, this.dOut, this.dIn, this.crosstalk, out);
      return out;
    }
    return G;
  }
}

/** Factory for {@link SlmPhaseMatrix}. */
export function slmPhaseMatrix(opts: SlmPhaseMatrixOptions): SlmPhaseMatrix {
  return new SlmPhaseMatrix(opts);
}
