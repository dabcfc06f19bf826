import type { Rng } from '@tenzo/core';
import { deviceWidths } from '../argumentChecks.js';
import { vjpBatch } from '../checkBatch.js';
import type { ExactLinearAccess } from '../device.js';
import { SimulatedDevice, type SimulatorOptions, uniformBounds } from '../simulatedDevice.js';

export interface IdentityDeviceOptions extends SimulatorOptions {
  readonly dIn: number;
  readonly dOut: number;
}

/**
 * Control: "layer removed". y = x truncated or zero-padded to d_out; no parameters (ω is empty),
 * so every ω-gradient is zero and only the digital layers train.
 */
export class IdentityDevice extends SimulatedDevice {
  readonly dIn: number;
  readonly dOut: number;
  readonly exact: ExactLinearAccess;

  constructor(opts: IdentityDeviceOptions) {
    const { dIn, dOut } = deviceWidths(opts);
    super(
      {
        name: `identity ${dOut}x${dIn}`,
        inputSize: dIn,
        outputSize: dOut,
        paramSize: 0,
        units: { input: 'a.u.', output: 'a.u.', param: 'none' },
        bounds: uniformBounds(0, 0, 0),
      },
      opts,
    );
    this.dIn = dIn;
    this.dOut = dOut;
    this.exact = {
      matrix: () => {
        const A = new Float64Array(dOut * dIn);
        for (let i = 0; i < Math.min(dIn, dOut); i++) A[i * dIn + i] = 1;
        return A;
      },
      paramVjp: (X, Ybar) => {
        vjpBatch(X, Ybar, dIn, dOut);
        return new Float64Array(0);
      },
    };
  }

  protected sampleInit(_rng: Rng, _out: Float64Array): void {}

  protected simulate(X: Float64Array, batch: number, _omega: Float64Array, out: Float64Array): void {
    const { dIn, dOut } = this;
    const m = Math.min(dIn, dOut);
    for (let b = 0; b < batch; b++) for (let i = 0; i < m; i++) out[b * dOut + i] = X[b * dIn + i]!;
  }
}

/**
 * Builds an {@link IdentityDevice}: y = x truncated or zero-padded to d_out, no parameters (the layer
 * removed, for ablations).
 * @throws ArgumentError for bad options
 */
export function identityDevice(opts: IdentityDeviceOptions): IdentityDevice {
  return new IdentityDevice(opts);
}
