import { checkInt, checkNumber, checkOneOf, fft2, type Rng } from '@tenzo/core';
import { deviceWidths } from '../argumentChecks.js';
import { pixelCrosstalk } from '../noise/crosstalk.js';
import { quantizePhase } from '../noise/quantize.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';

export interface SlmFreeSpaceOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  /** SLM pixels per side (N×N grid; any N, powers of two are fastest) */
  readonly grid: number;
  /** pixel pitch (m), default 8 µm */
  readonly pitch?: number;
  /** wavelength (m), default 532 nm */
  readonly wavelength?: number;
  /** SLM → detector distance (m), default 5 mm */
  readonly distance?: number;
  /** 'intensity': y_i = Σ_region |E|²; 'differential': y_i = I(region i+) − I(region i−) (signed outputs) */
  readonly detection?: 'intensity' | 'differential';
  /** side (pixels) of the central square where the mask transmits; default: the whole grid (no aperture) */
  readonly aperture?: number;
  readonly phaseBits?: number;
  readonly pixelCrosstalk?: number;
}

/** Splits the N×N grid into `count` equal macro-pixels on a ⌈√count⌉ lattice; returns pixel → region (−1 = none). */
function regions(n: number, count: number): Int32Array {
  const side = Math.ceil(Math.sqrt(count));
  const cell = Math.max(1, Math.floor(n / side));
  const off = Math.floor((n - cell * side) / 2);
  const map = new Int32Array(n * n).fill(-1);
  for (let r = 0; r < cell * side; r++)
    for (let c = 0; c < cell * side; c++) {
      const k = Math.floor(r / cell) * side + Math.floor(c / cell);
      if (k < count) map[(off + r) * n + off + c] = k;
    }
  return map;
}

/**
 * A free-space SLM layer: input amplitudes x_j drive macro-pixels of an N×N field, the SLM
 * multiplies by e^{iΦ} (ω = Φ, N² pixel phases), the field propagates a distance z by the angular
 * spectrum method, E_z = F⁻¹[F[E_0 e^{iΦ}] · exp(i 2π z sqrt(1/λ² − f_x² − f_y²))] (evanescent
 * components decay), and detector regions integrate |E_z|². The map x → y is quadratic, not linear:
 * this is the physical model behind the reference's idealised phase matrix.
 * Energy is conserved exactly when no aperture is set and pitch > λ/√2 (no evanescent waves).
 */
