import { checkInt, type Rng } from '@tenzo/core';
import { deviceWidths } from '../argumentChecks.js';
import { vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';

export interface LowRankDeviceOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
  readonly rank: number;
}

/**
 * Control: a digital low-rank layer, A = U Vᵀ with U: d_out×r, V: d_in×r; ω = [U row-major | V
 * row-major]. y = U (Vᵀ x) costs r(d_in + d_out) per vector. Init: U, V entries ~ N(0, σ²) with
 * σ = (3 d_in r)^{-1/4}, so Var(A_ij) = r σ⁴ = 1/(3 d_in), matching the matrix device's init.
 */
export class LowRankDevice extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly rank: number;
  readonly exact: ExactLinearAccess;
  private tmp = new Float64Array(0);

  constructor(opts: LowRankDeviceOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    const rank = checkInt('rank', opts.rank, { positive: true, max: Math.min(dIn, dOut) });
    const size = rank * (dIn + dOut);
    super(
      {
        name: `low-rank ${dOut}x${dIn} (r=${rank})`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: size,
        units: { input: 'a.u.', output: 'a.u.', param: 'factor entry' },
        bounds: uniformBounds(size, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.rank = rank;
    this.exact = {
      matrix: (omega) => {
        const w = this.resolveOmega(omega);
        const A = new Float64Array(dOut * dIn);
        const vo = dOut * rank;
        for (let i = 0; i < dOut; i++)
          for (let j = 0; j < dIn; j++) {
            let s = 0;
            for (let k = 0; k < rank; k++) s += w[i * rank + k]! * w[vo + j * rank + k]!;
            A[i * dIn + j] = s;
          }
        return A;
      },
      paramVjp: (X, Ybar, omega) => this.paramVjp(this.digitise(X), Ybar, this.resolveOmega(omega)),
    };
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    // Var(A_ij) = r σ⁴ = 1/(3 d_in)  ⇒  σ = (3 d_in r)^{-1/4}
    const s = (3 * this.dIn * this.rank) ** -0.25;
    for (let i = 0; i < out.length; i++) out[i] = s * rng.normal();
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    const { dIn, dOut, rank } = this;
    const vo = dOut * rank;
    if (this.tmp.length < rank) this.tmp = new Float64Array(rank);
    const t = this.tmp;
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < rank; k++) {
        let s = 0;
        for (let j = 0; j < dIn; j++) s += omega[vo + j * rank + k]! * X[b * dIn + j]!;
        t[k] = s;
      }
      for (let i = 0; i < dOut; i++) {
        let s = 0;
        for (let k = 0; k < rank; k++) s += omega[i * rank + k]! * t[k]!;
        out[b * dOut + i] = s;
      }
    }
  }

  // L = Σ_b ȳ_bᵀ U Vᵀ x_b: Ū = Σ_b ȳ_b (Vᵀ x_b)ᵀ, V̄ = Σ_b x_b (Uᵀ ȳ_b)ᵀ
  private paramVjp(X: Float64Array, Ybar: Float64Array, w: Float64Array): Float64Array {
    const { dIn, dOut, rank } = this;
    const batch = vjpBatch(X, Ybar, dIn, dOut);
    const vo = dOut * rank;
    const g = new Float64Array(this.paramSize);
    const vx = new Float64Array(rank);
    const uy = new Float64Array(rank);
    for (let b = 0; b < batch; b++) {
      vx.fill(0);
      uy.fill(0);
      for (let j = 0; j < dIn; j++)
        for (let k = 0; k < rank; k++) vx[k]! += w[vo + j * rank + k]! * X[b * dIn + j]!;
      for (let i = 0; i < dOut; i++)
        for (let k = 0; k < rank; k++) uy[k]! += w[i * rank + k]! * Ybar[b * dOut + i]!;
      for (let i = 0; i < dOut; i++)
        for (let k = 0; k < rank; k++) g[i * rank + k]! += Ybar[b * dOut + i]! * vx[k]!;
      for (let j = 0; j < dIn; j++)
        for (let k = 0; k < rank; k++) g[vo + j * rank + k]! += X[b * dIn + j]! * uy[k]!;
    }
    return g;
  }
}

/**
 * Builds a {@link LowRankDevice}: a digital rank-r factorised d_out×d_in matrix in the device's place (a
 * control for the physical devices).
 * @throws ArgumentError for bad options
 */
export function lowRankDevice(opts: LowRankDeviceOptions): LowRankDevice {
  return new LowRankDevice(opts);
}
