import { checkInt, checkNumber, Rng } from '@tenzo/core';

/** Feature sequences of a keyword task, flat [n, frames, features] row-major. */
export interface SequenceSplit {
  n: number;
  x: Float32Array;
  labels: Int32Array;
}

/**
 * A keyword dataset in feature form: frames and features per example, class names, the training and test
 * splits and a note of where the clips came from.
 */
export interface KeywordFeatures {
  frames: number;
  features: number;
  classNames: readonly string[];
  train: SequenceSplit;
  test: SequenceSplit;
  /** where the clips came from, for reports */
  source: string;
}

/**
 * Options of `syntheticKeywords`: classes, clips per class in each split (test clips from unseen
 * speakers), frames and features per clip, the noise level and the seed.
 */
export interface SyntheticKeywordOptions {
  classes?: number;
  /** clips per class in the training split (speakers 0..trainSpeakers−1) */
  trainPerClass?: number;
  /** clips per class in the test split (unseen speakers) */
  testPerClass?: number;
  frames?: number;
  features?: number;
  /** additive noise std relative to the unit peak of a syllable */
  noise?: number;
  seed?: number;
}

/**
 * A synthetic spoken-keyword stand-in on feature level, for tests and smoke runs: each keyword is
 * three "syllables", each a Gaussian ridge at a class-specific frequency bin lasting a random
 * fraction of the word. A clip draws a speaker (a frequency offset of up to ±2 bins and a
 * tempo, like vocal-tract length and speaking rate), an onset shift, a level and background
 * noise. Train and test speakers are disjoint, so test accuracy measures generalisation to
 * new voices. Deterministic from `seed`. Values are log-energy-like (≈ 0 silence, ≈ 1 peak).
 */
export function syntheticKeywords(opts: SyntheticKeywordOptions = {}): KeywordFeatures {
  const K = checkInt('classes', opts.classes ?? 10, { min: 2 });
  const T = checkInt('frames', opts.frames ?? 48, { min: 8 });
  const F = checkInt('features', opts.features ?? 20, { min: 8 });
  const nTrain = checkInt('trainPerClass', opts.trainPerClass ?? 60, { positive: true });
  const nTest = checkInt('testPerClass', opts.testPerClass ?? 20, { positive: true });
  const noise = checkNumber('noise', opts.noise ?? 0.3, { min: 0 });
  const rng = new Rng(opts.seed ?? 0);
  // three syllable bins per keyword (within the band that a ±2-bin speaker shift keeps inside)
  const words = Array.from({ length: K }, () =>
    Array.from({ length: 3 }, () => 2 + Math.floor(rng.uniform() * (F - 4))),
  );
  const speakers = (n: number) =>
    Array.from({ length: n }, () => ({ shift: 4 * rng.uniform() - 2, tempo: 0.75 + 0.5 * rng.uniform() }));
  const trainSpeakers = speakers(12);
  const testSpeakers = speakers(4);
  const make = (perClass: number, voices: typeof trainSpeakers): SequenceSplit => {
    const n = perClass * K;
    const x = new Float32Array(n * T * F);
    const labels = new Int32Array(n);
    let i = 0;
    for (let c = 0; c < K; c++) {
      for (let j = 0; j < perClass; j++, i++) {
        labels[i] = c;
        const v = voices[Math.floor(rng.uniform() * voices.length)]!;
        const len = (T / 2) * v.tempo * (0.9 + 0.2 * rng.uniform());
        const onset = rng.uniform() * (T - len);
        const level = 0.6 + 0.8 * rng.uniform();
        const base = i * T * F;
        for (let s = 0; s < 3; s++) {
          const centre = words[c]![s]! + v.shift;
          const t0 = onset + (s * len) / 3;
          for (let t = Math.max(0, Math.floor(t0)); t < Math.min(T, Math.ceil(t0 + len / 3)); t++)
            for (let f = 0; f < F; f++) x[base + t * F + f]! += level * Math.exp(-0.5 * (f - centre) ** 2);
        }
        for (let k = 0; k < T * F; k++) x[base + k]! += noise * rng.normal();
      }
    }
    return { n, x, labels };
  };
  return {
    frames: T,
    features: F,
    classNames: Array.from({ length: K }, (_, c) => `word${c}`),
    train: make(nTrain, trainSpeakers),
    test: make(nTest, testSpeakers),
    source: `synthetic feature sequences (${K} keywords, 12 train / 4 test speakers, seed ${opts.seed ?? 0})`,
  };
}
