import { ArgumentError, checkObject, describeValue, formatShape, ShapeError } from '@tenzo/core';
import { CenterRows, Module } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import { PhysicalLayer } from '../physicalLayer.js';

/**
 * A transformer block's feed-forward slot filled by one physical device d → d (the paper's
 * nanoGPT experiment, METHODS.md §1.6). The token rows of x: [B, T, d] go through the device as
 * one batch of B·T inputs; y = center(g · f_ω(x)) : [B, T, d]. Centring removes the common mode
 * of a microring bank's output (all weights ≈ −0.26 at the reference init), which would otherwise
 * dominate the auto-calibrated gain while the next LayerNorm throws it away anyway. Give it to
 * `GPT`'s `ffn` option and run the model through `forwardAsync`.
 */
export class DeviceFfn extends Module {
  readonly device: PhysicalLayer;
  private readonly center: CenterRows | null;

  constructor(layer: PhysicalLayer, opts: { center?: boolean } = {}) {
    super();
    if (!(layer instanceof PhysicalLayer))
      throw new ArgumentError(`DeviceFfn: layer expected a PhysicalLayer, got ${describeValue(layer)}`);
    checkObject('DeviceFfn: opts', opts);
    this.device = this.registerModule('device', layer);
    this.center = opts.center === false ? null : new CenterRows();
  }

  /** x: [B, T, d] → center(g · f_ω(x)): [B, T, d], the B·T token rows sent to the device as one batch. */
  async forward(x: Tensor): Promise<Tensor> {
    const d = this.device.device.inputSize;
    if (x.shape[x.ndim - 1] !== d)
      throw new ShapeError(`DeviceFfn: input expected [..., ${d}], got ${formatShape(x.shape)}`);
    const rows = x.reshape([x.size / d, d]);
    const y = await this.device.forward(rows);
    const out = this.center ? this.center.forward(y) : y;
    return out.reshape([...x.shape.slice(0, -1), this.device.device.outputSize]);
  }
}
