import { checkInt, checkNumber, type Rng } from '@tenzo/core';
import { deviceWidths } from '../argumentChecks.js';
import { batchSize, vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { batchMatvec, outerSum } from '../linear.js';
import { quantizePhase } from '../noise/quantize.js';
import { OmegaKey } from '../omegaKey.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';

export interface MonarchOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  /** phase DAC resolution: each pixel takes one of 2^bits phases in [0, 2π) */
  readonly phaseBits?: number;
  /** std (rad) of fresh Gaussian phase noise on every pixel at every query */
  readonly phaseNoise?: number;
}

/**
 * The block factors of a Monarch device of width d = p1·p2 (d the power of two ≥ max(d_in, d_out);
 * p1 = 2^⌊k/2⌋ ≤ p2 = 2^⌈k/2⌉, the closest factor pair, as astralora chooses them).
 */
export interface MonarchShape {
  readonly d: number;
  readonly p1: number;
  readonly p2: number;
}

/** The padded width and block sizes of a Monarch device for d_in × d_out. */
export function monarchShape(dIn: number, dOut: number): MonarchShape {
  const widest = Math.max(dIn, dOut, 2);
  const k = Math.ceil(Math.log2(widest));
  const p1 = 2 ** Math.floor(k / 2);
  const p2 = 2 ** Math.ceil(k / 2);
  return { d: p1 * p2, p1, p2 };
}

/**
 * A Monarch device (Dao et al. 2022) built from phase-only SLM blocks, the structured device of
 * astralora: M = B₂ P B₁ with B₁ = blockdiag of p1 blocks (p2×p2) and B₂ = blockdiag of p2
 * blocks (p1×p1), P the stride permutation between them, every block entry a pixel
 * e^{iφ}/√(block width). Real input x (zero-padded to d), coherent readout y = Re(M x)[:d_out].
 *
 * Indexing input c = q·p2 + i and output o = j·p1 + k (q < p1, i < p2, j < p2, k < p1):
 *   stage 1  z[q, j] = Σ_i x[q, i] · e^{iφ₁[q,i,j]} / √p2
 *   stage 2  y[j, k] = Σ_q z[q, j] · e^{iφ₂[j,q,k]} / √p1
 * so every entry of A(ω) = Re M is one product: A[o, c] = cos(φ₁[q,i,j] + φ₂[j,q,k]) / √d.
 * ω = [φ₁ (p1·p2·p2) | φ₂ (p2·p1·p1)], p1·p2·(p1 + p2) ≈ 2 d^{3/2} phases instead of d²;
 * init U[0, π] (astralora's).
 */
