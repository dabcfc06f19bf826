import { ArgumentError, checkInt, checkNumber, checkOneOf, type Rng } from '@tenzo/core';
import { type ProjectedZoAccess, projectedAccess } from '../accel/projectedZo.js';
import { type ShardedMatrix, ShardedMatrixKey, sharedFloat64 } from '../accel/shardedQuery.js';
import { deviceWidths } from '../argumentChecks.js';
import { vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { batchMatvec, outerSum } from '../linear.js';
import { chainCrosstalk } from '../noise/crosstalk.js';
import { quantizePhase } from '../noise/quantize.js';
import { OmegaKey } from '../omegaKey.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';
import { addDropTransmission, allPassTransmission, allPassTransmissionDerivative } from './ring.js';

export interface MrrWeightBankOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  /**
   * 'allPass' (the reference): w = 2t(φ) − 1 with the through-port field amplitude t;
   * 'addDrop': balanced detection of both ports, w = T_drop − T_through ∈ (−1, 1).
   */
  readonly ring?: 'allPass' | 'addDrop';
  /** single-pass amplitude transmission; default 0.8 (allPass, the reference) or 0.99 (addDrop) */
  readonly a?: number;
  /** self-coupling of the all-pass ring (default 0.9) or of both add-drop couplers */
  readonly r?: number;
  /**
   * 'phase': ω is the round-trip detuning φ (rad), the reference's parametrisation;
   * 'voltage': ω is the heater voltage V ∈ [0, vMax] and φ = φ_bias + π V²/V_π² (heater power ∝ V²).
   */
  readonly param?: 'phase' | 'voltage';
  /** V_π of the heater (default 4.36 V) and full-scale voltage (default 10.8 V), as in torchonn */
  readonly vPi?: number;
  readonly vMax?: number;
  /** detuning at zero heater power (default 0: on resonance) */
  readonly phaseBias?: number;
  /** thermal crosstalk κ between neighbouring heaters of one bank (φ_actual = Γ φ_heater) */
  readonly thermalCrosstalk?: number;
  /**
   * inter-channel crosstalk (all-pass only): the WDM channels are spaced by this round-trip
   * phase, and channel k passes every ring j of its bank at detuning φ_ij + (k − j)·spacing,
   * so off-resonant Lorentzian tails leak into each weight: A_ik = 2 Π_j t(φ_ij + (k−j)Δ) − 1.
   */
  readonly channelSpacing?: number;
  /**
   * heater DAC resolution in phase mode: each commanded detuning takes one of 2^bits phases
   * k·2π/2^bits (the ring response is 2π-periodic, so the levels wrap like an SLM pixel's);
   * the ω-gradient is straight-through, evaluated at the quantised phases
   */
  readonly phaseBits?: number;
  /**
   * half-width of the uniform initial detuning (default 1/√d_in, the reference's; with `phaseBits`
   * at least one DAC level — otherwise every ring rounds to φ = 0 and A starts as a constant,
   * rank-1 matrix)
   */
  readonly initSpread?: number;
}

/**
 * A microring weight bank (METHODS.md §1.5): d_out banks of d_in rings, ring (i, j) weights
 * WDM channel j into output i. ω (d_out×d_in row-major) holds one detuning (or voltage) per ring.
 * Reference init (torchonn's kaiming-uniform with a = √5): φ ~ U[−1/√d_in, 1/√d_in].
 */
