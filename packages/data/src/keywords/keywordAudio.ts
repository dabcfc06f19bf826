import { ArgumentError, checkArray, checkInt, checkNumber, checkObject, checkString, Rng } from '@tenzo/core';
import { colouredNoise, NOISE_COLOURS } from '../audio/noise.js';
import { resample } from '../audio/resample.js';
import { soundingSegments } from '../audio/segment.js';

/** The ten spoken digits, the default keyword set. */
export const DIGITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
] as const;

/** Ten command words (the Speech Commands core set), an alternative keyword set. */
export const COMMANDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'] as const;

/** Mono audio from a synthesizer: samples in [−1, 1) at `sampleRate` Hz. */
export interface SpokenAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** One utterance to synthesize: `voice` is `${accent}+${variant}` from the synthesizer's voice set. */
export interface SpeechRequest {
  /** the text, or SSML (`<speak>`, `<s>`, `<break time="800ms"/>`) when `ssml` is set */
  text: string;
  ssml?: boolean;
  voice: string;
  /** base pitch 0–99 */
  pitch: number;
  /** pitch range 0–99: how much the intonation moves */
  pitchRange: number;
  /** words per minute */
  speed: number;
}

/**
 * A text-to-speech engine the keyword dataset speaks with. The library holds no synthesizer: an
 * application passes one (tenzo's train app wraps eSpeak NG, whose GPL licence keeps it out of
 * library packages). `id` names the engine and its version; it is part of the cache key.
 */
export interface KeywordSynthesizer {
  readonly id: string;
  /** the default voice set: accents, and disjoint train and test speaker variants */
  readonly voices: {
    readonly accents: readonly string[];
    readonly train: readonly string[];
    readonly test: readonly string[];
  };
  /** Synthesises one utterance: its samples and their sample rate (Hz). */
  speak(request: SpeechRequest): Promise<SpokenAudio>;
}

/** A closed interval [min, max] a keyword-audio setting is drawn from uniformly (exported as `KeywordRange`). */
export type Range = readonly [min: number, max: number];

/**
 * Options of `generateKeywordAudio`: the text-to-speech engine, the words, clips per class, sample rate
 * and clip length, the seed, and the uniform ranges each session or clip is drawn from (noise SNR in dB,
 * speed in words per minute, pitch, tempo, gain in dBFS).
 */
export interface KeywordAudioOptions {
  /** the text-to-speech engine */
  synthesizer: KeywordSynthesizer;
  /** everything random derives from it (default 0) */
  seed?: number;
  /** one class per word (default the digits zero … nine) */
  keywords?: readonly string[];
  /** training clips per class, one per training session (default 300) */
  clipsPerClass?: number;
  /** test clips per class (default 100) */
  testClipsPerClass?: number;
  /** output rate in Hz (default 16000; the synthesizer's rate is resampled) */
  sampleRate?: number;
  /** fixed clip length in seconds (default 1) */
  clipSeconds?: number;
  /** signal-to-noise ratio in dB over the word's samples, uniform (default [0, 30]) */
  snrDb?: Range;
  /** speaking rate in words per minute, uniform per session (default [120, 220]) */
  speedWpm?: Range;
  /** base pitch 0–99, uniform per session (default [20, 80]) */
  pitch?: Range;
  /** pitch range 0–99, uniform per session (default [20, 80]) */
  pitchRange?: Range;
  /** speed perturbation per clip: resampling factor, uniform (default [0.9, 1.1]) */
  tempo?: Range;
  /** word peak level in dBFS before noise, uniform per clip (default [−30, −3]) */
  gainDb?: Range;
  /** speaker variants of each split (default the synthesizer's voices) */
  trainVariants?: readonly string[];
  testVariants?: readonly string[];
  /** accents drawn per session (default the synthesizer's) */
  accents?: readonly string[];
  /** called after each session (e.g. to advance a progress bar) */
  onSession?: (done: number, total: number, voice: string) => void;
}

/** n clips of one split: samples [n, nSamples] int16 (÷32768 for [−1, 1)). */
export interface KeywordAudioSplit {
  n: number;
  samples: Int16Array;
  /** class index per clip */
  labels: Int32Array;
  /** index into the split's `voices` list per clip */
  speaker: Int32Array;
}

/**
 * Synthesised keyword clips: class names, sample rate (Hz), samples per clip, the training and test clips,
 * the disjoint voices of each split, and how this call got them (cache path, synthesis time).
 */
export interface KeywordAudio {
  classNames: string[];
  sampleRate: number;
  /** samples per clip */
  nSamples: number;
  train: KeywordAudioSplit;
  test: KeywordAudioSplit;
  /** speaker variants of each split (disjoint) */
  voices: { train: string[]; test: string[] };
  /** how this call got the clips */
  info: {
    cachePath: string | null;
    fromCache: boolean;
    /** seconds spent synthesizing (0 when read from the cache) */
    generationSeconds: number;
    /** bytes of the cache file */
    cacheBytes: number;
    /** sessions whose utterance did not split into one segment per word, re-spoken word by word */
    fallbackSessions: number;
    /** clips longer than the window, centre-cropped */
    croppedClips: number;
  };
}

