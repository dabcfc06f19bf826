import type { FlagSpecs } from '@tenzo/cli';
import type { ConvFrontSpec } from '@tenzo/hybrid';

/**
 * The digital layer in front of the MNIST device (`mnist`, `sweep`, `hybrid`): the reference's
 * dense Linear(784 → W), or a small convolution whose flattened feature maps are the device's W
 * inputs. With the dense front the network without the device is still a one-hidden-layer MLP,
 * so the device adds under a point; with a conv front it is close to a linear classifier and the
 * device carries the network's capacity.
 */
export const frontFlags = {
  front: {
    type: 'enum',
    choices: ['dense', 'conv'],
    default: 'dense',
    help: "the digital layer before the device: dense Linear(784→W), or conv (the feature maps of a small convolution are the W device inputs; the device then carries the network's capacity)",
  },
  // default: 16 filters on the four 14×14 quadrants, 2·2·16 = 64 device inputs (README: the
  // digital network of this shape reaches the dense MLP's accuracy, and removing the layer costs 3.5 points)
  convChannels: { type: 'integer', default: 16, min: 1, max: 64, help: 'with --front conv: filters C' },
  convKernel: { type: 'integer', default: 14, min: 1, max: 28, help: 'with --front conv: kernel size K' },
  convStride: { type: 'integer', default: 14, min: 1, max: 28, help: 'with --front conv: stride' },
  convPadding: { type: 'integer', default: 0, min: 0, max: 14, help: 'with --front conv: zero padding' },
} as const satisfies FlagSpecs;

interface FrontSettings {
  front: 'dense' | 'conv';
  convChannels: number;
  convKernel: number;
  convStride: number;
  convPadding: number;
}

/** The conv front these flags describe on an H×W image (undefined for the dense front). */
export function convFront(flags: FrontSettings, height: number, width: number): ConvFrontSpec | undefined {
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

/** The same settings as `mnist` flags, for commands that run it per cell (empty for the dense front). */
export function frontArgv(flags: FrontSettings): string[] {
  if (flags.front !== 'conv') return [];
  return [
    '--front',
    'conv',
    '--conv-channels',
    String(flags.convChannels),
    '--conv-kernel',
    String(flags.convKernel),
    '--conv-stride',
    String(flags.convStride),
    '--conv-padding',
    String(flags.convPadding),
  ];
}

/**
 * A run's config for resume checks without the front flags when the front is dense: results and
 * checkpoints written before these flags existed stay resumable.
 */
export function withoutDefaultFront<T extends Partial<FrontSettings>>(config: T): Record<string, unknown> {
  if (config.front === 'conv') return { ...config };
  const { front: _f, convChannels: _c, convKernel: _k, convStride: _s, convPadding: _p, ...rest } = config;
  return rest;
}