export class MrrWeightBank extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly ring: 'allPass' | 'addDrop';
  readonly a: number;
  readonly r: number;
  readonly paramKind: 'phase' | 'voltage';
  readonly gamma: number;
  readonly vMax: number;
  readonly phaseBias: number;
  readonly crosstalk: number;
  readonly channelSpacing: number | null;
  readonly phaseBits: number | null;
  /** half-width of the initial detunings (phase mode) */
  readonly initSpread: number;
  readonly exact: ExactLinearAccess;
  /** the fast ZO path of the simulator (⟨A(ω + μu), WᵀP⟩ without the product; not black-box) */
  readonly projectedZo: ProjectedZoAccess;
  private readonly A: Float64Array;
  /** the ω that A was last built for */
  private readonly built: OmegaKey;
  /** `built` as sharded queries check it */
  private readonly shardKey: ShardedMatrixKey;
  private readonly phi: Float64Array;
  private readonly shift: Float64Array;
  private readonly tmp = new Float64Array(4);

  constructor(opts: MrrWeightBankOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    const paramKind = checkOneOf('param', opts.param ?? 'phase', ['phase', 'voltage'] as const);
    const vMax = checkNumber('vMax', opts.vMax ?? 10.8, { gt: 0 });
    super(
      {
        name: `mrr-weight-bank ${dOut}x${dIn}`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: dIn * dOut,
        units: {
          input: 'optical power per channel (a.u.)',
          output: 'photocurrent (a.u.)',
          param: paramKind === 'phase' ? 'round-trip detuning (rad)' : 'heater voltage (V)',
        },
        bounds:
          paramKind === 'phase'
            ? uniformBounds(dIn * dOut, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)
            : uniformBounds(dIn * dOut, 0, vMax),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.ring = checkOneOf('ring', opts.ring ?? 'allPass', ['allPass', 'addDrop'] as const);
    this.a = checkNumber('a', opts.a ?? (this.ring === 'allPass' ? 0.8 : 0.99), { gt: 0, max: 1 });
    this.r = checkNumber('r', opts.r ?? 0.9, { gt: 0, lt: 1 });
    this.paramKind = paramKind;
    this.gamma = Math.PI / checkNumber('vPi', opts.vPi ?? 4.36, { gt: 0 }) ** 2;
    this.vMax = vMax;
    this.phaseBias = checkNumber('phaseBias', opts.phaseBias ?? 0);
    this.crosstalk = checkNumber('thermalCrosstalk', opts.thermalCrosstalk ?? 0, { min: 0, max: 1 });
    this.channelSpacing =
      opts.channelSpacing === undefined
        ? null
        : checkNumber('channelSpacing', opts.channelSpacing, { gt: 0 });
    if (this.channelSpacing !== null && this.ring !== 'allPass') {
      throw new ArgumentError("channelSpacing: inter-channel crosstalk is modelled for ring 'allPass' only");
    }
    this.phaseBits =
      opts.phaseBits === undefined ? null : checkInt('phaseBits', opts.phaseBits, { min: 1, max: 24 });
    if (this.phaseBits !== null && paramKind !== 'phase') {
      throw new ArgumentError(
        "phaseBits: quantises the detuning of param 'phase'; with param 'voltage' quantise the voltage instead",
      );
    }
    this.initSpread = checkNumber(
      'initSpread',
      opts.initSpread ??
        Math.max(1 / Math.sqrt(dIn), this.phaseBits === null ? 0 : (2 * Math.PI) / 2 ** this.phaseBits),
      { gt: 0 },
    );
    // shared, so that the chunks of a sharded query (queryOn) build and read them on other threads
    this.A = sharedFloat64(dIn * dOut);
    this.built = new OmegaKey(dIn * dOut);
    this.shardKey = new ShardedMatrixKey(this.built);
    this.phi = sharedFloat64(dIn * dOut);
    this.shift = new Float64Array(dIn * dOut);
    this.exact = {
      matrix: (omega) => this.buildMatrix(this.resolveOmega(omega)).slice(),
      paramVjp: (X, Ybar, omega) => this.paramVjp(this.digitise(X), Ybar, this.resolveOmega(omega)),
    };
    this.projectedZo = projectedAccess(
      this.ring !== 'allPass'
        ? "only the all-pass ring's law is projected"
        : this.paramKind !== 'phase'
          ? 'voltage parameters are projected only in phase mode'
          : this.phaseBits !== null ||
              this.crosstalk > 0 ||
              this.channelSpacing !== null ||
              this.phaseBias !== 0
            ? 'phase quantisation, crosstalk or a phase bias make A(ω) non-elementwise'
            : this.projectionBlocker(),
      () => this.projectionHost(),
      { law: 'allPass', a: this.a, r: this.r },
    );
  }

  /** one heater DAC level 2π/2^bits (phase mode), or null for continuous settings */
  get paramStep(): number | null {
    return this.phaseBits === null ? null : (2 * Math.PI) / 2 ** this.phaseBits;
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    const b = this.initSpread;
    for (let i = 0; i < out.length; i++) {
      const phi = b * (2 * rng.uniform() - 1);
      // voltage mode: the voltage whose heater shift gives |φ| (heaters only add phase)
      out[i] = this.paramKind === 'phase' ? phi : Math.min(this.vMax, Math.sqrt(Math.abs(phi) / this.gamma));
    }
  }

  /** ω → heater phase shift → thermal crosstalk → detuning φ (into this.phi). */
  private detuning(omega: Float64Array): Float64Array {
    // the reference ring: φ = ω (read only by the callers, so no copy)
    if (this.paramKind === 'phase' && this.phaseBits === null && this.crosstalk === 0 && this.phaseBias === 0)
      return omega;
    const n = omega.length;
    if (this.paramKind === 'phase') {
      if (this.phaseBits !== null) quantizePhase(omega, this.phaseBits, this.shift);
      else this.shift.set(omega);
    } else for (let k = 0; k < n; k++) this.shift[k] = this.gamma * omega[k]! * omega[k]!;
    if (this.crosstalk > 0) chainCrosstalk(this.shift, this.dOut, this.dIn, this.crosstalk, this.phi);
    else this.phi.set(this.shift);
    if (this.phaseBias !== 0) for (let k = 0; k < n; k++) this.phi[k]! += this.phaseBias;
    return this.phi;
  }

  private buildMatrix(omega: Float64Array): Float64Array {
    if (this.built.matches(omega)) return this.A;
    this.built.remember(omega);
    this.shardKey.invalidate();
    const phi = this.detuning(omega);
    const { a, r, dIn, dOut } = this;
    if (this.ring === 'addDrop') {
      for (let k = 0; k < phi.length; k++) {
        const T = addDropTransmission(phi[k]!, a, r, r, this.tmp);
        this.A[k] = T[1]! - T[0]!;
      }
    } else if (this.channelSpacing === null) {
      // allPassTransmission without its per-call argument checks (a and r are checked once, in
      // the constructor; φ is finite): the same operations in the same order
      const { alpha, beta, gamma } = this.ringConstants();
      for (let k = 0; k < phi.length; k++) {
        const c = beta * Math.cos(phi[k]!);
        this.A[k] = 2 * Math.sqrt((alpha - c) / (gamma - c)) - 1;
      }
    } else {
      const d = this.channelSpacing;
      for (let i = 0; i < dOut; i++) {
        for (let k = 0; k < dIn; k++) {
          let p = 1;
          for (let j = 0; j < dIn; j++) p *= allPassTransmission(phi[i * dIn + j]! + (k - j) * d, a, r);
          this.A[i * dIn + k] = 2 * p - 1;
        }
      }
    }
    return this.A;
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    batchMatvec(X, batch, this.buildMatrix(omega), this.dOut, this.dIn, out);
  }

  /** α = a² + r², β = 2ar, γ = 1 + a²r² of t(φ) = √((α − β cos φ)/(γ − β cos φ)), as allPassTransmission forms them. */
  private ringConstants(): { alpha: number; beta: number; gamma: number } {
    const { a, r } = this;
    return { alpha: a * a + r * r, beta: 2 * a * r, gamma: 1 + a * a * r * r };
  }

  /**
   * A for a sharded query: as cached, the all-pass law 2t(φ) − 1 built in the query's chunks
   * (without inter-channel crosstalk), or else built here.
   */
  protected override shardedMatrix(omega: Float64Array): ShardedMatrix {
    const key = this.shardKey;
    const { abandon } = key;
    if (key.matches(omega, this.realised, this.realisedVersion)) return { A: this.A, build: null, abandon };
    if (this.ring !== 'allPass' || this.channelSpacing !== null)
      return { A: this.buildMatrix(omega), build: null, abandon };
    key.remember(omega, this.realised, this.realisedVersion);
    const phi = this.detuning(omega);
    return { A: this.A, build: { law: 'allPass', ...this.ringConstants(), phi }, abandon };
  }

  private paramVjp(X: Float64Array, Ybar: Float64Array, omega: Float64Array): Float64Array {
    const batch = vjpBatch(X, Ybar, this.dIn, this.dOut);
    const G = outerSum(X, Ybar, batch, this.dOut, this.dIn);
    const phi = this.detuning(omega);
    const { a, r, dIn, dOut } = this;
    const gPhi = new Float64Array(G.length);
    if (this.ring === 'addDrop') {
      for (let k = 0; k < G.length; k++) {
        const T = addDropTransmission(phi[k]!, a, r, r, this.tmp);
        gPhi[k] = G[k]! * (T[3]! - T[2]!);
      }
    } else if (this.channelSpacing === null) {
      for (let k = 0; k < G.length; k++) gPhi[k] = 2 * G[k]! * allPassTransmissionDerivative(phi[k]!, a, r);
    } else {
      const d = this.channelSpacing;
      for (let i = 0; i < dOut; i++) {
        for (let k = 0; k < dIn; k++) {
          let p = 1;
          for (let j = 0; j < dIn; j++) p *= allPassTransmission(phi[i * dIn + j]! + (k - j) * d, a, r);
          const g = 2 * p * G[i * dIn + k]!;
          for (let j = 0; j < dIn; j++) {
            const f = phi[i * dIn + j]! + (k - j) * d;
            gPhi[i * dIn + j]! += (g * allPassTransmissionDerivative(f, a, r)) / allPassTransmission(f, a, r);
          }
        }
      }
    }
    // back through Γ (symmetric, so Γᵀ = Γ) and the heater law
    let gShift = gPhi;
    if (this.crosstalk > 0) {
      gShift = new Float64Array(G.length);
      chainCrosstalk(gPhi, dOut, dIn, this.crosstalk, gShift);
    }
    if (this.paramKind === 'voltage')
      for (let k = 0; k < G.length; k++) gShift[k]! *= 2 * this.gamma * omega[k]!;
    return gShift;
  }
}

/** Factory for {@link MrrWeightBank}. */
export function mrrWeightBank(opts: MrrWeightBankOptions): MrrWeightBank {
  return new MrrWeightBank(opts);
}