/** Every setting of generation, checked and with defaults filled in (the cache key hashes it). */
export interface ResolvedKeywordOptions {
  seed: number;
  keywords: string[];
  clipsPerClass: number;
  testClipsPerClass: number;
  sampleRate: number;
  clipSeconds: number;
  snrDb: Range;
  speedWpm: Range;
  pitch: Range;
  pitchRange: Range;
  tempo: Range;
  gainDb: Range;
  trainVariants: string[];
  testVariants: string[];
  accents: string[];
}

function range(name: string, r: Range, min: number, max: number): Range {
  checkArray(name, r);
  const lo = checkNumber(`${name}[0]`, r[0], { min, max });
  const hi = checkNumber(`${name}[1]`, r[1], { min: lo, max });
  return [lo, hi];
}

/** Checks the options and fills in the defaults (throws `ArgumentError` naming the option). */
export function resolveKeywordOptions(o: KeywordAudioOptions): ResolvedKeywordOptions {
  checkObject('keyword audio options', o);
  checkObject('synthesizer', o.synthesizer);
  checkString('synthesizer.id', o.synthesizer.id);
  checkObject('synthesizer.voices', o.synthesizer.voices);
  const words = (name: string, v: readonly string[]) =>
    checkArray(name, v).map((w, i) => checkString(`${name}[${i}]`, w));
  const keywords = words('keywords', o.keywords ?? DIGITS);
  if (keywords.length < 2)
    throw new ArgumentError(`keywords: expected at least 2 words, got ${keywords.length}`);
  for (const w of keywords) {
    if (!/^[a-z][a-z' -]*$/i.test(w))
      throw new ArgumentError(`keywords: expected plain words, got ${JSON.stringify(w)}`);
  }
  const trainVariants = words('trainVariants', o.trainVariants ?? o.synthesizer.voices.train);
  const testVariants = words('testVariants', o.testVariants ?? o.synthesizer.voices.test);
  const shared = trainVariants.filter((v) => testVariants.includes(v));
  if (shared.length > 0) {
    throw new ArgumentError(
      `testVariants: expected voices disjoint from trainVariants, both hold ${shared.join(', ')}`,
    );
  }
  if (trainVariants.length === 0 || testVariants.length === 0) {
    throw new ArgumentError('trainVariants, testVariants: expected at least one voice each');
  }
  return {
    seed: checkInt('seed', o.seed ?? 0),
    keywords,
    clipsPerClass: checkInt('clipsPerClass', o.clipsPerClass ?? 300, { positive: true, max: 1 << 20 }),
    testClipsPerClass: checkInt('testClipsPerClass', o.testClipsPerClass ?? 100, {
      positive: true,
      max: 1 << 20,
    }),
    sampleRate: checkInt('sampleRate', o.sampleRate ?? 16000, { min: 4000, max: 22050 }),
    clipSeconds: checkNumber('clipSeconds', o.clipSeconds ?? 1, { min: 0.25, max: 10 }),
    snrDb: range('snrDb', o.snrDb ?? [0, 30], -20, 100),
    speedWpm: range('speedWpm', o.speedWpm ?? [120, 220], 80, 450),
    pitch: range('pitch', o.pitch ?? [20, 80], 0, 99),
    pitchRange: range('pitchRange', o.pitchRange ?? [20, 80], 0, 99),
    tempo: range('tempo', o.tempo ?? [0.9, 1.1], 0.5, 2),
    gainDb: range('gainDb', o.gainDb ?? [-30, -3], -90, 0),
    trainVariants,
    testVariants,
    accents: words('accents', o.accents ?? o.synthesizer.voices.accents),
  };
}

const SPLITS = ['train', 'test'] as const;

/**
 * A spoken-keyword dataset spoken by `synthesizer`, deterministic from the seed (no cache: see
 * `generateKeywordAudio` in `@tenzo/data/node`). Training session s (s < clipsPerClass) speaks
 * every keyword once, in a random order, with one voice (a variant of the training set,
 * round-robin over a seeded order), one accent, pitch, pitch range and speaking rate; test
 * sessions do the same with the test set's voices. Each word is then cut out
 * (`soundingSegments`), speed-perturbed and resampled to `sampleRate` (`resample`), scaled to a
 * random peak level, placed at a random offset in a `clipSeconds` window and mixed with white,
 * pink or brown noise (`colouredNoise`) at a random SNR. Classes are balanced exactly.
 */
export async function synthesizeKeywordAudio(
  r: ResolvedKeywordOptions,
  synthesizer: KeywordSynthesizer,
  onSession?: KeywordAudioOptions['onSession'],
): Promise<KeywordAudio> {
  const nSamples = Math.round(r.sampleRate * r.clipSeconds);
  const t0 = performance.now();
  const K = r.keywords.length;
  const total = r.clipsPerClass + r.testClipsPerClass;
  let done = 0;
  let fallbackSessions = 0;
  let croppedClips = 0;
  const splits = {} as Record<(typeof SPLITS)[number], KeywordAudioSplit>;
  for (const [splitId, split] of SPLITS.entries()) {
    const sessions = split === 'train' ? r.clipsPerClass : r.testClipsPerClass;
    const variants = split === 'train' ? r.trainVariants : r.testVariants;
    const order = new Rng(sessionSeed(r.seed, splitId, 0xffffff)).permutation(variants.length);
    const n = sessions * K;
    const out: KeywordAudioSplit = {
      n,
      samples: new Int16Array(n * nSamples),
      labels: new Int32Array(n),
      speaker: new Int32Array(n),
    };
    for (let s = 0; s < sessions; s++) {
      const rng = new Rng(sessionSeed(r.seed, splitId, s));
      const speaker = order[s % variants.length]!;
      const accent = r.accents[rng.int(r.accents.length)]!;
      const words = rng.permutation(K);
      const speak = {
        voice: `${accent}+${variants[speaker]}`,
        pitch: Math.round(rng.uniformIn(r.pitch[0], r.pitch[1])),
        pitchRange: Math.round(rng.uniformIn(r.pitchRange[0], r.pitchRange[1])),
        speed: Math.round(rng.uniformIn(r.speedWpm[0], r.speedWpm[1])),
      };
      // One synthesizer run per session: the words as separate sentences with long breaks, split
      // at the silences (about 10× faster than one run per word with eSpeak NG).
      const ssml = `<speak>${Array.from(words, (w) => `<s>${r.keywords[w]}</s>`).join('<break time="800ms"/>')}</speak>`;
      const audio = await synthesizer.speak({ ...speak, text: ssml, ssml: true });
      let pieces = soundingSegments(audio.samples, audio.sampleRate).map(([a, b]) =>
        audio.samples.subarray(a, b),
      );
      if (pieces.length !== K) {
        fallbackSessions++;
        pieces = [];
        for (const w of words) {
          const one = await synthesizer.speak({ ...speak, text: r.keywords[w]! });
          const seg = soundingSegments(one.samples, one.sampleRate, 10);
          const [a, b] = seg[0] ?? [0, one.samples.length];
          pieces.push(one.samples.subarray(a, b));
        }
      }
      for (let j = 0; j < K; j++) {
        const i = s * K + words[j]!;
        const step = (audio.sampleRate / r.sampleRate) * rng.uniformIn(r.tempo[0], r.tempo[1]);
        const clip = out.samples.subarray(i * nSamples, (i + 1) * nSamples);
        if (placeClip(resample(pieces[j]!, step), clip, rng, r)) croppedClips++;
        out.labels[i] = words[j]!;
        out.speaker[i] = speaker;
      }
      onSession?.(++done, total, speak.voice);
    }
    splits[split] = out;
  }
  return {
    classNames: r.keywords,
    sampleRate: r.sampleRate,
    nSamples,
    train: splits.train,
    test: splits.test,
    voices: { train: r.trainVariants, test: r.testVariants },
    info: {
      cachePath: null,
      fromCache: false,
      generationSeconds: (performance.now() - t0) / 1000,
      cacheBytes: 0,
      fallbackSessions,
      croppedClips,
    },
  };
}

/** Independent stream per (seed, split, session): changing counts leaves other sessions' clips as they were. */
function sessionSeed(seed: number, split: number, session: number): bigint {
  return (BigInt(seed) << 32n) | (BigInt(split) << 24n) | BigInt(session);
}

/**
 * Scales the word to a random peak level, drops it at a random offset of the window (centre
 * crop if longer), adds coloured noise at a random SNR (measured on the word's samples) and
 * quantises to int16. Returns whether the word had to be cropped.
 */
function placeClip(word: Float32Array, out: Int16Array, rng: Rng, r: ResolvedKeywordOptions): boolean {
  const W = out.length;
  let peak = 0;
  for (const v of word) peak = Math.max(peak, Math.abs(v));
  const gain = peak > 0 ? 10 ** (rng.uniformIn(r.gainDb[0], r.gainDb[1]) / 20) / peak : 0;
  const cropped = word.length > W;
  const src = cropped ? word.subarray((word.length - W) >> 1, ((word.length - W) >> 1) + W) : word;
  const offset = rng.int(W - src.length + 1);
  const mix = new Float32Array(W);
  let power = 0;
  for (let j = 0; j < src.length; j++) {
    const v = src[j]! * gain;
    mix[offset + j] = v;
    power += v * v;
  }
  power /= Math.max(1, src.length);
  const snr = rng.uniformIn(r.snrDb[0], r.snrDb[1]);
  const colour = NOISE_COLOURS[rng.int(NOISE_COLOURS.length)]!;
  const noise = colouredNoise(W, colour, rng);
  const noiseRms = Math.sqrt(power / 10 ** (snr / 10));
  for (let j = 0; j < W; j++) {
    const v = mix[j]! + noiseRms * noise[j]!;
    out[j] = Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
  }
  return cropped;
}
