import { checkAllFinite, ShapeError } from '@tenzo/core';

/** Rejects an empty signal or one holding NaN/±Infinity (they would poison every frame's FFT). */
export function checkSignal(name: string, signal: ArrayLike<number>): void {
  if (signal.length === 0) throw new ShapeError(`${name}: expected a non-empty signal, got length 0`);
  checkAllFinite(name, signal);
}
