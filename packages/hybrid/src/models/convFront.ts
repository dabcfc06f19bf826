import { checkInt, checkObject, type Rng } from '@tenzo/core';
import { Conv2d, conv2dOutputSize, Flatten, type Layer, Module } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';

/**
 * A single-channel image front: flat pixels [B, H·W] → [B, H, W, 1] → Conv2d(1 → channels,
 * kernel, stride, padding) → flatten → [B, channels·H_out·W_out] (channels last). The ReLU after
 * it is the model's.
 */
export interface ConvFrontSpec {
  height: number;
  width: number;
  channels: number;
  kernel: number;
  stride: number;
  padding: number;
}

/** Feature count of a conv front (the device width it feeds): channels·H_out·W_out. */
export function convFrontWidth(c: ConvFrontSpec): number {
  checkObject('convFrontWidth: spec', c);
  checkInt('convFrontWidth: channels', c.channels, { positive: true });
  const [hOut, wOut] = conv2dOutputSize(c.height, c.width, c.kernel, c.stride, c.padding);
  return c.channels * hOut * wOut;
}

/** Flat pixels [B, H·W] → images [B, H, W, 1]. */
class ToImage extends Module {
  constructor(
    private readonly height: number,
    private readonly width: number,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0]!, this.height, this.width, 1]);
  }
}

/**
 * The front's layers, [B, H·W] → [B, convFrontWidth(c)]: reshape, Conv2d (its weight then bias
 * drawn from `rng`), flatten. The Conv2d is the second layer, as parameter paths name it.
 */
export function convFrontLayers(c: ConvFrontSpec, rng: Rng): Layer[] {
  return [
    new ToImage(c.height, c.width),
    new Conv2d(1, c.channels, c.kernel, rng, { stride: c.stride, padding: c.padding }),
    new Flatten(),
  ];
}