export class SlmFreeSpace extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly grid: number;
  readonly detection: 'intensity' | 'differential';
  readonly phaseBits: number | null;
  readonly crosstalk: number;
  private readonly inMap: Int32Array;
  private readonly outMap: Int32Array;
  private readonly hRe: Float64Array;
  private readonly hIm: Float64Array;
  private readonly mask: Uint8Array;

  constructor(opts: SlmFreeSpaceOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    const n = checkInt('grid', opts.grid, { min: 2 });
    super(
      {
        name: `slm-free-space ${dOut}x${dIn} (grid ${n})`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: n * n,
        units: {
          input: 'field amplitude (a.u.)',
          output: 'detected power (a.u.)',
          param: 'pixel phase (rad)',
        },
        bounds: uniformBounds(n * n, 0, 2 * Math.PI),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.grid = n;
    this.detection = checkOneOf('detection', opts.detection ?? 'intensity', [
      'intensity',
      'differential',
    ] as const);
    this.phaseBits =
      opts.phaseBits === undefined ? null : checkInt('phaseBits', opts.phaseBits, { min: 1, max: 24 });
    this.crosstalk = checkNumber('pixelCrosstalk', opts.pixelCrosstalk ?? 0, { min: 0, max: 0.25 });
    const pitch = checkNumber('pitch', opts.pitch ?? 8e-6, { gt: 0 });
    const lambda = checkNumber('wavelength', opts.wavelength ?? 532e-9, { gt: 0 });
    const z = checkNumber('distance', opts.distance ?? 5e-3, { min: 0 });
    this.inMap = regions(n, dIn);
    this.outMap = regions(n, this.detection === 'differential' ? 2 * dOut : dOut);
    const ap =
      opts.aperture === undefined ? n : checkInt('aperture', opts.aperture, { positive: true, max: n });
    this.mask = new Uint8Array(n * n);
    const a0 = Math.floor((n - ap) / 2);
    for (let r = a0; r < a0 + ap; r++) for (let c = a0; c < a0 + ap; c++) this.mask[r * n + c] = 1;
    // transfer function on the FFT frequency grid f = k/(N·pitch), k in FFT order
    this.hRe = new Float64Array(n * n);
    this.hIm = new Float64Array(n * n);
    const inv2 = 1 / (lambda * lambda);
    for (let r = 0; r < n; r++) {
      const fy = (r < n / 2 ? r : r - n) / (n * pitch);
      for (let c = 0; c < n; c++) {
        const fx = (c < n / 2 ? c : c - n) / (n * pitch);
        const s = inv2 - fx * fx - fy * fy;
        if (s >= 0) {
          const ph = 2 * Math.PI * z * Math.sqrt(s);
          this.hRe[r * n + c] = Math.cos(ph);
          this.hIm[r * n + c] = Math.sin(ph);
        } else {
          this.hRe[r * n + c] = Math.exp(-2 * Math.PI * z * Math.sqrt(-s));
        }
      }
    }
  }

  /** one phase DAC level 2π/2^bits, or null for continuous phases */
  get paramStep(): number | null {
    return this.phaseBits === null ? null : (2 * Math.PI) / 2 ** this.phaseBits;
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = 2 * Math.PI * rng.uniform();
  }

  /** The complex field at the detector plane for one input vector (exposed for physics checks). */
  field(x: Float64Array, omega: Float64Array): { re: Float64Array; im: Float64Array } {
    const n = this.grid;
    let phi =
      this.phaseBits === null ? omega : quantizePhase(omega, this.phaseBits, new Float64Array(omega.length));
    if (this.crosstalk > 0) {
      const t = new Float64Array(phi.length);
      pixelCrosstalk(phi, n, n, this.crosstalk, t);
      phi = t;
    }
    const re = new Float64Array(n * n);
    const im = new Float64Array(n * n);
    for (let k = 0; k < n * n; k++) {
      const j = this.inMap[k]!;
      if (j < 0 || this.mask[k] === 0) continue;
      re[k] = x[j]! * Math.cos(phi[k]!);
      im[k] = x[j]! * Math.sin(phi[k]!);
    }
    fft2(re, im, n, n);
    for (let k = 0; k < n * n; k++) {
      const r = re[k]! * this.hRe[k]! - im[k]! * this.hIm[k]!;
      im[k] = re[k]! * this.hIm[k]! + im[k]! * this.hRe[k]!;
      re[k] = r;
    }
    fft2(re, im, n, n, true);
    return { re, im };
  }

  /** The field at the SLM plane right after the mask, |E_0|² summed (for energy checks). */
  inputPower(x: Float64Array): number {
    let s = 0;
    for (let k = 0; k < this.grid * this.grid; k++) {
      const j = this.inMap[k]!;
      if (j >= 0 && this.mask[k] === 1) s += x[j]! ** 2;
    }
    return s;
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    const { dIn, dOut } = this;
    const regionsOut = this.detection === 'differential' ? 2 * dOut : dOut;
    const acc = new Float64Array(regionsOut);
    for (let b = 0; b < batch; b++) {
      const E = this.field(X.subarray(b * dIn, (b + 1) * dIn), omega);
      acc.fill(0);
      for (let k = 0; k < E.re.length; k++) {
        const r = this.outMap[k]!;
        if (r >= 0) acc[r]! += E.re[k]! ** 2 + E.im[k]! ** 2;
      }
      for (let i = 0; i < dOut; i++)
        out[b * dOut + i] = this.detection === 'differential' ? acc[2 * i]! - acc[2 * i + 1]! : acc[i]!;
    }
  }
}

/**
 * Builds an {@link SlmFreeSpace} device: input amplitudes on SLM macro-pixels, a phase mask Φ = ω,
 * angular-spectrum propagation and detector regions that integrate |E|².
 * @throws ArgumentError for bad options
 */
export function slmFreeSpace(opts: SlmFreeSpaceOptions): SlmFreeSpace {
  return new SlmFreeSpace(opts);
}
