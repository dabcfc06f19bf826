import { ArgumentError, checkInt, checkNumber, checkOneOf, Rng, type Seed, StateError } from '@tenzo/core';
import { type ProjectedZoAccess, projectedAccess } from '../accel/projectedZo.js';
import { deviceWidths, MAX_MODES } from '../argumentChecks.js';
import { vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { quantizePhase } from '../noise/quantize.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';
import { backpropagateBlocks, screenGradient } from './backpropagate.js';
import { clementsLayout, reckLayout } from './layout.js';
import {
  applyScreen,
  blockMatrices,
  type MeshModel,
  meshParamSize,
  meshUnitary,
  propagate,
} from './propagate.js';

export interface MziMeshOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  /** number of modes; default max(d_in, d_out), rounded up to even for Clements (the reference) */
  readonly n?: number;
  readonly topology?: 'clements' | 'reck';
  readonly block?: 'classical' | 'threeMzi';
  /** 'coherent': y = Re(U x)[:d_out] (the reference); 'intensity': y = |U x|²[:d_out] */
  readonly readout?: 'coherent' | 'intensity';
  /** phase screen on the inputs (N extra phases; makes the classical mesh universal, see fromUnitary) */
  readonly inputPhases?: boolean;
  /** phase screen on the outputs (N extra phases; selects the quadrature a coherent readout sees) */
  readonly outputPhases?: boolean;
  /** insertion loss per MZI in dB (typ. 0.1–0.5) */
  readonly lossDb?: number;
  /** std (rad) of the static coupler splitting-angle errors, drawn once from `fabricationSeed` (classical cell) */
  readonly splitError?: number;
  readonly fabricationSeed?: Seed;
  /** std (rad) of fresh Gaussian phase noise on every phase at every query */
  readonly phaseNoise?: number;
  /** phase DAC bits: every phase takes one of 2^bits values in [0, 2π) */
  readonly phaseBits?: number;
  /** thermal crosstalk κ between the heaters of neighbouring blocks in one column */
  readonly thermalCrosstalk?: number;
}

/** The exact side interface of a mesh: A(ω) and ω̄ plus the complex transfer matrix. */
export interface MeshExactAccess extends ExactLinearAccess {
  /** U (N×N complex, row-major re/im) including loss, splitting errors, DAC and crosstalk */
  unitary(omega?: Float64Array): { re: Float64Array; im: Float64Array };
}

/**
 * An MZI mesh (METHODS.md §1.5): N modes, N(N−1)/2 two-phase blocks in a Clements rectangular
 * or Reck triangular arrangement, zero-padded real input x ∈ R^{d_in}, output Re(U x)[:d_out]
 * (coherent) or |U x|²[:d_out] (intensity). Simulated as a sequence of 2×2 column operations on
 * a mode-major batch of complex vectors. ω = [two phases per block (layout order) | input
 * screen | output screen]. Reference init: classical N(π/2, 1/N) per phase; 3-MZI U[0, 1].
 */
export class MziMesh extends SimulatedDevice {
  readonly n: number;
  readonly dIn: number;
  readonly dOut: number;
  readonly model: MeshModel;
  readonly readout: 'coherent' | 'intensity';
  readonly phaseNoise: number;
  readonly phaseBits: number | null;
  readonly crosstalk: number;
  readonly exact: MeshExactAccess;
  /** the fast ZO path of the simulator (perturbed propagation of the probed rows; not black-box) */
  readonly projectedZo: ProjectedZoAccess;
  private readonly mats: Float64Array;
  private reBuf = new Float64Array(0);
  private imBuf = new Float64Array(0);

