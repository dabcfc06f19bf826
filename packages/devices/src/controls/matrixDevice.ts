import type { Rng } from '@tenzo/core';
import { deviceWidths } from '../argumentChecks.js';
import { vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { batchMatvec, outerSum } from '../linear.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';

export interface MatrixDeviceOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
}

/**
 * Control: the plain matrix device ("matvec" in the reference), ω = A (d_out×d_in row-major),
 * y = A x. Init like a digital Linear layer: U[−1/√d_in, 1/√d_in].
 */
export class MatrixDevice extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly exact: ExactLinearAccess;

  constructor(opts: MatrixDeviceOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    super(
      {
        name: `matrix ${dOut}x${dIn}`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: dIn * dOut,
        units: { input: 'a.u.', output: 'a.u.', param: 'matrix entry' },
        bounds: uniformBounds(dIn * dOut, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.exact = {
      matrix: (omega) => this.resolveOmega(omega),
      paramVjp: (X, Ybar) => {
        const Xd = this.digitise(X);
        return outerSum(Xd, Ybar, vjpBatch(Xd, Ybar, dIn, dOut), dOut, dIn);
      },
    };
  }

  protected sampleInit(rng: Rng, out: Float64Array): void {
    const b = 1 / Math.sqrt(this.dIn);
    for (let i = 0; i < out.length; i++) out[i] = b * (2 * rng.uniform() - 1);
  }

  protected simulate(X: Float64Array, batch: number, omega: Float64Array, out: Float64Array): void {
    batchMatvec(X, batch, omega, this.dOut, this.dIn, out);
  }
}

/**
 * Builds a {@link MatrixDevice}: a plain digital d_out×d_in matrix whose entries are the parameters ω (a
 * control for the physical devices).
 * @throws ArgumentError for bad options
 */
export function matrixDevice(opts: MatrixDeviceOptions): MatrixDevice {
  return new MatrixDevice(opts);
}
