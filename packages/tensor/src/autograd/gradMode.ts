let disabledDepth = 0;

/** Whether operations currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return disabledDepth === 0;
}

/** Runs `fn` without recording gradients (evaluation, optimizer updates, gradient formulas). */
export function noGrad<T>(fn: () => T): T {
  disabledDepth++;
  try {
    return fn();
  } finally {
    disabledDepth--;
  }
}