  constructor(opts: MziMeshOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    const topology = checkOneOf('topology', opts.topology ?? 'clements', ['clements', 'reck'] as const);
    const base = Math.max(dIn, dOut, 2);
    const n =
      opts.n === undefined
        ? topology === 'clements'
          ? base + (base % 2)
          : base
        : checkInt('n', opts.n, { min: base, max: MAX_MODES });
    const layout = topology === 'clements' ? clementsLayout(n) : reckLayout(n);
    const block = checkOneOf('block', opts.block ?? 'classical', ['classical', 'threeMzi'] as const);
    const splitError = checkNumber('splitError', opts.splitError ?? 0, { min: 0 });
    if (splitError > 0 && block !== 'classical')
      throw new ArgumentError("splitError: modelled for block 'classical' only");
    let splitting: Float64Array | null = null;
    if (splitError > 0) {
      splitting = new Rng(opts.fabricationSeed ?? 0).fillNormal(
        new Float64Array(2 * layout.blockCount),
        0,
        splitError,
      ) as Float64Array;
    }
    const model: MeshModel = {
      layout,
      block,
      inputPhases: opts.inputPhases ?? false,
      outputPhases: opts.outputPhases ?? false,
      eta: 10 ** (-checkNumber('lossDb', opts.lossDb ?? 0, { min: 0 }) / 20),
      splitting,
    };
    const readout = checkOneOf('readout', opts.readout ?? 'coherent', ['coherent', 'intensity'] as const);
    const size = meshParamSize(model);
    super(
      {
        name: `mzi-${topology} ${dOut}x${dIn} (N=${n}, ${block})`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: size,
        units: {
          input: 'field amplitude (a.u.)',
          output:
            readout === 'coherent' ? 'field amplitude, in-phase quadrature (a.u.)' : 'optical power (a.u.)',
          param: 'phase (rad)',
        },
        bounds: uniformBounds(size, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      },
      opts,
    );
    this.n = n;
    this.dIn = dIn;
    this.dOut = dOut;
    this.model = model;
    this.readout = readout;
    this.phaseNoise = checkNumber('phaseNoise', opts.phaseNoise ?? 0, { min: 0 });
    this.phaseBits =
      opts.phaseBits === undefined ? null : checkInt('phaseBits', opts.phaseBits, { min: 1, max: 24 });
    this.crosstalk = checkNumber('thermalCrosstalk', opts.thermalCrosstalk ?? 0, { min: 0, max: 1 });
    this.mats = new Float64Array(8 * layout.blockCount);
    this.exact = {
      unitary: (omega) => meshUnitary(this.model, this.realisedPhases(this.resolveOmega(omega), false)),
      matrix: (omega) => {
        if (this.readout !== 'coherent')
          throw new StateError('exact.matrix: an intensity readout is not linear in x');
        const U = this.exact.unitary(omega);
        const A = new Float64Array(dOut * dIn);
        for (let i = 0; i < dOut; i++) for (let j = 0; j < dIn; j++) A[i * dIn + j] = U.re[i * n + j]!;
        return A;
      },
      paramVjp: (X, Ybar, omega) => this.paramVjp(this.digitise(X), Ybar, this.resolveOmega(omega)),
    };
    this.projectedZo = projectedAccess(
      block !== 'classical' || splitting !== null
        ? 'only meshes of ideal classical cells are projected'
        : model.inputPhases || model.outputPhases
          ? 'phase screens are not projected'
          : readout !== 'coherent'
            ? 'an intensity readout is not projected'
            : this.phaseNoise > 0 || this.phaseBits !== null || this.crosstalk > 0
              ? 'phase noise, quantisation or crosstalk make the realised phases differ from ω'
              : this.projectionBlocker(),
      () => this.projectionHost(),
      { law: 'mesh', layout, eta: model.eta },
    );
  }

  /** one phase DAC level 2π/2^bits, or null for continuous phases */
  get paramStep(): number | null {
    return this.phaseBits === null ? null : (2 * Math.PI) / 2 ** this.phaseBits;
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    const meshPhases = 2 * this.model.layout.blockCount;
    for (let i = 0; i < meshPhases; i++) {
      out[i] =
        this.model.block === 'classical' ? Math.PI / 2 + rng.normal() / Math.sqrt(this.n) : rng.uniform();
    }
    out.fill(0, meshPhases);
  }

  /** ω_cmd → DAC → thermal crosstalk → (per-query) phase noise: the phases the light sees. */
  private realisedPhases(omega: Float64Array, noisy: boolean): Float64Array {
    let p =
      this.phaseBits === null
        ? omega.slice()
        : quantizePhase(omega, this.phaseBits, new Float64Array(omega.length));
    if (this.crosstalk > 0) p = this.mixHeaters(p);
    if (noisy && this.phaseNoise > 0)
      for (let i = 0; i < p.length; i++) p[i]! += this.phaseNoise * this.noiseRng.normal();
    return p;
  }

  // Each heater leaks κ of its phase into the same heater of the neighbouring blocks of its
  // column (φ_actual = Γ φ, Γ symmetric), the layout the chips are drawn in.
  private mixHeaters(p: Float64Array): Float64Array {
    const out = p.slice();
    const { columns, offsets } = this.model.layout;
    for (let c = 0; c < columns.length; c++) {
      const offs = offsets[c]!;
      for (let k = 0; k < offs.length; k++) {
        for (let h = 0; h < 2; h++) {
          let v = 0;
          if (k > 0 && columns[c]![k - 1] === columns[c]![k]! - 2) v += p[offs[k - 1]! + h]!;
          if (k + 1 < offs.length && columns[c]![k + 1] === columns[c]![k]! + 2) v += p[offs[k + 1]! + h]!;
          out[offs[k]! + h]! += this.crosstalk * v;
        }
      }
    }
    return out;
  }

  private buffers(batch: number): [Float64Array, Float64Array] {
    const size = this.n * batch;
    if (this.reBuf.length < size) {
      this.reBuf = new Float64Array(size);
      this.imBuf = new Float64Array(size);
    }
    const re = this.reBuf.subarray(0, size);
    const im = this.imBuf.subarray(0, size);
    re.fill(0);
    im.fill(0);
    return [re, im];
  }

  private loadInputs(X: Float64Array, batch: number, re: Float64Array): void {
    const { dIn } = this;
    for (let j = 0; j < dIn; j++) for (let b = 0; b < batch; b++) re[j * batch + b] = X[b * dIn + j]!;
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    const phases = this.realisedPhases(omega, true);
    blockMatrices(this.model, phases, this.mats);
    const [re, im] = this.buffers(batch);
    this.loadInputs(X, batch, re);
    propagate(this.model, this.mats, phases, re, im, batch);
    const { dOut } = this;
    for (let i = 0; i < dOut; i++) {
      const o = i * batch;
      if (this.readout === 'coherent') for (let b = 0; b < batch; b++) out[b * dOut + i] = re[o + b]!;
      else for (let b = 0; b < batch; b++) out[b * dOut + i] = re[o + b]! ** 2 + im[o + b]! ** 2;
    }
  }

  /**
   * Adjoint-state ω̄ for L = Σ_b ⟨y_b, ȳ_b⟩: one forward sweep, then a backward sweep that
   * reconstructs the state through each block's inverse (Tᴴ/η²: every cell is η × unitary) while
   * pulling the adjoint λ back with Tᴴ; ∂L/∂θ = Re Σ_b λ_afterᴴ (∂T/∂θ) z_before.
   */
  private paramVjp(X: Float64Array, Ybar: Float64Array, omega: Float64Array): Float64Array {
    const batch = vjpBatch(X, Ybar, this.dIn, this.dOut);
    const { n, model, dOut } = this;
    const { layout } = model;
    const phases = this.realisedPhases(omega, false);
    const mats = blockMatrices(model, phases, new Float64Array(8 * layout.blockCount));
    const zr = new Float64Array(n * batch);
    const zi = new Float64Array(n * batch);
    this.loadInputs(X, batch, zr);
    const x0 = zr.slice();
    propagate(model, mats, phases, zr, zi, batch);
    // adjoint at the output: ȳ (coherent readout) or 2 ȳ z (intensity: d|z|² = 2 Re(z̄ dz))
    const lr = new Float64Array(n * batch);
    const li = new Float64Array(n * batch);
    for (let i = 0; i < dOut; i++) {
      for (let b = 0; b < batch; b++) {
        const y = Ybar[b * dOut + i]!;
        if (this.readout === 'coherent') lr[i * batch + b] = y;
        else {
          lr[i * batch + b] = 2 * y * zr[i * batch + b]!;
          li[i * batch + b] = 2 * y * zi[i * batch + b]!;
        }
      }
    }
    const grad = new Float64Array(this.paramSize);
    const screen0 = 2 * layout.blockCount;
    const screenGrad = (off: number) => screenGradient(zr, zi, lr, li, n, batch, grad, off);
    if (model.outputPhases) {
      const off = screen0 + (model.inputPhases ? n : 0);
      screenGrad(off);
      applyScreen(phases, off, zr, zi, n, batch, -1);
      applyScreen(phases, off, lr, li, n, batch, -1);
    }
    backpropagateBlocks(model, mats, phases, zr, zi, lr, li, batch, grad);
    if (model.inputPhases) {
      // z now holds e^{iψ} x; the screen's gradient needs the state after it
      zr.set(x0);
      zi.fill(0);
      applyScreen(phases, screen0, zr, zi, n, batch);
      screenGrad(screen0);
    }
    if (this.crosstalk > 0) return this.mixHeaters(grad); // Γ is symmetric: Γᵀ ḡ = Γ ḡ
    return grad;
  }
}

/** Factory for {@link MziMesh}. */
export function mziMesh(opts: MziMeshOptions): MziMesh {
  return new MziMesh(opts);
}

/** The reference's rectangular mesh of classical cells (Clements topology). */
export function clementsMesh(opts: Omit<MziMeshOptions, 'topology'>): MziMesh {
  return new MziMesh({ ...opts, topology: 'clements' });
}

/** A triangular (Reck) mesh of classical cells. */
export function reckMesh(opts: Omit<MziMeshOptions, 'topology'>): MziMesh {
  return new MziMesh({ ...opts, topology: 'reck' });
}
