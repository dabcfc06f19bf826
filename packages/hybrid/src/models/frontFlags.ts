import { checkObject } from '@tenzo/core';
import type { ConvFrontSpec } from './convFront.js';

/**
 * Command-line flags (`@tenzo/cli` flag specs, plain data) for the digital layer in front of a
 * HybridMlp's device: the dense Linear(inputs → W), or a small convolution whose flattened feature
 * maps are the device's W inputs. With the dense front the network without the device is still a
 * one-hidden-layer MLP, so the device adds under a point; with a conv front it is close to a
 * linear classifier and the device carries the network's capacity. {@link convFrontOf} turns the
 * parsed values into HybridMlp's `conv`.
 */
export const frontFlags = {
  front: {
    type: 'enum',
    choices: ['dense', 'conv', 'cnn'],
    default: 'dense',
    help: "the digital layers before the device: dense Linear(784→W); conv (the feature maps of a small convolution are the W device inputs; the device then carries the network's capacity); or cnn, an airbench-style CNN (conv–BN–GELU–pool stages of 16 and 32 channels, then Linear → W) with the device in its head (W default 128)",
  },
  // default: 16 filters on the four 14×14 quadrants of a 28×28 image, 2·2·16 = 64 device inputs
  // (apps/train README: the digital network of this shape reaches the dense MLP's accuracy, and
  // removing the layer costs 3.5 points)
  convChannels: { type: 'integer', default: 16, min: 1, max: 64, help: 'with --front conv: filters C' },
  convKernel: { type: 'integer', default: 14, min: 1, max: 28, help: 'with --front conv: kernel size K' },
  convStride: { type: 'integer', default: 14, min: 1, max: 28, help: 'with --front conv: stride' },
  convPadding: { type: 'integer', default: 0, min: 0, max: 14, help: 'with --front conv: zero padding' },
} as const;

/** The values of {@link frontFlags}. */
export interface FrontFlagValues {
  front: 'dense' | 'conv' | 'cnn';
  convChannels: number;
  convKernel: number;
  convStride: number;
  convPadding: number;
}

/** The conv front these flags describe on an H×W image (undefined for the dense front). */
export function convFrontOf(
  flags: FrontFlagValues,
  height: number,
  width: number,
): ConvFrontSpec | undefined {
  checkObject('convFrontOf: flags', flags);
  if (flags.front !== 'conv') return undefined;
  return {
    height,
    width,
    channels: flags.convChannels,
    kernel: flags.convKernel,
    stride: flags.convStride,
    padding: flags.convPadding,
  };
}
