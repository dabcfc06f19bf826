import type { FlagSpecs } from '@tenzo/cli';
import { HYBRID_MODES } from '@tenzo/hybrid';

/**
 * The physical layer's settings on the commands that put a simulated device in a classifier
 * (mnist, audio; hybrid and lm-hybrid pick from them): the surrogate rank, the paper's
 * M_BB = M_SM, the gradient mode, centring of the outputs, freezing ω and ω's learning rate.
 */
export const layerFlags = {
  rank: { type: 'integer', default: 10, min: 1, help: 'with --device: surrogate rank r' },
  samples: {
    type: 'integer',
    default: 100,
    min: 1,
    help: 'with --device: M_BB = M_SM (ZO directions, sketch probes)',
  },
  mode: {
    type: 'enum',
    choices: HYBRID_MODES,
    default: 'zo+surrogate',
    help: 'with --device: how the two gradients are obtained',
  },
  center: {
    type: 'boolean',
    default: true,
    help: 'with --device: subtract the per-sample mean of the device outputs (--no-center for the raw readout)',
  },
  freezeDevice: {
    type: 'boolean',
    help: 'with --device: keep ω at its initialisation (the frozen-device baseline)',
  },
  deviceLr: {
    type: 'number',
    default: 1e-2,
    gt: 0,
    help: 'with --device: Adam learning rate of ω and the output gain (cosine)',
  },
} as const satisfies FlagSpecs;
