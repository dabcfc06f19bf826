import { ArgumentError, checkInt, checkNumber, describeValue, type Rng } from '@tenzo/core';
import { deviceWidths } from '../argumentChecks.js';
import { vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess, ParamBounds } from '../device.js';
import { quantizePhase } from '../noise/quantize.js';
import { SimulatedDevice, type SimulatorOptions } from '../simulatedDevice.js';
import { backpropagateBlocks, screenGradient } from './backpropagate.js';
import { clementsLayout } from './layout.js';
import { applyScreen, blockMatrices, type MeshModel, meshParamSize, propagate } from './propagate.js';

export interface UsvMeshOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  /** amplifier gain after the attenuator line: singular values lie in [0, gain] (default 1) */
  readonly gain?: number;
  /** insertion loss per MZI in dB (typ. 0.1–0.5), in both meshes */
  readonly lossDb?: number;
  /** std (rad) of fresh Gaussian phase noise on every mesh phase at every query */
  readonly phaseNoise?: number;
  /** phase DAC bits of the mesh phase shifters (2^bits levels in [0, 2π)) */
  readonly phaseBits?: number;
  /**
   * a phase screen on the input of each mesh (N_V + N_U more phases; torchonn's `delta_list`s),
   * default false. With them every real W is exactly U Σ V (see `programMesh` in @tenzo/hybrid):
   * a mesh of classical cells alone realises a unitary only up to a diagonal on its input side.
   */
  readonly phaseScreens?: boolean;
}

/**
 * torchonn's "usv" MZI layer: W = U Σ V realised as two Clements meshes of classical cells and,
 * between them, a line of r = min(d_in, d_out) variable attenuators, so the layer represents
 * non-unitary (and non-square) matrices, which a single mesh cannot. Real input x zero-padded to
 * the N_V = d_in (rounded up to even) modes of V; the first r modes of V x pass the attenuators
 * (field transmission σ_k ∈ [0, 1], then a fixed gain g) into the N_U = d_out (rounded up to
 * even) modes of U; coherent readout y = Re(U Σ V x)[:d_out].
 *
 * ω = [V phases (2 per cell, layout order) | σ (r, bounded [0, 1]) | U phases]; with
 * `phaseScreens` each mesh's phases are followed by its N input-screen phases (the layout of
 * `fromUnitary`'s result). Init: phases N(π/2, 1/N) per mesh as for `mziMesh`, σ ~ U[0, 1].
 */
