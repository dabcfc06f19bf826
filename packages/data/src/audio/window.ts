import { checkInt, checkOneOf } from '@tenzo/core';

/** The analysis windows `windowFunction` builds. */
export const WINDOW_NAMES = ['hann', 'hamming', 'rectangular'] as const;
/** One of {@link WINDOW_NAMES}: Hann, Hamming or rectangular (no taper). */
export type WindowName = (typeof WINDOW_NAMES)[number];

/**
 * A length-n analysis window. `periodic` (default true) gives the DFT-even form used for
 * spectral analysis (scipy.signal.get_window, librosa, torch.hann_window's default): the
 * length-(n+1) symmetric window without its last sample, so overlapping Hann windows at hop n/2
 * sum to a constant. `periodic: false` gives the symmetric filter-design form (numpy.hanning).
 *
 * hann: 0.5 − 0.5 cos(2πj/N); hamming: 0.54 − 0.46 cos(2πj/N), N = n (periodic) or n − 1.
 */
export function windowFunction(name: WindowName, n: number, periodic = true): Float64Array {
  checkOneOf('window', name, WINDOW_NAMES);
  checkInt('n', n, { positive: true });
  const w = new Float64Array(n);
  const denom = periodic ? n : n - 1;
  for (let j = 0; j < n; j++) {
    if (name === 'rectangular' || denom === 0) {
      w[j] = 1;
      continue;
    }
    const c = Math.cos((2 * Math.PI * j) / denom);
    w[j] = name === 'hann' ? 0.5 - 0.5 * c : 0.54 - 0.46 * c;
  }
  return w;
}

/** Periodic (default) or symmetric Hann window of length n. */
export function hannWindow(n: number, periodic = true): Float64Array {
  return windowFunction('hann', n, periodic);
}

/** Periodic (default) or symmetric Hamming window of length n. */
export function hammingWindow(n: number, periodic = true): Float64Array {
  return windowFunction('hamming', n, periodic);
}
