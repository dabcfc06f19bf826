import { ArgumentError, describeValue } from '@tenzo/core';
import { sharedTensorState } from '../sharedState.js';

// the no-grad depth of every loaded copy of the package (sharedState.ts)
const state = sharedTensorState();

/** Whether operations currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return state.gradDisabledDepth === 0;
}

/** Runs `fn` without recording gradients (evaluation, optimizer updates, gradient formulas). */
export function noGrad<T>(fn: () => T): T {
  checkFunction('noGrad', fn);
  state.gradDisabledDepth++;
  try {
    return fn();
  } finally {
    state.gradDisabledDepth--;
  }
}

/**
 * `noGrad` for an asynchronous computation (a forward pass that awaits a device). Recording stays
 * off until the promise settles; other work interleaved on the event loop meanwhile also runs
 * without recording, so do not overlap it with training steps.
 */
export async function noGradAsync<T>(fn: () => Promise<T>): Promise<T> {
  checkFunction('noGradAsync', fn);
  state.gradDisabledDepth++;
  try {
    return await fn();
  } finally {
    state.gradDisabledDepth--;
  }
}

function checkFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function')
    throw new ArgumentError(`${op}: fn expected a function, got ${describeValue(fn)}`);
}
