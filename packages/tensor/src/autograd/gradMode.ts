import { ArgumentError, describeValue } from '@tenzo/core';

let disabledDepth = 0;

/** Whether operations currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return disabledDepth === 0;
}

/** Runs `fn` without recording gradients (evaluation, optimizer updates, gradient formulas). */
export function noGrad<T>(fn: () => T): T {
  checkFunction('noGrad', fn);
  disabledDepth++;
  try {
    return fn();
  } finally {
    disabledDepth--;
  }
}

/**
 * `noGrad` for an asynchronous computation (a forward pass that awaits a device). Recording stays
 * off until the promise settles; other work interleaved on the event loop meanwhile also runs
 * without recording, so do not overlap it with training steps.
 */
export async function noGradAsync<T>(fn: () => Promise<T>): Promise<T> {
  checkFunction('noGradAsync', fn);
  disabledDepth++;
  try {
    return await fn();
  } finally {
    disabledDepth--;
  }
}

function checkFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function')
    throw new ArgumentError(`${op}: fn expected a function, got ${describeValue(fn)}`);
}
