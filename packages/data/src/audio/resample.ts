import { checkInt, checkNumber } from '@tenzo/core';

/**
 * Band-limited resampling by windowed-sinc interpolation: output sample i is the input read at
 * time i·step (in input samples), so step = inputRate/outputRate converts the rate and a step
 * scaled by a factor s > 1 also plays the audio s× faster and higher (the speed perturbation of
 * speech augmentation). When step > 1 the sinc's cutoff drops to 1/step of the input Nyquist so
 * nothing aliases. `zeros`: sinc zero crossings each side (kernel quality, default 16).
 */
export function resample(x: Float32Array, step: number, zeros = 16): Float32Array {
  checkNumber('step', step, { gt: 0 });
  checkInt('zeros', zeros, { positive: true });
  const fc = Math.min(1, 1 / step);
  const half = zeros / fc; // kernel half-width in input samples
  const nOut = Math.floor(x.length / step);
  const out = new Float32Array(nOut);
  for (let i = 0; i < nOut; i++) {
    const t = i * step;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(x.length - 1, Math.floor(t + half));
    let s = 0;
    for (let k = lo; k <= hi; k++) {
      const d = t - k;
      const a = Math.PI * fc * d;
      const sinc = a === 0 ? 1 : Math.sin(a) / a;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / half); // Hann taper of the kernel
      s += x[k]! * fc * sinc * w;
    }
    out[i] = s;
  }
  return out;
}