export class MonarchDevice extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly shape: MonarchShape;
  readonly phaseBits: number | null;
  readonly phaseNoise: number;
  /** analytic side interface for ablations and tests (not part of the black-box contract) */
  readonly exact: ExactLinearAccess;
  private readonly A: Float64Array;
  private readonly built: OmegaKey;

  constructor(opts: MonarchOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    const shape = monarchShape(dIn, dOut);
    const size = shape.p1 * shape.p2 * (shape.p1 + shape.p2);
    super(
      {
        name: `monarch ${dOut}x${dIn} (${shape.p1}×${shape.p2} blocks)`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: size,
        units: {
          input: 'field amplitude (a.u.)',
          output: 'field amplitude, in-phase quadrature (a.u.)',
          param: 'pixel phase (rad)',
        },
        bounds: uniformBounds(size, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.shape = shape;
    this.phaseBits =
      opts.phaseBits === undefined ? null : checkInt('phaseBits', opts.phaseBits, { min: 1, max: 24 });
    this.phaseNoise = checkNumber('phaseNoise', opts.phaseNoise ?? 0, { min: 0 });
    this.A = new Float64Array(dOut * dIn);
    this.built = new OmegaKey(size);
    this.exact = {
      matrix: (omega) => this.buildMatrix(this.lightPhases(this.resolveOmega(omega), false), null).slice(),
      paramVjp: (X, Ybar, omega) => this.paramVjp(this.digitise(X), Ybar, this.resolveOmega(omega)),
    };
  }

  /** one phase DAC level 2π/2^bits, or null for continuous phases */
  get paramStep(): number | null {
    return this.phaseBits === null ? null : (2 * Math.PI) / 2 ** this.phaseBits;
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = Math.PI * rng.uniform();
  }

  /** ω_cmd → DAC → (per query) phase noise: the phases the light sees. */
  private lightPhases(omega: Float64Array, noisy: boolean): Float64Array {
    const phi =
      this.phaseBits === null ? omega : quantizePhase(omega, this.phaseBits, new Float64Array(omega.length));
    if (!noisy || this.phaseNoise === 0) return phi;
    const out = phi === omega ? omega.slice() : phi;
    for (let i = 0; i < out.length; i++) out[i]! += this.phaseNoise * this.noiseRng.normal();
    return out;
  }

  /**
   * A(φ) into this.A (d_out×d_in); cached on the commanded ω when `key` is given (a noiseless
   * query), rebuilt otherwise.
   */
  private buildMatrix(phi: Float64Array, key: Float64Array | null): Float64Array {
    if (key !== null) {
      if (this.built.matches(key)) return this.A;
      this.built.remember(key);
    } else this.built.forget();
    const { p1, p2, d } = this.shape;
    const { dIn, dOut, A } = this;
    const s = 1 / Math.sqrt(d);
    const second = p1 * p2 * p2;
    for (let o = 0; o < dOut; o++) {
      const j = Math.floor(o / p1);
      const k = o % p1;
      for (let c = 0; c < dIn; c++) {
        const q = Math.floor(c / p2);
        const i = c % p2;
        A[o * dIn + c] = Math.cos(phi[(q * p2 + i) * p2 + j]! + phi[second + (j * p1 + q) * p1 + k]!) * s;
      }
    }
    return A;
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    const noisy = this.phaseNoise > 0;
    const A = this.buildMatrix(this.lightPhases(omega, noisy), noisy ? null : omega);
    batchMatvec(X, batch, A, this.dOut, this.dIn, out);
  }

  // ∂A[o,c]/∂φ₁[q,i,j] = ∂A[o,c]/∂φ₂[j,q,k] = −sin(φ₁ + φ₂)/√d: each entry feeds one phase of
  // each factor, so ω̄ sums G ⊙ (−sin)/√d over k (for φ₁) and over i (for φ₂); quantisation is
  // straight-through, as for the SLM.
  private paramVjp(X: Float64Array, Ybar: Float64Array, omega: Float64Array): Float64Array {
    const batch = vjpBatch(X, Ybar, this.dIn, this.dOut);
    batchSize('X', X, this.dIn);
    const G = outerSum(X, Ybar, batch, this.dOut, this.dIn);
    const phi = this.lightPhases(omega, false);
    const { p1, p2, d } = this.shape;
    const { dIn, dOut } = this;
    const s = -1 / Math.sqrt(d);
    const second = p1 * p2 * p2;
    const grad = new Float64Array(this.paramSize);
    for (let o = 0; o < dOut; o++) {
      const j = Math.floor(o / p1);
      const k = o % p1;
      for (let c = 0; c < dIn; c++) {
        const q = Math.floor(c / p2);
        const i = c % p2;
        const a = (q * p2 + i) * p2 + j;
        const b = second + (j * p1 + q) * p1 + k;
        const g = G[o * dIn + c]! * Math.sin(phi[a]! + phi[b]!) * s;
        grad[a]! += g;
        grad[b]! += g;
      }
    }
    return grad;
  }
}

/** Factory for {@link MonarchDevice}. */
export function monarchDevice(opts: MonarchOptions): MonarchDevice {
  return new MonarchDevice(opts);
}