export class UsvMesh extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  /** attenuator count min(d_in, d_out) */
  readonly rank: number;
  readonly gain: number;
  readonly phaseNoise: number;
  readonly phaseBits: number | null;
  /** whether each mesh has an input phase screen */
  readonly phaseScreens: boolean;
  /** the input-side mesh V and the output-side mesh U */
  readonly meshV: MeshModel;
  readonly meshU: MeshModel;
  /** analytic side interface for ablations and tests (not part of the black-box contract) */
  readonly exact: ExactLinearAccess;
  /** where σ and U's phases start in ω */
  private readonly sigmaAt: number;
  private readonly uAt: number;

  constructor(opts: UsvMeshOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    const eta = 10 ** (-checkNumber('lossDb', opts.lossDb ?? 0, { min: 0 }) / 20);
    const screens = opts.phaseScreens ?? false;
    if (typeof screens !== 'boolean')
      throw new ArgumentError(`usvMesh: phaseScreens expected a boolean, got ${describeValue(screens)}`);
    const model = (d: number): MeshModel => ({
      layout: clementsLayout(Math.max(2, d + (d % 2))),
      block: 'classical',
      inputPhases: screens,
      outputPhases: false,
      eta,
      splitting: null,
    });
    const meshV = model(dIn);
    const meshU = model(dOut);
    const rank = Math.min(dIn, dOut);
    const sigmaAt = meshParamSize(meshV);
    const uAt = sigmaAt + rank;
    const size = uAt + meshParamSize(meshU);
    const bounds: ParamBounds = {
      lower: new Float64Array(size).fill(Number.NEGATIVE_INFINITY).fill(0, sigmaAt, uAt),
      upper: new Float64Array(size).fill(Number.POSITIVE_INFINITY).fill(1, sigmaAt, uAt),
    };
    super(
      {
        name: `mzi-usv ${dOut}x${dIn} (N_V=${meshV.layout.n}, N_U=${meshU.layout.n}${screens ? ', phase screens' : ''})`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: size,
        units: {
          input: 'field amplitude (a.u.)',
          output: 'field amplitude, in-phase quadrature (a.u.)',
          param: 'phase (rad) | attenuator field transmission',
        },
        bounds,
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.rank = rank;
    this.gain = checkNumber('gain', opts.gain ?? 1, { gt: 0 });
    this.phaseNoise = checkNumber('phaseNoise', opts.phaseNoise ?? 0, { min: 0 });
    this.phaseBits =
      opts.phaseBits === undefined ? null : checkInt('phaseBits', opts.phaseBits, { min: 1, max: 24 });
    this.phaseScreens = screens;
    this.meshV = meshV;
    this.meshU = meshU;
    this.sigmaAt = sigmaAt;
    this.uAt = uAt;
    this.exact = {
      matrix: (omega) => {
        // the columns of A are the responses to the unit inputs
        const w = this.lightSettings(this.resolveOmega(omega), false);
        const I = new Float64Array(dIn * dIn);
        for (let j = 0; j < dIn; j++) I[j * dIn + j] = 1;
        const Y = new Float64Array(dIn * dOut);
        this.run(I, dIn, w, Y);
        const A = new Float64Array(dOut * dIn);
        for (let j = 0; j < dIn; j++) for (let i = 0; i < dOut; i++) A[i * dIn + j] = Y[j * dOut + i]!;
        return A;
      },
      paramVjp: (X, Ybar, omega) => this.paramVjp(this.digitise(X), Ybar, this.resolveOmega(omega)),
    };
  }

  /** one phase DAC level 2π/2^bits, or null for continuous phases */
  get paramStep(): number | null {
    return this.phaseBits === null ? null : (2 * Math.PI) / 2 ** this.phaseBits;
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    const { sigmaAt, uAt } = this;
    const sv = 1 / Math.sqrt(this.meshV.layout.n);
    const su = 1 / Math.sqrt(this.meshU.layout.n);
    for (let i = 0; i < out.length; i++) {
      if (i < sigmaAt) out[i] = Math.PI / 2 + sv * rng.normal();
      else if (i < uAt) out[i] = rng.uniform();
      else out[i] = Math.PI / 2 + su * rng.normal();
    }
  }

  /** ω_cmd → phase DAC → (per query) phase noise on the mesh phases; σ passes as commanded. */
  private lightSettings(omega: Float64Array, noisy: boolean): Float64Array {
    const w = omega.slice();
    const phase = (i: number) => i < this.sigmaAt || i >= this.uAt;
    if (this.phaseBits !== null) {
      const q = quantizePhase(omega, this.phaseBits, new Float64Array(omega.length));
      for (let i = 0; i < w.length; i++) if (phase(i)) w[i] = q[i]!;
    }
    if (noisy && this.phaseNoise > 0)
      for (let i = 0; i < w.length; i++) if (phase(i)) w[i]! += this.phaseNoise * this.noiseRng.normal();
    return w;
  }

  /**
   * y = Re(U Σ V x) for a batch (B×d_in → B×d_out); returns V's and U's output states
   * (mode-major N×B) and the blocks for the adjoint sweep.
   */
  private run(X: Float64Array, batch: number, w: Float64Array, out: Float64Array) {
    const { meshV, meshU, dIn, dOut, rank, gain, sigmaAt, uAt } = this;
    const nV = meshV.layout.n;
    const nU = meshU.layout.n;
    const phasesV = w.subarray(0, sigmaAt);
    const phasesU = w.subarray(uAt);
    const matsV = blockMatrices(meshV, phasesV, new Float64Array(8 * meshV.layout.blockCount));
    const matsU = blockMatrices(meshU, phasesU, new Float64Array(8 * meshU.layout.blockCount));
    const vr = new Float64Array(nV * batch);
    const vi = new Float64Array(nV * batch);
    for (let j = 0; j < dIn; j++) for (let b = 0; b < batch; b++) vr[j * batch + b] = X[b * dIn + j]!;
    propagate(meshV, matsV, phasesV, vr, vi, batch);
    const ur = new Float64Array(nU * batch);
    const ui = new Float64Array(nU * batch);
    for (let k = 0; k < rank; k++) {
      const t = gain * w[sigmaAt + k]!;
      for (let b = 0; b < batch; b++) {
        ur[k * batch + b] = t * vr[k * batch + b]!;
        ui[k * batch + b] = t * vi[k * batch + b]!;
      }
    }
    propagate(meshU, matsU, phasesU, ur, ui, batch);
    for (let i = 0; i < dOut; i++) for (let b = 0; b < batch; b++) out[b * dOut + i] = ur[i * batch + b]!;
    return { vr, vi, ur, ui, matsV, matsU, phasesV, phasesU };
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    this.run(X, batch, this.lightSettings(omega, true), out);
  }

  // Adjoint through U (state reconstructed block by block), the attenuators
  // (∂L/∂σ_k = g Re Σ_b λ̄ v, λ ← g σ λ) and V; phase quantisation is straight-through.
  private paramVjp(X: Float64Array, Ybar: Float64Array, omega: Float64Array): Float64Array {
    const batch = vjpBatch(X, Ybar, this.dIn, this.dOut);
    const { meshV, meshU, dOut, rank, gain, sigmaAt, uAt } = this;
    const w = this.lightSettings(omega, false);
    const s = this.run(X, batch, w, new Float64Array(batch * dOut));
    const grad = new Float64Array(this.paramSize);
    let lr = new Float64Array(meshU.layout.n * batch);
    let li = new Float64Array(meshU.layout.n * batch);
    for (let i = 0; i < dOut; i++) for (let b = 0; b < batch; b++) lr[i * batch + b] = Ybar[b * dOut + i]!;
    backpropagateBlocks(meshU, s.matsU, s.phasesU, s.ur, s.ui, lr, li, batch, grad, uAt);
    if (meshU.inputPhases) {
      // z and λ are now taken just after U's screen; λ before it is e^{−iψ} λ
      const at = 2 * meshU.layout.blockCount;
      screenGradient(s.ur, s.ui, lr, li, meshU.layout.n, batch, grad, uAt + at);
      applyScreen(s.phasesU, at, lr, li, meshU.layout.n, batch, -1);
    }
    const lvr = new Float64Array(meshV.layout.n * batch);
    const lvi = new Float64Array(meshV.layout.n * batch);
    for (let k = 0; k < rank; k++) {
      let g = 0;
      const t = gain * w[sigmaAt + k]!;
      for (let b = 0; b < batch; b++) {
        const j = k * batch + b;
        g += lr[j]! * s.vr[j]! + li[j]! * s.vi[j]!;
        lvr[j] = t * lr[j]!;
        lvi[j] = t * li[j]!;
      }
      grad[sigmaAt + k] = gain * g;
    }
    lr = lvr;
    li = lvi;
    backpropagateBlocks(meshV, s.matsV, s.phasesV, s.vr, s.vi, lr, li, batch, grad, 0);
    if (meshV.inputPhases)
      screenGradient(s.vr, s.vi, lr, li, meshV.layout.n, batch, grad, 2 * meshV.layout.blockCount);
    return grad;
  }
}

/** Factory for {@link UsvMesh}. */
export function usvMesh(opts: UsvMeshOptions): UsvMesh {
  return new UsvMesh(opts);
}
