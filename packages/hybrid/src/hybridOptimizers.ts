import { ArgumentError, checkArray, checkInt, checkNumber, checkObject, describeValue } from '@tenzo/core';
import { Adam, type AdamOptions, cosineLR, type LRSchedule, Optimizer, withWarmup } from '@tenzo/nn';
import type { PhysicalLayer } from './physicalLayer.js';

/**
 * Options of `hybridOptimizers`: the digital optimizer with its warm-up/cosine schedule (learning rates,
 * steps), the physical layers, and the Adam options of every unfrozen layer's ω and gain.
 */
export interface HybridOptimizersOptions {
  /** the optimizer of the network's digital parameters (AdamW, SGD …) */
  readonly digital: Optimizer;
  /** the digital peak learning rate */
  readonly lr: number;
  /** linear warm-up steps of the digital learning rate before the cosine decay */
  readonly warmup: number;
  /** optimizer steps of the whole run */
  readonly totalSteps: number;
  /** the digital cosine's floor (default 0) */
  readonly minLr?: number;
  /** the network's physical layers; the frozen ones get no optimizer */
  readonly physical: readonly PhysicalLayer[];
  /** Adam's options for every unfrozen layer's ω and output gain (its lr is the cosine's peak) */
  readonly device: AdamOptions & { readonly lr: number };
  /**
   * the optimizer-state name of layer i's parameters, `<name>.omega` / `<name>.gain` (default
   * 'device' for a single layer, 'device<i>' for several)
   */
  readonly deviceName?: (index: number) => string;
}

/**
 * The optimizers of a hybrid network as the paper's runs set them up: `digital` on a linear
 * warm-up then cosine schedule (totalSteps − warmup steps of cosine, floor `minLr`), and — when
 * some physical layer trains — one Adam over every unfrozen layer's ω and output gain on a cosine
 * schedule over `totalSteps` (the reference's lr 1e-2). Returned as the `optimizers` and
 * `schedules` of `@tenzo/train`'s Trainer, keys 'digital' and 'device', stepped in that order.
 *
 * ```ts
 * const { optimizers, schedules } = hybridOptimizers({
 *   digital: new AdamW(net.digitalParameters().map(([, p]) => p), { lr: 2e-3 }),
 *   lr: 2e-3, warmup: 100, totalSteps: 1250, physical: [net.physical!], device: { lr: 1e-2 },
 * });
 * ```
 */
export function hybridOptimizers(o: HybridOptimizersOptions): {
  optimizers: Record<string, Optimizer>;
  schedules: Record<string, LRSchedule>;
} {
  checkObject('hybridOptimizers: options', o);
  if (!(o.digital instanceof Optimizer))
    throw new ArgumentError(
      `hybridOptimizers: digital expected an Optimizer, got ${describeValue(o.digital)}`,
    );
  const lr = checkNumber('hybridOptimizers: lr', o.lr, { gt: 0 });
  const warmup = checkInt('hybridOptimizers: warmup', o.warmup, { min: 0 });
  const totalSteps = checkInt('hybridOptimizers: totalSteps', o.totalSteps, { positive: true });
  checkArray('hybridOptimizers: physical', o.physical);
  checkObject('hybridOptimizers: device', o.device);
  const cosine = cosineLR({ lr, totalSteps: Math.max(1, totalSteps - warmup), minLr: o.minLr ?? 0 });
  const optimizers: Record<string, Optimizer> = { digital: o.digital };
  const schedules: Record<string, LRSchedule> = { digital: withWarmup(cosine, warmup) };
  const name = o.deviceName ?? ((i: number) => (o.physical.length === 1 ? 'device' : `device${i}`));
  const named = o.physical.flatMap((p, i) =>
    p.frozen
      ? []
      : p.deviceParameters().map((q, j) => [`${name(i)}.${j === 0 ? 'omega' : 'gain'}`, q] as const),
  );
  if (named.length > 0) {
    optimizers.device = new Adam(
      named.map(([, q]) => q),
      o.device,
      named.map(([n]) => n),
    );
    schedules.device = cosineLR({ lr: o.device.lr, totalSteps });
  }
  return { optimizers, schedules };
}
