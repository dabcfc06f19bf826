import { ArgumentError, checkInt, checkNumber, checkObject, describeValue } from '@tenzo/core';

/** A learning-rate schedule: optimizer step (0-based) → learning rate. */
export type LRSchedule = (step: number) => number;

/**
 * The schedule that returns `lr` at every step.
 * @throws ArgumentError when lr is not a number ≥ 0
 */
export function constantLR(lr: number): LRSchedule {
  checkNumber('constantLR: lr', lr, { min: 0 });
  return () => lr;
}

/** lr · gamma^⌊step / stepSize⌋. */
export function stepLR(opts: { lr: number; stepSize: number; gamma?: number }): LRSchedule {
  const lr = checkNumber('stepLR: lr', checkObject('stepLR: opts', opts).lr, { min: 0 });
  const size = checkInt('stepLR: stepSize', opts.stepSize, { positive: true });
  // a decay: γ > 1 would grow the rate without bound (to ∞ after enough steps)
  const gamma = checkNumber('stepLR: gamma', opts.gamma ?? 0.1, { gt: 0, max: 1 });
  return (step) => lr * gamma ** Math.floor(step / size);
}

/** Cosine annealing from lr to minLr over totalSteps (then held at minLr). */
export function cosineLR(opts: { lr: number; totalSteps: number; minLr?: number }): LRSchedule {
  const lr = checkNumber('cosineLR: lr', checkObject('cosineLR: opts', opts).lr, { min: 0 });
  const total = checkInt('cosineLR: totalSteps', opts.totalSteps, { positive: true });
  const minLr = checkNumber('cosineLR: minLr', opts.minLr ?? 0, { min: 0, max: lr });
  return (step) => minLr + 0.5 * (lr - minLr) * (1 + Math.cos((Math.PI * Math.min(step, total)) / total));
}

/** Linear warm-up from ~0 to the wrapped schedule over `warmupSteps`, then the schedule (shifted). */
export function withWarmup(schedule: LRSchedule, warmupSteps: number): LRSchedule {
  if (typeof schedule !== 'function')
    throw new ArgumentError(
      `withWarmup: schedule expected an LRSchedule function, got ${describeValue(schedule)}`,
    );
  const w = checkInt('withWarmup: warmupSteps', warmupSteps);
  return (step) => (step < w ? (schedule(0) * (step + 1)) / w : schedule(step - w));
}
