import { ArgumentError } from '@tenzo/core';
import { type ConvFrontSpec, convFrontWidth } from './models/convFront.js';
import { convFrontOf, type FrontFlagValues } from './models/frontFlags.js';

// The other side of frontFlags for a command that builds a front or starts runs of another: the
// dense front's width, the same settings as that run's argv, and resume configs without them.

/** The dense front's hidden width W when `--width` is not given. */
export const DENSE_WIDTH = 256;
/** The CNN head's device width W when `--width` is not given (HybridCnn's default). */
export const CNN_WIDTH = 128;

/**
 * `flags` with `width` filled in (DENSE_WIDTH when not given, in its place among the keys, so
 * configs read as before). `--width` is the dense front's: with `--front conv` the conv features
 * set W, and a `--width` given beside it is refused as conflicting rather than ignored.
 */
export function withWidth<F extends FrontFlagValues & { width?: number | undefined }>(
  flags: F,
): F & { width: number } {
  if (flags.front === 'conv' && flags.width !== undefined)
    throw new ArgumentError(
      `--width: conflicts with --front conv (the conv front's features set the device width); drop --width ${flags.width} or use --front dense`,
    );
  return { ...flags, width: flags.width ?? (flags.front === 'cnn' ? CNN_WIDTH : DENSE_WIDTH) };
}

/** The conv front of these flags on an H×W image (undefined: dense) and the device width W it gives. */
export function frontShape(
  flags: FrontFlagValues & { width?: number | undefined },
  height: number,
  width: number,
): { conv: ConvFrontSpec | undefined; width: number } {
  const f = withWidth(flags);
  const conv = convFrontOf(f, height, width);
  return { conv, width: conv ? convFrontWidth(conv) : f.width };
}

/** The same settings as `mnist` flags, for commands that run it per cell (empty for the dense front). */
export function frontArgv(flags: FrontFlagValues): string[] {
  if (flags.front === 'cnn') return ['--front', 'cnn'];
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
 * A run's config for resume checks without the front flags when the front is dense (and without
 * the conv flags for the CNN): results and checkpoints written before these flags existed stay
 * resumable.
 */
export function withoutDefaultFront<T extends Partial<FrontFlagValues>>(config: T): Record<string, unknown> {
  if (config.front === 'conv') return { ...config };
  const { front, convChannels: _c, convKernel: _k, convStride: _s, convPadding: _p, ...rest } = config;
  return front === 'cnn' ? { front, ...rest } : rest;
}
